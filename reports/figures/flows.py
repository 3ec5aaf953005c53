# SPDX-License-Identifier: AGPL-3.0-or-later
"""The throughput of the ladder per level: open at the start, in, out, open at the end.

A case's level at a moment is the level after its last ladder move before that moment (the
audit trail's ``case.<move>`` events, ``workflows.ladder.services``), or "awaiting
screening" when it was opened and not yet screened. For each level:

    open at the start + in (screened in, escalated in, de-escalated in)
                      − out (escalated, de-escalated, closed) = open at the end

holds exactly, and disclosure control knows it (``Table.relations``), as it knows that this
period's start is the previous period's end.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casebook.models import ClosureReason
from reports.figures.base import (
    STAYS,
    compare,
    count_row,
    fetch,
    ladder_stays,
    memoised,
    with_total,
)
from reports.periods import Period
from reports.tables import Table
from workflows.ladder.machine import AWAITING, LADDER_LEVELS, CaseState

LEVEL_LABELS = dict(CaseState.choices)

FLOW_COLUMNS = (
    "Open aan begin",
    "Ingestroomd na screening",
    "Opgeschaald naar dit niveau",
    "Afgeschaald naar dit niveau",
    "Opgeschaald naar hoger niveau",
    "Afgeschaald naar lager niveau",
    "Afgesloten",
    "Open aan eind",
)
START, END = 0, len(FLOW_COLUMNS) - 1
#: The sign of each column in the balance start + in − out − end = 0.
BALANCE = (1, 1, 1, 1, -1, -1, -1, -1)


def _flows(period: Period) -> dict:
    """{state: [open at start, screened in, escalated in, de-escalated in, escalated out,
    de-escalated out, closed, open at end, new, screened in from awaiting]} for every state,
    from one scan of the stays (once per report and period)."""
    with ladder_stays():
        return memoised(("flows", period), lambda: _scan_flows(period))


def _scan_flows(period: Period) -> dict:
    rows = fetch(
        f"""
        SELECT level,
               count(*) FILTER (WHERE entered_at < %(start)s
                                  AND (left_at IS NULL OR left_at >= %(start)s)),
               count(*) FILTER (WHERE {_IN} AND enter_action = 'case.screen_in'),
               count(*) FILTER (WHERE {_IN} AND enter_action = 'case.escalate'),
               count(*) FILTER (WHERE {_IN} AND enter_action = 'case.deescalate'),
               count(*) FILTER (WHERE {_OUT} AND left_action = 'case.escalate'),
               count(*) FILTER (WHERE {_OUT} AND left_action = 'case.deescalate'),
               count(*) FILTER (WHERE {_OUT} AND left_action IN ('case.close',
                                                                 'case.screen_out')),
               count(*) FILTER (WHERE entered_at < %(end)s
                                  AND (left_at IS NULL OR left_at >= %(end)s)),
               count(*) FILTER (WHERE {_IN} AND enter_action = 'case.opened'),
               count(*) FILTER (WHERE {_OUT} AND left_action = 'case.screen_in')
          FROM {STAYS}
         GROUP BY level
        """,  # noqa: S608 - constants of this module; values are parameters
        {"start": period.start, "end": period.end},
    )
    return {level: list(values) for level, *values in rows}


_IN = "entered_at >= %(start)s AND entered_at < %(end)s"
_OUT = "left_at >= %(start)s AND left_at < %(end)s"


def level_flow(period: Period) -> Table:
    found = _flows(period)
    empty = [0] * (len(FLOW_COLUMNS) + 2)
    rows = []
    for level in LADDER_LEVELS:
        values = found.get(level, empty)[: len(FLOW_COLUMNS)]
        rows.append(count_row(LEVEL_LABELS[level], values))
    rows = with_total(rows, len(FLOW_COLUMNS))
    rels = []
    for r in range(len(rows)):
        rels.append(tuple((r, c, k) for c, k in enumerate(BALANCE)))
    for c in range(len(FLOW_COLUMNS)):
        rels.append(tuple((r, c, 1) for r in range(len(rows) - 1)) + ((len(rows) - 1, c, -1),))
    return Table(
        key="doorstroom-per-niveau",
        title=_("Doorstroom per niveau van de ladder"),
        row_header=_("Niveau"),
        columns=FLOW_COLUMNS,
        rows=tuple(rows),
        description=_(
            "Casussen per niveau: open aan het begin van de periode, instroom (na screening, "
            "door op- of afschalen), uitstroom (op- of afschalen, afsluiten) en open aan het "
            "eind. Begin + instroom − uitstroom = eind."
        ),
        relations=tuple(rels),
    )


INTAKE_COLUMNS = (
    "Wacht op screening aan begin",
    "Nieuw aangemeld",
    "Ingestroomd op de ladder",
    "Niet opgepakt of dubbel",
    "Wacht op screening aan eind",
)
INTAKE_BALANCE = (1, 1, -1, -1, -1)


def intake(period: Period) -> Table:
    awaiting = _flows(period).get(AWAITING, [0] * 10)
    # start, new, screened in, not taken up (screen-out, duplicates), end
    values = [awaiting[0], awaiting[8], awaiting[9], awaiting[6], awaiting[7]]
    return Table(
        key="aanmelding-en-screening",
        title=_("Aanmelding en screening"),
        row_header=_("Stap"),
        columns=INTAKE_COLUMNS,
        rows=(count_row(_("Aanmeldingen (casussen)"), values),),
        description=_(
            "Nieuwe casussen en het besluit van de screening. Begin + nieuw − ingestroomd − "
            "niet opgepakt = eind."
        ),
        relations=(tuple((0, c, k) for c, k in enumerate(INTAKE_BALANCE)),),
    )


def closures(period: Period) -> Table:
    """Cases closed in the period, per closure reason and per level they left from."""
    with ladder_stays():
        rows = fetch(
            f"""
            SELECT c.closure_reason_id, st.level, count(*)
              FROM {STAYS} st JOIN casebook_case c ON c.id = st.case_id
             WHERE st.left_action IN ('case.close', 'case.screen_out')
               AND st.left_at >= %(start)s AND st.left_at < %(end)s
             GROUP BY c.closure_reason_id, st.level
            """,  # noqa: S608 - constants of this module; values are parameters
            {"start": period.start, "end": period.end},
        )
    states = (AWAITING, *LADDER_LEVELS)
    counted: dict = {}
    for reason, src, n in rows:
        counted.setdefault(reason, dict.fromkeys(states, 0))[src] = n
    names = dict(ClosureReason.objects.values_list("pk", "name"))
    order = list(ClosureReason.objects.order_by("order", "name").values_list("pk", flat=True))
    table_rows = []
    for pk in order:
        if pk in counted:
            values = [counted[pk][s] for s in states]
            table_rows.append(count_row(names[pk], [*values, sum(values)]))
    width = len(states) + 1
    return Table(
        key="afgesloten-per-reden",
        title=_("Afgesloten casussen per reden"),
        row_header=_("Reden van afsluiten"),
        columns=(
            "Na screening",
            *(str(LEVEL_LABELS[level]) for level in LADDER_LEVELS),
            "Totaal",
        ),
        rows=tuple(with_total(table_rows, width)),
        description=_("Casussen die in de periode zijn afgesloten, naar het niveau waarvan."),
        column_totals=True,
    )


def compared_level_flow(period: Period) -> Table:
    return compare(level_flow, period, links=[(START, END)])


def compared_intake(period: Period) -> Table:
    return compare(intake, period, links=[(0, 4)])


def compared_closures(period: Period) -> Table:
    return compare(closures, period)
