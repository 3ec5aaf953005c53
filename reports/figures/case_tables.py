# SPDX-License-Identifier: AGPL-3.0-or-later
"""The case tables: sittings held per table, cases discussed, decisions by kind; and the
monthly interpretation sessions (duidingsbijeenkomsten) towards the plan's target of at
least 20 in a row.

A sitting counts when it was held in the period (``Meeting.Status.HELD``, by its start);
its cases and decisions are those of its latest confirmed minutes (a correction replaces
the earlier version). Sittings are not persons: they are shown as they are; the cases
discussed and the decisions are counts of cases and are suppressed when small.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from reports.figures.base import compare, fetch, local_date, with_total
from reports.periods import Period
from reports.tables import Cell, Row, Table
from workflows.meetings.models import Decision

KINDS = [kind for kind, _label in Decision.Kind.choices]
COLUMNS = (
    "Zittingen gehouden",
    "Casussen besproken",
    *(str(label) for _k, label in Decision.Kind.choices),
)
#: The plan's target: at least this many monthly interpretation sessions in a row (K5).
INTERPRETATION_TARGET = 20

_LATEST_MINUTES = """
    SELECT DISTINCT ON (meeting_id) id, meeting_id
      FROM workflows_minutes
     WHERE confirmed_at IS NOT NULL
     ORDER BY meeting_id, version DESC
"""


def sittings(period: Period) -> Table:
    kinds = ", ".join(f"count(DISTINCT d.id) FILTER (WHERE d.kind = '{k}')" for k in KINDS)
    result = fetch(
        f"""
        WITH held AS (
            SELECT m.id, s.name
              FROM workflows_meeting m JOIN workflows_meetingseries s ON s.id = m.series_id
             WHERE m.status = 'held' AND m.starts_at >= %(start)s AND m.starts_at < %(end)s
        ),
        latest AS ({_LATEST_MINUTES})
        SELECT held.name,
               count(DISTINCT held.id),
               count(DISTINCT (held.id, i.case_id)) FILTER (WHERE i.discussed),
               {kinds}
          FROM held
          LEFT JOIN latest ON latest.meeting_id = held.id
          LEFT JOIN workflows_minutesitem i ON i.minutes_id = latest.id
          LEFT JOIN workflows_decision d ON d.item_id = i.id
         GROUP BY held.name
         ORDER BY held.name
        """,  # noqa: S608 - the kinds are the model's constants; values are parameters
        {"start": period.start, "end": period.end},
    )
    rows = [Row(label=name, cells=tuple(Cell(int(v)) for v in values)) for name, *values in result]
    return Table(
        key="casustafels",
        title=_("Casustafels: zittingen, besproken casussen en besluiten"),
        row_header=_("Casustafel"),
        columns=COLUMNS,
        rows=tuple(with_total(rows, len(COLUMNS))),
        description=_(
            "Zittingen die in de periode zijn gehouden, de casussen die er zijn besproken en "
            "de besluiten per soort (volgens het laatst vastgestelde verslag)."
        ),
        counts=False,
        count_columns=tuple(range(1, len(COLUMNS))),
    )


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def interpretation_sessions(period: Period) -> Table:
    """Interpretation sessions held in the period, and the months in a row with one, up to
    the end of the period (the target counts consecutive months)."""
    held = {
        month
        for (month,) in fetch(
            f"""
            SELECT DISTINCT date_trunc('month', {local_date("m.starts_at")})::date
              FROM workflows_meeting m JOIN workflows_meetingseries s ON s.id = m.series_id
             WHERE s.is_interpretation_session AND m.status = 'held' AND m.starts_at < %(end)s
            """,  # noqa: S608 - constants of this module; values are parameters
            {"end": period.end},
        )
    }
    (count,) = fetch(
        """
        SELECT count(*)
          FROM workflows_meeting m JOIN workflows_meetingseries s ON s.id = m.series_id
         WHERE s.is_interpretation_session AND m.status = 'held'
           AND m.starts_at >= %(start)s AND m.starts_at < %(end)s
        """,
        {"start": period.start, "end": period.end},
    )[0]
    streak = 0
    for month in reversed(_months(dt.date(2020, 1, 1), period.last_day)):
        if month not in held:
            if streak or month.replace(day=1) != period.last_day.replace(day=1):
                break
            continue  # the period's own last month may still be to come
        streak += 1
    return Table(
        key="duidingsbijeenkomsten",
        title=_("Maandelijkse duidingsbijeenkomsten"),
        row_header=_("Duidingsbijeenkomsten"),
        columns=("Gehouden in de periode", "Maanden op rij (t/m eind periode)", "Doel (op rij)"),
        rows=(
            Row(
                label=_("Duidingsbijeenkomsten"),
                cells=(Cell(int(count)), Cell(streak), Cell(INTERPRETATION_TARGET)),
            ),
        ),
        description=_(
            "Zittingen van de overlegreeksen die als duidingsbijeenkomst zijn ingesteld. Het "
            "plan vraagt er ten minste 20 op rij (maandelijks) in 2026."
        ),
        counts=False,
    )


def compared(period: Period) -> list[Table]:
    return [compare(sittings, period), compare(interpretation_sessions, period)]
