# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one door every dashboard table goes through before a page, chart or export reads it:
the throughput report's disclosure control (``reports.disclosure``, ADR 0022), with the same
threshold (``IJAM_REPORT_THRESHOLD``, default 5). Nothing else in the dashboard suppresses on
its own; ``is_small`` only tells whether a single derived value rests on a suppressed count."""

from __future__ import annotations

from reports import disclosure
from reports.tables import Table


def threshold() -> int:
    return disclosure.threshold()


def is_small(value) -> bool:
    return value is not None and 0 < value < threshold()


def publish(table: Table) -> Table:
    """``table`` as it may be shown: when it counts people, small counts (and whatever would
    let a reader recompute them) carry no value."""
    if not table.counts:
        return table
    return disclosure.publish(table)
