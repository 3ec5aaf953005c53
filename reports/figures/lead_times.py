# SPDX-License-Identifier: AGPL-3.0-or-later
"""Lead times (doorlooptijden) in days: median, 80th and 90th percentile.

* Signal to screening decision: cases screened (in or out) in the period, from the case's
  opening (its first signal) to the decision; against the norm of 5 working days (the
  decision on or before the 5th working day after the day the signal came in: the share
  within norm).
* Time on each level: stays that ended in the period (the case moved on or closed), from
  entering the level to leaving it.
* Entering a level to the first table discussion: stays begun in the period whose case a
  sitting of that level's table discussed (confirmed minutes), to that sitting.
* Time to closure: cases closed in the period, from opening to closure.

Percentiles are ``percentile_cont`` (linear interpolation) and are shown only over at least
the threshold number of cases (``Table.basis_column``): over fewer they would describe
persons.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from reports.figures.base import (
    STAYS,
    compare,
    fetch,
    ladder_stays,
    local_date,
    norm_calendar,
)
from reports.periods import Period
from reports.tables import Cell, Row, Table
from workflows.ladder.machine import AWAITING, LADDER_LEVELS, CaseState

LEVEL_LABELS = dict(CaseState.choices)
COLUMNS = (
    "Aantal",
    "Mediaan (dagen)",
    "80e percentiel (dagen)",
    "90e percentiel (dagen)",
    "Binnen norm",
)
_PERCENTILES = """
    count(*),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY d),
    percentile_cont(0.8) WITHIN GROUP (ORDER BY d),
    percentile_cont(0.9) WITHIN GROUP (ORDER BY d)
"""
DAY = 86400.0


def _row(label: str, n, p50, p80, p90, within=None) -> Row:
    def days(value):
        return Cell(None) if value is None else Cell(round(float(value), 1))

    share = Cell(None)
    if within is not None and n:
        share = Cell(within / n, display=f"{round(100 * within / n)}%")
    return Row(label=label, cells=(Cell(int(n)), days(p50), days(p80), days(p90), share))


def screening(period: Period) -> Row:
    # Openings older than a month before the period cannot be within 5 working days of a
    # decision in it: the norm table covers the rest (no norm: not within norm).
    days, deadlines = norm_calendar(period.first_day - dt.timedelta(days=31), period.last_day)
    with ladder_stays():
        ((n, p50, p80, p90, within),) = fetch(
            f"""
            WITH norm AS (
                SELECT unnest(%(days)s::date[]) AS day, unnest(%(deadlines)s::date[]) AS last_day
            ),
            decided AS (
                SELECT extract(epoch FROM st.left_at - st.entered_at) / {DAY} AS d,
                       {local_date("st.left_at")} <= norm.last_day AS in_norm
                  FROM {STAYS} st
                  LEFT JOIN norm ON norm.day = {local_date("st.entered_at")}
                 WHERE st.level = %(awaiting)s
                   AND st.left_at >= %(start)s AND st.left_at < %(end)s
            )
            SELECT {_PERCENTILES}, count(*) FILTER (WHERE in_norm) FROM decided
            """,  # noqa: S608 - constants of this module; values are parameters
            {
                "days": days,
                "deadlines": deadlines,
                "awaiting": AWAITING,
                "start": period.start,
                "end": period.end,
            },
        )
    return _row(_("Signaal tot screeningsbesluit (norm 5 werkdagen)"), n, p50, p80, p90, within)


def time_on_level(period: Period) -> list[Row]:
    with ladder_stays():
        rows = fetch(
            f"""
            SELECT level, {_PERCENTILES}
              FROM (SELECT level, extract(epoch FROM left_at - entered_at) / {DAY} AS d
                      FROM {STAYS}
                     WHERE level = ANY(%(levels)s)
                       AND left_at >= %(start)s AND left_at < %(end)s) stays
             GROUP BY level
            """,  # noqa: S608 - constants of this module; values are parameters
            {"levels": list(LADDER_LEVELS), "start": period.start, "end": period.end},
        )
    found = {level: values for level, *values in rows}
    return [
        _row(
            _("Tijd op niveau: %s") % LEVEL_LABELS[level],
            *found.get(level, (0, None, None, None)),
        )
        for level in LADDER_LEVELS
    ]


def to_first_discussion(period: Period) -> list[Row]:
    with ladder_stays():
        rows = fetch(
            f"""
            WITH entered AS (
                SELECT case_id, level, entered_at AS at
                  FROM {STAYS}
                 WHERE level = ANY(%(levels)s)
                   AND entered_at >= %(start)s AND entered_at < %(end)s
            ),
            first AS (
                SELECT e.level, extract(epoch FROM min(m.starts_at) - e.at) / {DAY} AS d
                  FROM entered e
                  JOIN workflows_minutesitem i ON i.case_id = e.case_id AND i.discussed
                  JOIN workflows_minutes mi
                    ON mi.id = i.minutes_id AND mi.confirmed_at IS NOT NULL
                  JOIN workflows_meeting m ON m.id = mi.meeting_id AND m.starts_at >= e.at
                  JOIN workflows_meetingseries s ON s.id = m.series_id AND s.level = e.level
                 GROUP BY e.case_id, e.level, e.at
            )
            SELECT level, {_PERCENTILES} FROM first GROUP BY level
            """,  # noqa: S608 - constants of this module; values are parameters
            {"levels": list(LADDER_LEVELS), "start": period.start, "end": period.end},
        )
    found = {level: values for level, *values in rows}
    return [
        _row(
            _("Instroom tot eerste bespreking: %s") % LEVEL_LABELS[level],
            *found.get(level, (0, None, None, None)),
        )
        for level in LADDER_LEVELS
    ]


def to_closure(period: Period) -> Row:
    (values,) = fetch(
        f"""
        SELECT {_PERCENTILES} FROM (
            SELECT extract(epoch FROM closed_at - opened_at) / {DAY} AS d
              FROM casebook_case
             WHERE closed_at >= %(start)s AND closed_at < %(end)s
        ) closed
        """,  # noqa: S608 - constants of this module; values are parameters
        {"start": period.start, "end": period.end},
    )
    return _row(_("Aanmelding tot afsluiten"), *values)


def lead_times(period: Period) -> Table:
    with ladder_stays():
        rows = [screening(period), *time_on_level(period), *to_first_discussion(period)]
        rows.append(to_closure(period))
    return Table(
        key="doorlooptijden",
        title=_("Doorlooptijden"),
        row_header=_("Doorlooptijd"),
        columns=COLUMNS,
        rows=tuple(rows),
        description=_(
            "Mediaan en 80e en 90e percentiel in dagen; alleen getoond over ten minste het "
            "drempelaantal casussen. Binnen norm: het screeningsbesluit uiterlijk op de 5e "
            "werkdag na de dag van het signaal."
        ),
        counts=False,
        count_columns=(0,),
        basis_column=0,
    )


def compared_lead_times(period: Period) -> Table:
    return compare(lead_times, period)
