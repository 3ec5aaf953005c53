# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one door every dashboard table goes through before a page, chart or export reads it.

``publish`` is ``reports.disclosure.publish`` (primary and secondary suppression, ADR of the
throughput report) once that module exists; until then it applies primary suppression only:
every count of people from 1 up to the threshold loses its value. Swapping is this one
function: nothing else in the dashboard suppresses on its own.
"""

from __future__ import annotations

from reports.tables import Row, Table

#: Counts from 1 up to (not including) this number are suppressed (issue 14: default 5).
THRESHOLD = 5

try:  # the throughput report's disclosure control, when it has landed
    from reports.disclosure import publish as _disclosure_publish  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the other branch
    _disclosure_publish = None


def is_small(value) -> bool:
    return value is not None and 0 < value < THRESHOLD


def _primary(table: Table) -> Table:
    rows = [
        Row(
            row.label,
            tuple(cell.suppress() if is_small(cell.value) else cell for cell in row.cells),
            row.is_total,
        )
        for row in table.rows
    ]
    return table.with_rows(rows)


def publish(table: Table) -> Table:
    """``table`` as it may be shown: when it counts people, small counts carry no value."""
    if not table.counts:
        return table
    if _disclosure_publish is not None:
        return _disclosure_publish(table, THRESHOLD)
    return _primary(table)
