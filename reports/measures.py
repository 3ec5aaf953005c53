# SPDX-License-Identifier: AGPL-3.0-or-later
"""The registry of measures: the named queries over IJAM's data a KPI can be defined by.

The admin offers these names, never a query of its own (arbitrary SQL from a form is unsafe:
ADR 0023). Each measure answers, for one KPI and a day, its current value and a trend per
quarter since the KPI's start date. A measure returns raw numbers; ``reports.kpis`` passes the
ones that count people through disclosure control before anything shows them.

A measure reads aggregates only: counts grouped in the database, never a row about a person
leaves this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from casebook.models import (
    AuditAction,
    AuditEvent,
    Case,
    GroupStepDecision,
    Organisation,
    OrganisationKind,
    SchoolType,
    Signal,
)
from workflows.groups.steps import GroupStep
from workflows.ladder.machine import JONGE_AANWAS, PGA
from workflows.meetings.models import Meeting, MeetingSeries


@dataclass(frozen=True)
class Point:
    """One quarter of a trend: its label ("2025 K3"), its last day, the value at its end
    (cumulative measures) or in it (per-quarter measures)."""

    label: str
    end: dt.date
    value: float | int | None


@dataclass(frozen=True)
class Measurement:
    value: float | int | None
    trend: tuple[Point, ...]
    #: How the value reads next to its number ("4 van 6 PO- en VO-scholen").
    detail: str = ""
    notes: tuple[str, ...] = ()
    #: Why there is no value ("kies een overlegreeks"), shown instead of a number.
    missing: str = ""
    #: The counts a derived value (a growth in per cent) rests on: when one is suppressed,
    #: so is the value.
    basis: tuple[int, ...] = ()


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    #: How the figure is computed, in Dutch, shown under the KPI (the definition).
    definition: str
    compute: Callable[..., Measurement]
    #: The trend's values are running totals (K8) rather than per-quarter counts (K14).
    cumulative: bool = True
    #: The figures count people (youths), some in a small area: subject to suppression.
    counts_people: bool = False


# --- Quarters --------------------------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: dt.date, today: dt.date | None = None) -> str:
    """ "2025 K3"; the quarter that holds ``today`` reads "2026 K4 (lopend)": it is not over."""
    label = f"{day.year} K{(day.month - 1) // 3 + 1}"
    if today is not None and quarter_start(today) == quarter_start(day):
        label += " (lopend)"
    return label


def quarters(start: dt.date, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The quarters from the one holding ``start`` up to and including the current one, as
    (first day, last day)."""
    out = []
    first = quarter_start(start)
    while first <= today:
        month = first.month + 3
        following = dt.date(first.year + (month > 12), (month - 1) % 12 + 1, 1)
        out.append((first, following - dt.timedelta(days=1)))
        first = following
    return out


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _per_quarter(queryset, field_name: str) -> dict[dt.date, int]:
    rows = (
        queryset.annotate(q=TruncQuarter(field_name))
        .values_list("q")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {timezone.localtime(q).date() if isinstance(q, dt.datetime) else q: n for q, n in rows}


def _trend(kpi, today: dt.date, per_quarter: dict[dt.date, int], *, cumulative: bool):
    total, points = 0, []
    for first, last in quarters(kpi.start_date, today):
        n = per_quarter.get(first, 0)
        total += n
        points.append(Point(quarter_label(first, today), last, total if cumulative else n))
    return tuple(points)


# --- The measures ----------------------------------------------------------------------------


def signals_received(kpi, today: dt.date) -> Measurement:
    signals = Signal.objects.filter(
        received_at__gte=_aware(kpi.start_date), received_at__lt=_aware(today + dt.timedelta(1))
    )
    trend = _trend(kpi, today, _per_quarter(signals, "received_at"), cumulative=True)
    organisations = signals.values("reporter_organisation").distinct().count()
    value = trend[-1].value if trend else 0
    return Measurement(value=value, trend=trend, detail=f"van {organisations} organisaties")


def _schools():
    return Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL,
        school_type__in=[SchoolType.PO, SchoolType.VO],
        is_active=True,
    )


def schools_connected(kpi, today: dt.date) -> Measurement:
    schools = dict(_schools().values_list("pk", "name"))
    if not schools:
        return Measurement(None, (), missing="Er zijn geen PO- of VO-scholen vastgelegd.")
    first_signal = dict(
        Signal.objects.filter(
            reporter_organisation__in=list(schools),
            received_at__gte=_aware(kpi.start_date),
            received_at__lt=_aware(today + dt.timedelta(1)),
        )
        .values_list("reporter_organisation")
        .annotate(first=Min("received_at"))
        .order_by()
    )
    firsts = [timezone.localtime(at).date() for at in first_signal.values()]
    points = []
    for first, last in quarters(kpi.start_date, today):
        connected = sum(1 for day in firsts if day <= last)
        points.append(
            Point(quarter_label(first, today), last, round(100 * connected / len(schools), 1))
        )
    waiting = sorted(name for pk, name in schools.items() if pk not in first_signal)
    notes = (f"Nog geen signaal van: {', '.join(waiting)}.",) if waiting else ()
    return Measurement(
        value=round(100 * len(first_signal) / len(schools), 1),
        trend=tuple(points),
        detail=f"{len(first_signal)} van {len(schools)} PO- en VO-scholen",
        notes=notes,
    )


def signals_from_areas(kpi, today: dt.date) -> Measurement:
    """Signals about youths living in the chosen buurten, per quarter; the value is the change
    of the last complete quarter against the same quarter a year earlier, in per cent."""
    neighbourhoods = [n.pk for n in kpi.neighbourhoods.all()]
    if not neighbourhoods:
        return Measurement(None, (), missing="Er zijn nog geen buurten gekozen.")
    signals = Signal.objects.filter(
        youth__neighbourhood__in=neighbourhoods,
        received_at__gte=_aware(quarter_start(kpi.start_date)),
        received_at__lt=_aware(today + dt.timedelta(1)),
    )
    trend = _trend(kpi, today, _per_quarter(signals, "received_at"), cumulative=False)
    complete = [p for p in trend if p.end < today]
    if len(complete) < 5:
        return Measurement(
            None,
            trend,
            missing="Nog geen kwartaal om met hetzelfde kwartaal een jaar eerder te vergelijken.",
        )
    recent, year_before = complete[-1], complete[-5]
    change = (
        round(100 * (recent.value - year_before.value) / year_before.value, 1)
        if year_before.value
        else None
    )
    return Measurement(
        value=change,
        trend=trend,
        detail=f"{recent.label} tegen {year_before.label}, {len(neighbourhoods)} buurten",
        basis=(recent.value, year_before.value),
    )


LADDER_MOVES = (
    AuditAction.CASE_SCREEN_IN,
    AuditAction.CASE_SCREEN_OUT,
    AuditAction.CASE_ESCALATE,
    AuditAction.CASE_DEESCALATE,
    AuditAction.CASE_CLOSE,
)


def youths_in_approach(kpi, today: dt.date) -> Measurement:
    """Cases on the levels Jonge Aanwas and PGA (the criteria for jonge aanwas or doorgroeiers
    are met), now and at the end of each quarter. The level at a past moment comes from the
    ladder's moves in the audit trail (level numbers only, one query)."""
    moves = (
        AuditEvent.objects.filter(action__in=LADDER_MOVES, case__isnull=False)
        .order_by("occurred_at", "pk")
        .values_list("case_id", "occurred_at", "after__niveau")
    )
    targets = {JONGE_AANWAS, PGA}
    level: dict[int, str] = {}
    points = []
    moves = iter(moves.iterator())
    pending = next(moves, None)
    for first, last in quarters(kpi.start_date, today):
        until = _aware(last + dt.timedelta(days=1))
        while pending is not None and pending[1] < until:
            level[pending[0]] = pending[2]
            pending = next(moves, None)
        points.append(
            Point(
                quarter_label(first, today), last, sum(1 for lv in level.values() if lv in targets)
            )
        )
    now = Case.objects.filter(level__in=targets).count()
    return Measurement(value=now, trend=tuple(points), detail="jongeren op Jonge Aanwas of PGA")


def consecutive_sessions(kpi, today: dt.date) -> Measurement:
    """The longest run of consecutive months, up to today, with a held sitting of the meeting
    series marked as interpretation session (or the one chosen on the KPI)."""
    if kpi.meeting_series_id is not None:
        sittings = Meeting.objects.filter(series_id=kpi.meeting_series_id)
    elif MeetingSeries.objects.filter(is_interpretation_session=True).exists():
        sittings = Meeting.objects.filter(series__is_interpretation_session=True)
    else:
        return Measurement(
            None,
            (),
            missing="Er is nog geen overlegreeks als duidingsbijeenkomst aangemerkt.",
        )
    months = {
        timezone.localtime(month).date() if isinstance(month, dt.datetime) else month
        for month in sittings.filter(
            status=Meeting.Status.HELD,
            starts_at__gte=_aware(kpi.start_date),
            starts_at__lt=_aware(today + dt.timedelta(1)),
        )
        .annotate(month=TruncMonth("starts_at"))
        .values_list("month", flat=True)
        .distinct()
    }

    def longest_until(last: dt.date) -> int:
        best = run = 0
        month = dt.date(kpi.start_date.year, kpi.start_date.month, 1)
        while month <= last:
            run = run + 1 if month in months else 0
            best = max(best, run)
            month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        return best

    points = tuple(
        Point(quarter_label(first, today), last, longest_until(min(last, today)))
        for first, last in quarters(kpi.start_date, today)
    )
    return Measurement(
        value=longest_until(today),
        trend=points,
        detail=f"maanden op rij met een bijeenkomst ({len(months)} maanden in totaal)",
    )


def groups_full_cycle(kpi, today: dt.date) -> Measurement:
    """Group approaches that went through all seven steps: closed after step 7."""
    done = GroupStepDecision.objects.filter(
        from_step=GroupStep.CONCLUDE,
        to_step=GroupStep.CLOSED,
        decided_at__gte=_aware(kpi.start_date),
        decided_at__lt=_aware(today + dt.timedelta(1)),
    )
    trend = _trend(kpi, today, _per_quarter(done, "decided_at"), cumulative=True)
    return Measurement(
        value=trend[-1].value if trend else 0,
        trend=trend,
        detail="groepsaanpakken die alle zeven stappen doorliepen",
    )


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure(
            "signals_received",
            "Aantal signalen sinds de start",
            "Alle signalen die IJAM ontving vanaf de startdatum, van alle organisaties.",
            signals_received,
        ),
        Measure(
            "schools_connected",
            "Aandeel PO- en VO-scholen dat signaleert",
            "Het aandeel van de actieve PO- en VO-scholen (organisaties van de soort school) "
            "dat sinds de startdatum ten minste één signaal meldde.",
            schools_connected,
        ),
        Measure(
            "signals_from_areas",
            "Groei van signalen uit gekozen gebieden",
            "Signalen over jongeren die wonen in de gekozen buurten: het laatste volle "
            "kwartaal tegen hetzelfde kwartaal een jaar eerder, als procentuele groei.",
            signals_from_areas,
            cumulative=False,
            counts_people=True,
        ),
        Measure(
            "youths_in_approach",
            "Jongeren in de aanpak (Jonge Aanwas en PGA)",
            "Casussen op het niveau Overleg Jonge Aanwas of PGA: de jongeren die voldoen aan "
            "de criteria voor jonge aanwas of doorgroeiers. Per kwartaal de stand aan het eind.",
            youths_in_approach,
            counts_people=True,
        ),
        Measure(
            "consecutive_sessions",
            "Opeenvolgende maandelijkse bijeenkomsten",
            "De langste reeks opeenvolgende kalendermaanden met ten minste één gehouden "
            "zitting van een overlegreeks die als duidingsbijeenkomst is aangemerkt.",
            consecutive_sessions,
        ),
        Measure(
            "groups_full_cycle",
            "Groepsaanpakken volgens het 7-stappenmodel",
            "Groepsaanpakken die na stap 7 (afronden en evalueren) zijn afgesloten.",
            groups_full_cycle,
        ),
    )
}

MEASURE_CHOICES = [(code, m.label) for code, m in MEASURES.items()]
