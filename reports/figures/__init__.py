# SPDX-License-Identifier: AGPL-3.0-or-later
"""The figures of the throughput report: one module per section, pure reads (selectors).

``raw_report(period)`` gives every section's raw tables, each beside the previous period and
the same period a year earlier; ``reports.services.report`` publishes them (disclosure
control) and keeps the result per period. Nothing here returns a person: only counts and
durations over groups.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.periods import Period
from reports.tables import Table


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]
    intro: str = ""


def raw_report(period: Period, scheme: str = "wijk") -> list[Section]:
    from reports.figures.base import ladder_stays

    with ladder_stays():  # the cases' stays per state, built once for the whole report
        return _sections(period, scheme)


def _sections(period: Period, scheme: str) -> list[Section]:
    from reports.figures import (
        areas,
        case_tables,
        flows,
        groups,
        interventions,
        lead_times,
        partner_work,
        signals,
    )

    return [
        Section(
            "doorstroom",
            "Doorstroom per niveau",
            (
                flows.compared_intake(period),
                flows.compared_level_flow(period),
                flows.compared_closures(period),
            ),
            "Hoeveel casussen de ladder op, over en af gingen.",
        ),
        Section(
            "doorlooptijden",
            "Doorlooptijden",
            (lead_times.compared_lead_times(period),),
            "Hoe lang het duurt van signaal tot screening, per niveau, tot de eerste "
            "bespreking en tot afsluiten.",
        ),
        Section(
            "signalen",
            "Signalen",
            tuple(signals.compared(period)),
            "Wie signaleert, waarover, en wat ermee gebeurde.",
        ),
        Section(
            "partnerwerk",
            "Partnerwerk",
            (partner_work.compared(period),),
            "Taken per organisatie: de basis voor het gesprek met de partnerdirecteuren.",
        ),
        Section(
            "casustafels",
            "Casustafels",
            tuple(case_tables.compared(period)),
            "Zittingen, besproken casussen en besluiten; de maandelijkse duidingsbijeenkomsten.",
        ),
        Section(
            "interventies",
            "Interventies en kosten",
            (interventions.compared(period),),
            "Ingezette en afgeronde interventies en hun kosten per pijler van het plan.",
        ),
        Section(
            "groepsaanpak",
            "Groepsaanpak",
            tuple(groups.compared(period)),
            "Jeugdgroepen door het 7-stappenmodel, leden per kleur en bulkacties.",
        ),
        Section(
            "gebieden",
            "Gebieden",
            (areas.compared(period, scheme),),
            "De cijfers met een plaats, naar het gekozen gebiedsindeling.",
        ),
    ]
