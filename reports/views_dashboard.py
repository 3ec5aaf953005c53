# SPDX-License-Identifier: AGPL-3.0-or-later
"""The KPI dashboard: the stuurgroep's landing page, its exports, and the programme manager's
manual values. Aggregates only: nothing here reads or shows a person."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from casebook.errors import IjamError, NotAllowed, add_form_errors
from casebook.policy import Act, Subject, may, require
from casebook.web import requires
from reports import charts
from reports.exports import CSV, XLSX, export_response
from reports.forms_dashboard import ManualValueForm
from reports.kpis import KpiStatus, dashboard_tables, kpi_dashboard
from reports.models import Pillar
from reports.publishing import threshold
from reports.services_dashboard import kpi_manual_value_record


@dataclass(frozen=True)
class KpiCard:
    status: KpiStatus
    progress_chart: str
    trend_chart: str


def _card(status: KpiStatus) -> KpiCard:
    kpi = status.kpi
    chart_id = f"kpi-{kpi.code.lower()}"
    expected_percent = None
    if status.expected is not None and kpi.target_value:
        expected_percent = 100 * status.expected / float(kpi.target_value)
    progress = charts.progress_bar(
        chart_id=f"{chart_id}-voortgang",
        title=f"{kpi.code}: voortgang naar de streefwaarde",
        percent=status.progress,
        expected_percent=expected_percent,
        suppressed=status.suppressed,
    )
    trend = ""
    if status.trend is not None:
        cumulative = status.trend.meta.get("cumulative", True)
        trend = charts.line_trend(
            status.trend,
            target=float(kpi.target_value) if cumulative and kpi.target_value else None,
            target_label=f"streefwaarde {status.target_text}",
            chart_id=f"{chart_id}-verloop",
        )
    return KpiCard(status, progress, trend)


def _render_dashboard(request: HttpRequest, form: ManualValueForm | None, status: int = 200):
    statuses = kpi_dashboard()
    cards = [_card(s) for s in statuses]
    pillars = [
        (label, [c for c in cards if c.status.kpi.pillar == value and not c.status.kpi.is_manual])
        for value, label in Pillar.choices
    ]
    manual = [c.status for c in cards if c.status.kpi.is_manual]
    may_record = may(request.user, Act.RECORD, Subject.REPORT)
    if may_record and form is None:
        form = ManualValueForm()
    return render(
        request,
        "reports/dashboard/dashboard.html",
        {
            "pillars": pillars,
            "manual": manual,
            "form": form if may_record else None,
            "threshold": threshold(),
            "counts": _counts(statuses),
        },
        status=status,
    )


def _counts(statuses: list[KpiStatus]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in statuses:
        out[s.status] = out.get(s.status, 0) + 1
    return out


@requires(Act.VIEW, Subject.REPORT)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The plan's targets: progress, trend and whether each is on track."""
    return _render_dashboard(request, None)


@requires(Act.VIEW, Subject.REPORT)
@require_GET
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every table of the dashboard (after suppression) as CSV or XLSX."""
    if fmt not in (CSV, XLSX):
        raise Http404("Onbekend bestandsformaat.")
    return export_response(dashboard_tables(kpi_dashboard()), "ijam-kpi-dashboard", fmt)


@login_required
@require_POST  # the method first: a GET (a followed link) is a 405 for every role
def kpi_value_record(request: HttpRequest) -> HttpResponse:
    """The programme manager records the value of a KPI IJAM cannot measure."""
    require(request.user, Act.RECORD, Subject.REPORT)
    form = ManualValueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            kpi_manual_value_record(
                actor=request.user,
                kpi_id=data["kpi"].pk,
                value=data["value"],
                summary=data["summary"],
                source=data["source"],
                measured_on=data["measured_on"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"De stand van {data['kpi'].code} is vastgelegd.")
            return redirect("stuurgroep:dashboard")
    return _render_dashboard(request, form, status=400)
