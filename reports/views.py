# SPDX-License-Identifier: AGPL-3.0-or-later
"""The stuurgroep's report page and its PDF: aggregates only, never a person.

Thin: the period picker (``reports.forms``) says which period; ``reports.services.report``
gives the published tables. Bad input gets the form's Dutch errors and the default quarter's
report is not shown in its place (the user sees what was wrong)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casebook.policy import Act, Subject
from casebook.web import pdf_response, requires
from reports import disclosure
from reports.documents import flat, illustrated, report_pdf
from reports.exports import CSV, XLSX, export_response
from reports.forms import PeriodForm
from reports.services import report


def _context(request: HttpRequest) -> dict:
    form = PeriodForm(request.GET or None)
    period = form.period
    return {
        "form": form,
        "period": period,
        "comparisons": period.comparisons() if period else (),
        # Called by the template only when its cached tables have expired.
        "sections": (lambda: illustrated(report(period, scheme=form.scheme))) if period else [],
        "scheme": form.scheme,
        "threshold": disclosure.threshold(),
        "query": request.GET.urlencode(),
    }


@requires(Act.VIEW, Subject.REPORT)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    status = 200 if context["period"] else 400
    return render(request, "reports/overview.html", context, status=status)


@requires(Act.VIEW, Subject.REPORT)
@require_GET
def overview_pdf(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    if not context["period"]:
        return render(request, "reports/overview.html", context, status=400)
    period = context["period"]
    sections = report(period, scheme=context["scheme"])
    return pdf_response(report_pdf(period, sections), f"doorstroom-{period.key}.pdf")


@requires(Act.VIEW, Subject.REPORT)
@require_GET
def overview_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every table of the period's report, after suppression, as CSV or XLSX."""
    if fmt not in (CSV, XLSX):
        raise Http404("Onbekend bestandsformaat.")
    context = _context(request)
    if not context["period"]:
        return render(request, "reports/overview.html", context, status=400)
    period = context["period"]
    sections = report(period, scheme=context["scheme"])
    tables = [flat(t) for section in sections for t in section.tables]
    return export_response(tables, f"doorstroom-{period.key}", fmt)
