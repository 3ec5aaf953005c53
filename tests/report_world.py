# SPDX-License-Identifier: AGPL-3.0-or-later
"""Small worlds for the report tests: every move through the real services, at a chosen
moment (``time_machine``), so the figures meet the audit trail, tasks and signals exactly as
users leave them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from tests import factories
from workflows.ladder import services as ladder

AMS = ZoneInfo("Europe/Amsterdam")


def at(y, m, d, hh=12, mm=0) -> dt.datetime:
    """A local (Amsterdam) moment."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMS)


def travel(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def signal(reporter, when: dt.datetime, **kwargs):
    with travel(when):
        return factories.signal(reporter, **kwargs)


def screen_in(case, actor, level, when):
    with travel(when):
        return ladder.case_screen_in(
            case=case,
            actor=actor,
            target_level=level,
            reason="Screening: past op de ladder",
            criteria=factories.criteria_for(level),
        )


def escalate(case, actor, level, when):
    with travel(when):
        return ladder.case_escalate(
            case=case,
            actor=actor,
            target_level=level,
            reason="Zorgen nemen toe",
            criteria=factories.criteria_for(level),
        )


def deescalate(case, actor, level, when):
    with travel(when):
        return ladder.case_deescalate(
            case=case,
            actor=actor,
            target_level=level,
            reason="Het gaat beter",
            criteria=factories.criteria_for(level),
        )


def close(case, actor, when, reason=None, *, from_screening=False):
    reason = reason or factories.closure_reason(from_screening=from_screening)
    with travel(when):
        return ladder.case_close(
            case=case, actor=actor, closure_reason=reason, reason="Doel bereikt"
        )


def values(table, group: str, period_index: int = 0) -> list:
    """The cell values of the row of ``group`` for the n-th period (0 this, 1 previous, 2 a
    year earlier) of a compared table; or of the row labelled ``group`` of a plain table."""
    rows = [row for row in table.rows if row.group == group]
    if rows:
        return [cell.value for cell in rows[period_index].cells]
    (row,) = [row for row in table.rows if row.label == group]
    return [cell.value for cell in row.cells]
