# SPDX-License-Identifier: AGPL-3.0-or-later
"""The group approach (7-stappenmodel): groups per step at the start and end of the period
and their moves between steps (``GroupStepDecision``); members per tier at the end; bulk
actions (one task per member) started in the period.

A group's step at a moment is the step after its last recorded move before it, or step 1
when it was created before it and has not moved. Groups are not persons: their counts show
as they are. Members are persons: those counts are suppressed when small.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casebook.models import Tier
from reports.figures.base import compare, count_row, fetch, with_total
from reports.periods import Period
from reports.tables import Cell, Row, Table
from workflows.groups.steps import GroupStep

STEP_COLUMNS = ("Aan begin", "Naar deze stap", "Uit deze stap", "Aan eind")


def _steps_at(moment) -> dict:
    rows = fetch(
        """
        SELECT coalesce(last.to_step, %(first)s), count(*)
          FROM casebook_group g
          LEFT JOIN LATERAL (
                SELECT d.to_step FROM casebook_groupstepdecision d
                 WHERE d.group_id = g.id AND d.decided_at < %(t)s
                 ORDER BY d.decided_at DESC, d.id DESC LIMIT 1
          ) last ON true
         WHERE g.created_at < %(t)s
         GROUP BY 1
        """,
        {"t": moment, "first": GroupStep.SIGNALS.value},
    )
    return dict(rows)


def steps(period: Period) -> Table:
    start, end = _steps_at(period.start), _steps_at(period.end)
    moves = fetch(
        """
        SELECT from_step, to_step, count(*) FROM casebook_groupstepdecision
         WHERE decided_at >= %(start)s AND decided_at < %(end)s
         GROUP BY from_step, to_step
        """,
        {"start": period.start, "end": period.end},
    )
    into: dict = {}
    out: dict = {}
    for src, dst, n in moves:
        into[dst] = into.get(dst, 0) + n
        out[src] = out.get(src, 0) + n
    created = fetch(
        "SELECT count(*) FROM casebook_group "
        "WHERE created_at >= %(start)s AND created_at < %(end)s",
        {"start": period.start, "end": period.end},
    )[0][0]
    into[GroupStep.SIGNALS.value] = into.get(GroupStep.SIGNALS.value, 0) + created
    rows = [
        count_row(
            str(label),
            [start.get(step, 0), into.get(step, 0), out.get(step, 0), end.get(step, 0)],
        )
        for step, label in GroupStep.choices
    ]
    return Table(
        key="groepen-per-stap",
        title=_("Groepsaanpak: groepen per stap en beweging tussen stappen"),
        row_header=_("Stap"),
        columns=STEP_COLUMNS,
        rows=tuple(with_total(rows, len(STEP_COLUMNS))),
        description=_(
            "Jeugdgroepen per stap van het 7-stappenmodel aan begin en eind van de periode, en "
            "hoeveel groepen in de periode naar een stap gingen (nieuwe groepen beginnen in "
            "stap 1) of eruit. Groepen zijn geen personen: de aantallen staan er zoals ze zijn."
        ),
        counts=False,
    )


def members(period: Period) -> Table:
    rows = fetch(
        """
        SELECT coalesce(last.to_tier, m.tier), count(*)
          FROM casebook_groupmember m
          JOIN casebook_group g ON g.id = m.group_id
          LEFT JOIN LATERAL (
                SELECT c.to_tier FROM casebook_grouptierchange c
                 WHERE c.member_id = m.id AND c.changed_at < %(end)s
                 ORDER BY c.changed_at DESC, c.id DESC LIMIT 1
          ) last ON true
         WHERE m.joined_on <= %(last_day)s
           AND (m.left_on IS NULL OR m.left_on > %(last_day)s)
           AND g.created_at < %(end)s
           AND NOT EXISTS (SELECT 1 FROM casebook_groupstepdecision d
                            WHERE d.group_id = g.id AND d.to_step = %(closed)s
                              AND d.decided_at < %(end)s)
         GROUP BY 1
        """,
        {"end": period.end, "last_day": period.last_day, "closed": GroupStep.CLOSED.value},
    )
    found = dict(rows)
    table_rows = [count_row(str(label), [found.get(tier, 0)]) for tier, label in Tier.choices]
    return Table(
        key="groepsleden-per-kleur",
        title=_("Leden van groepen in aanpak per kleur (aan eind van de periode)"),
        row_header=_("Kleur"),
        columns=("Leden",),
        rows=tuple(with_total(table_rows, 1)),
        description=_(
            "Rood: verdacht van strafbare feiten; oranje: eerder bekend en zorgen; "
            "geel: risico, niet bekend bij justitie."
        ),
    )


def bulk_actions(period: Period) -> Table:
    ((actions, tasks),) = fetch(
        """
        SELECT (SELECT count(*) FROM casebook_auditevent
                 WHERE action = 'group.bulk_action'
                   AND occurred_at >= %(start)s AND occurred_at < %(end)s),
               (SELECT count(*) FROM workflows_partnertask t
                  JOIN viewflow_process p ON p.id = t.process_ptr_id
                 WHERE t.group_member_id IS NOT NULL
                   AND p.created >= %(start)s AND p.created < %(end)s)
        """,
        {"start": period.start, "end": period.end},
    )
    return Table(
        key="bulkacties",
        title=_("Bulkacties in de groepsaanpak"),
        row_header=_("Bulkacties"),
        columns=("Bulkacties", "Taken per lid"),
        rows=(Row(label=_("Bulkacties"), cells=(Cell(int(actions)), Cell(int(tasks)))),),
        description=_(
            "Acties voor alle leden van gekozen kleuren (zoals de overlastbrief), "
            "en de taken die ze per lid startten."
        ),
        counts=False,
        count_columns=(1,),
    )


def compared(period: Period) -> list[Table]:
    return [
        compare(steps, period, links=[(0, 3)]),
        compare(members, period),
        compare(bulk_actions, period),
    ]
