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
from reports.figures.base import LADDER_EVENTS_SQL, compare, count_row, fetch, with_total
from reports.periods import Period
from reports.tables import Table
from workflows.ladder.machine import AWAITING, CLOSED, LADDER_LEVELS, CaseState

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


def levels_at(moments: list) -> dict:
    """{moment: {state: number of cases}} for every open state at each moment (one query)."""
    rows = fetch(
        f"""
        WITH ev AS ({LADDER_EVENTS_SQL}),
        moments AS (SELECT unnest(%(moments)s::timestamptz[]) AS t)
        SELECT m.t, x.dst, count(*)
          FROM moments m
          CROSS JOIN LATERAL (
                SELECT DISTINCT ON (ev.case_id) ev.dst
                  FROM ev
                 WHERE ev.occurred_at < m.t
                 ORDER BY ev.case_id, ev.occurred_at DESC, ev.id DESC
          ) x
         GROUP BY m.t, x.dst
        UNION ALL
        SELECT m.t, 'opened', count(c.id)
          FROM moments m
          LEFT JOIN casebook_case c ON c.opened_at < m.t
         GROUP BY m.t
        """,  # noqa: S608 - constants of this module; values are parameters
        {"moments": list(moments)},
    )
    found: dict = {m: {} for m in moments}
    for moment, state, n in rows:
        found[moment][state] = n
    result = {}
    for moment, states in found.items():
        screened = sum(n for state, n in states.items() if state != "opened")
        counts = {state: states.get(state, 0) for state in LADDER_LEVELS}
        counts[AWAITING] = states.get("opened", 0) - screened
        result[moment] = counts
    return result


def moves(period: Period) -> list[tuple[str, str, str, int]]:
    """(action, from, to, number of moves) in the period."""
    return fetch(
        f"""
        WITH ev AS ({LADDER_EVENTS_SQL})
        SELECT action, src, dst, count(*)
          FROM ev
         WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
         GROUP BY action, src, dst
        """,  # noqa: S608 - constants of this module; values are parameters
        {"start": period.start, "end": period.end},
    )


def level_flow(period: Period) -> Table:
    at = levels_at([period.start, period.end])
    counted = {level: [0] * len(FLOW_COLUMNS) for level in LADDER_LEVELS}
    for action, src, dst, n in moves(period):
        if action == "case.screen_in" and dst in counted:
            counted[dst][1] += n
        elif action == "case.escalate":
            if dst in counted:
                counted[dst][2] += n
            if src in counted:
                counted[src][4] += n
        elif action == "case.deescalate":
            if dst in counted:
                counted[dst][3] += n
            if src in counted:
                counted[src][5] += n
        elif action == "case.close" and src in counted:
            counted[src][6] += n
    rows = []
    for level in LADDER_LEVELS:
        values = counted[level]
        values[START] = at[period.start][level]
        values[END] = at[period.end][level]
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
    at = levels_at([period.start, period.end])
    opened = fetch(
        "SELECT count(*) FROM casebook_case WHERE opened_at >= %(start)s AND opened_at < %(end)s",
        {"start": period.start, "end": period.end},
    )[0][0]
    screened_in = screened_out = 0
    for action, src, _dst, n in moves(period):
        if src == AWAITING and action == "case.screen_in":
            screened_in += n
        elif src == AWAITING and action == "case.screen_out":
            screened_out += n
    values = [
        at[period.start][AWAITING],
        opened,
        screened_in,
        screened_out,
        at[period.end][AWAITING],
    ]
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
    rows = fetch(
        f"""
        WITH ev AS ({LADDER_EVENTS_SQL})
        SELECT c.closure_reason_id, ev.src, count(*)
          FROM ev JOIN casebook_case c ON c.id = ev.case_id
         WHERE ev.dst = %(closed)s AND ev.occurred_at >= %(start)s AND ev.occurred_at < %(end)s
         GROUP BY c.closure_reason_id, ev.src
        """,  # noqa: S608 - constants of this module; values are parameters
        {"closed": CLOSED, "start": period.start, "end": period.end},
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
            *(LEVEL_LABELS[level] for level in LADDER_LEVELS),
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
