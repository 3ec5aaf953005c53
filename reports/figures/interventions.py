# SPDX-License-Identifier: AGPL-3.0-or-later
"""Interventions put to work in the period, per intervention and provider, grouped by the
plan's pillar (and effort, where the catalogue says): started, completed, and their cost at
the catalogue's price (``Intervention.cost_eur`` per its unit, times the number started).

The cost is the number started times a published price, so disclosure control knows
``cost = price × started`` (in cents): a suppressed number takes its cost with it. Each
pillar has a subtotal row and the table a grand total, with their relations.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casebook.models import Pillar
from reports.figures.base import compare, fetch
from reports.periods import Period
from reports.tables import Cell, Row, Table

COLUMNS = ("Ingezet", "Afgerond", "Kosten (catalogusprijs)")
PILLARS = dict(Pillar.choices)


def _euro(cents: int) -> Cell:
    return Cell(int(cents), display="€ " + f"{round(cents / 100):,}".replace(",", "."))


def interventions(period: Period) -> Table:
    result = fetch(
        """
        SELECT iv.pillar, iv.effort, iv.name, o.name,
               coalesce(round(iv.cost_eur * 100)::bigint, 0) AS price_cents,
               count(*) FILTER (WHERE pi.created_at >= %(start)s AND pi.created_at < %(end)s),
               count(*) FILTER (WHERE t.state = 'done' AND t.closed_at >= %(start)s
                                  AND t.closed_at < %(end)s)
          FROM casebook_planintervention pi
          JOIN casebook_intervention iv ON iv.id = pi.intervention_id
          JOIN casebook_organisation o ON o.id = pi.provider_id
          JOIN workflows_partnertask t ON t.process_ptr_id = pi.task_id
         WHERE pi.created_at < %(end)s
         GROUP BY iv.pillar, iv.effort, iv.name, o.name, iv.cost_eur
         ORDER BY iv.pillar NULLS LAST, iv.effort NULLS LAST, iv.name, o.name
        """,
        {"start": period.start, "end": period.end},
    )
    rows: list[Row] = []
    rels: list[tuple] = []
    subtotals: list[int] = []
    by_pillar: dict = {}
    for pillar, effort, name, provider, price, started, done in result:
        if started or done:
            by_pillar.setdefault(pillar, []).append((effort, name, provider, price, started, done))
    for pillar, items in by_pillar.items():
        first = len(rows)
        for effort, name, provider, price, started, done in items:
            label = f"{name} — {provider}" + (f" (inspanning {effort})" if effort else "")
            r = len(rows)
            rows.append(Row(label=label, cells=(Cell(started), Cell(done), _euro(price * started))))
            rels.append(((r, 0, price), (r, 2, -1)))
        members = range(first, len(rows))
        totals = [sum(rows[r].cells[c].value for r in members) for c in range(3)]
        pillar_label = PILLARS.get(pillar, _("Geen pijler vastgelegd"))
        r = len(rows)
        rows.append(
            Row(
                label=f"Totaal {pillar_label}",
                cells=(Cell(totals[0]), Cell(totals[1]), _euro(totals[2])),
                is_total=True,
            )
        )
        subtotals.append(r)
        for c in range(3):
            rels.append(tuple((m, c, 1) for m in members) + ((r, c, -1),))
    grand = [sum(rows[r].cells[c].value for r in subtotals) for c in range(3)]
    r = len(rows)
    rows.append(
        Row(
            label=_("Totaal alle pijlers"),
            cells=(Cell(grand[0]), Cell(grand[1]), _euro(grand[2])),
            is_total=True,
        )
    )
    for c in range(3):
        rels.append(tuple((s, c, 1) for s in subtotals) + ((r, c, -1),))
    return Table(
        key="interventies",
        title=_("Interventies per soort en aanbieder, per pijler"),
        row_header=_("Interventie — aanbieder"),
        columns=COLUMNS,
        rows=tuple(rows),
        description=_(
            "Interventies uit het plan van aanpak van een casus: ingezet en afgerond in de "
            "periode. Kosten: de catalogusprijs per eenheid maal het aantal ingezet "
            "(een prijs per uur telt als één eenheid)."
        ),
        relations=tuple(rels),
    )


def compared(period: Period) -> Table:
    return compare(interventions, period)
