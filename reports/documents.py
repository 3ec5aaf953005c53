# SPDX-License-Identifier: AGPL-3.0-or-later
"""The quarterly report as a municipal document (WeasyPrint): cover, period, contents, the
sections with every table, notes on definitions and suppression, page numbers.

Charts: when ``reports.charts`` exists (the KPI branch), each table that has a chart gets it
above its table; until then the PDF holds every table (the tables are the accessible
alternative of the charts anyway)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from casebook.documents import to_pdf
from reports import disclosure
from reports.periods import Period


def report_html(period: Period, sections) -> str:
    return render_to_string(
        "reports/report_pdf.html",
        {
            "period": period,
            "comparisons": period.comparisons(),
            "sections": sections,
            "threshold": disclosure.threshold(),
            "made_at": timezone.localtime(),
        },
    )


def report_pdf(period: Period, sections) -> bytes:
    return to_pdf(report_html(period, sections))
