# SPDX-License-Identifier: AGPL-3.0-or-later
"""The KPI dashboard's reads: every active KPI with its value, progress, trend and whether it
is on track, and the tables the page, its charts and the exports show.

On track (ADR 0023): a straight line from zero on the KPI's start date to the target value on
its target date. A KPI whose value is at or above the line today is on track; at or above the
target it is achieved; below the line it is behind. For a "lower is better" KPI the value must
not exceed the target. Without a target value, or without a value, it cannot be judged.

Aggregates only: every count of people passes ``reports.publishing.publish`` first, and a
value derived from suppressed counts is suppressed with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from reports.measures import MEASURES, Measurement
from reports.models import Direction, Kpi, KpiManualValue
from reports.publishing import is_small, publish, threshold
from reports.tables import Cell, Row, Table


class Status:
    ACHIEVED = "behaald"
    ON_TRACK = "op koers"
    BEHIND = "achter op schema"
    UNKNOWN = "niet te beoordelen"


#: The CSS modifier of each status (the badge colour; the word is always there too).
STATUS_CLASS = {
    Status.ACHIEVED: "achieved",
    Status.ON_TRACK: "on-track",
    Status.BEHIND: "behind",
    Status.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class KpiStatus:
    kpi: Kpi
    value: float | int | None
    suppressed: bool
    #: Share of the target reached, 0–100 (``None``: no target or no value).
    progress: float | None
    #: Where the straight line to the target stands today.
    expected: float | None
    status: str
    definition: str
    detail: str
    notes: tuple[str, ...]
    missing: str
    trend: Table | None
    manual: KpiManualValue | None = None

    @property
    def status_class(self) -> str:
        return STATUS_CLASS[self.status]

    @property
    def value_text(self) -> str:
        if self.suppressed:
            return Cell(None, suppressed=True).text
        if self.value is None:
            return Cell(None).text
        return _number(self.value) + (f" {self.kpi.unit}" if self.kpi.unit else "")

    @property
    def target_text(self) -> str:
        if self.kpi.target_value is None:
            return "–"
        unit = f" {self.kpi.unit}" if self.kpi.unit else ""
        sign = "≥ " if self.kpi.direction == Direction.AT_LEAST else "≤ "
        return f"{sign}{_number(self.kpi.target_value)}{unit} op {self.kpi.target_date:%d-%m-%Y}"


def _number(value) -> str:
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral() else float(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def expected_on(kpi: Kpi, day: dt.date) -> float | None:
    """The straight line from 0 on the start date to the target on the target date."""
    if kpi.target_value is None:
        return None
    span = (kpi.target_date - kpi.start_date).days
    elapsed = min(max((day - kpi.start_date).days, 0), span)
    return round(float(kpi.target_value) * elapsed / span, 1)


def judge(kpi: Kpi, value, day: dt.date) -> tuple[str, float | None, float | None]:
    """(status, progress in per cent, expected value today) of ``value`` on ``day``."""
    expected = expected_on(kpi, day)
    if value is None or kpi.target_value is None:
        return Status.UNKNOWN, None, expected
    target = float(kpi.target_value)
    value = float(value)
    if kpi.direction == Direction.AT_MOST:
        if value <= target:
            return (Status.ACHIEVED if day >= kpi.target_date else Status.ON_TRACK), None, expected
        return Status.BEHIND, None, expected
    progress = round(min(100.0, max(0.0, 100 * value / target)), 1) if target else 100.0
    if value >= target:
        return Status.ACHIEVED, progress, expected
    if day < kpi.target_date and value >= (expected or 0):
        return Status.ON_TRACK, progress, expected
    return Status.BEHIND, progress, expected


def _trend_table(kpi: Kpi, measurement: Measurement, *, counts_people: bool) -> Table | None:
    if not measurement.trend:
        return None
    measure = MEASURES[kpi.measure]
    table = Table(
        key=f"kpi-{kpi.code.lower()}",
        title=f"{kpi.code} {kpi.name}: verloop per kwartaal",
        row_header="Kwartaal",
        columns=("Stand aan het eind" if measure.cumulative else "In het kwartaal",),
        rows=tuple(Row(p.label, (Cell(p.value),)) for p in measurement.trend),
        description=measure.definition,
        counts=counts_people,
        meta={"unit": kpi.unit, "cumulative": measure.cumulative},
    )
    return publish(table)


def _measured(kpi: Kpi, today: dt.date) -> KpiStatus:
    measure = MEASURES[kpi.measure]
    measurement = measure.compute(kpi, today)
    value = measurement.value
    trend = _trend_table(kpi, measurement, counts_people=measure.counts_people)
    if measurement.basis:
        # A value derived from counts (K14's change) is hidden when one of them is small: its
        # quarter is suppressed in the trend, and the value would give it back.
        suppressed = any(is_small(n) for n in measurement.basis)
    else:
        suppressed = measure.counts_people and is_small(value)
    if suppressed:
        value = None
    status, progress, expected = judge(kpi, value, today)
    return KpiStatus(
        kpi=kpi,
        value=value,
        suppressed=suppressed,
        progress=progress,
        expected=expected,
        status=status,
        definition=measure.definition,
        detail="" if suppressed else measurement.detail,
        notes=measurement.notes,
        missing=measurement.missing,
        trend=trend,
    )


def _manual(kpi: Kpi, today: dt.date) -> KpiStatus:
    latest = kpi.latest[0] if kpi.latest else None
    value = latest.value if latest is not None else None
    status, progress, expected = judge(kpi, value, today)
    missing = "Nog geen waarde vastgelegd door de programmamanager." if latest is None else ""
    return KpiStatus(
        kpi=kpi,
        value=value,
        suppressed=False,
        progress=progress,
        expected=expected,
        status=status,
        definition="Niet te meten in IJAM: de programmamanager legt de stand vast, met bron "
        "en peildatum.",
        detail=latest.summary if latest is not None else "",
        notes=(),
        missing=missing,
        trend=None,
        manual=latest,
    )


def kpi_dashboard(today: dt.date | None = None) -> list[KpiStatus]:
    """Every active KPI, measured ones first in their order, then the manual ones."""
    today = today or timezone.localdate()
    kpis = (
        Kpi.objects.filter(is_active=True)
        .prefetch_related(
            "neighbourhoods",
            Prefetch(
                "manual_values",
                queryset=KpiManualValue.objects.order_by("-measured_on", "-recorded_at"),
                to_attr="latest",
            ),
        )
        .order_by("order", "code")
    )
    return [_measured(k, today) if k.measure else _manual(k, today) for k in kpis]


def summary_table(statuses: list[KpiStatus]) -> Table:
    """One row per KPI: its value (as published), target, progress and the line today. Built
    from published values only; it counts no people itself."""
    rows = []
    for s in statuses:
        value = Cell(None, suppressed=True) if s.suppressed else Cell(_plain(s.value))
        rows.append(
            Row(
                f"{s.kpi.code} {s.kpi.name} ({s.status})",
                (
                    value,
                    Cell(_plain(s.kpi.target_value)),
                    Cell(s.progress),
                    Cell(None if s.suppressed else s.expected),
                ),
            )
        )
    return Table(
        key="kpis",
        title="KPI's van Preventie met Gezag",
        row_header="KPI (beoordeling)",
        columns=("Stand", "Streefwaarde", "Voortgang (%)", "Verwachting nu"),
        rows=tuple(rows),
        description="De doelstellingen uit het plan van aanpak met hun stand van vandaag.",
        notes=(
            "Op koers: de stand ligt op of boven de rechte lijn van 0 op de startdatum naar de "
            "streefwaarde op de streefdatum.",
            f"Aantallen personen kleiner dan {threshold()} worden niet getoond.",
        ),
        counts=False,
    )


def manual_table(statuses: list[KpiStatus]) -> Table:
    rows = []
    for s in statuses:
        if not s.kpi.is_manual:
            continue
        if s.manual is None:
            label = f"{s.kpi.code} {s.kpi.name}: nog geen waarde"
        else:
            label = (
                f"{s.kpi.code} {s.kpi.name}: {s.manual.summary} (bron: {s.manual.source}, "
                f"peildatum {s.manual.measured_on:%d-%m-%Y})"
            )
        rows.append(Row(label, (Cell(_plain(s.value)), Cell(_plain(s.kpi.target_value)))))
    return Table(
        key="kpis-handmatig",
        title="Doelstellingen die IJAM niet kan meten",
        row_header="KPI en stand van zaken",
        columns=("Waarde", "Streefwaarde"),
        rows=tuple(rows),
        description="Vastgelegd door de programmamanager, met bron en peildatum.",
        counts=False,
    )


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def dashboard_tables(statuses: list[KpiStatus]) -> list[Table]:
    """Everything the dashboard shows, as published tables: the summary, the manual values and
    each KPI's trend (the exports' sheets)."""
    return [
        summary_table(statuses),
        manual_table(statuses),
        *(s.trend for s in statuses if s.trend is not None),
    ]
