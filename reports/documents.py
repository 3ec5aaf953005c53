# SPDX-License-Identifier: AGPL-3.0-or-later
"""The quarterly report as a municipal document (WeasyPrint): cover, period, contents, the
sections with every table and its chart, notes on definitions and suppression, page numbers.

``illustrated`` pairs every published table with its chart (``reports.charts``, SVG drawn on
the server), so the page and the PDF show the same chart above the same table (the table is
the chart's accessible alternative). Charts are drawn from published tables only: a
suppressed cell is hatched, never sized."""

from __future__ import annotations

from dataclasses import replace

from django.template.loader import render_to_string
from django.utils import timezone

from casebook.documents import to_pdf
from reports import charts, disclosure
from reports.periods import Period
from reports.tables import Row, Table


def _this_period(table: Table, columns: range | list | None = None) -> Table:
    """The rows of the period itself (the first of every row group), labelled by group."""
    seen, rows = set(), []
    for row in table.rows:
        if row.group not in seen:
            seen.add(row.group)
            cells = row.cells if columns is None else tuple(row.cells[i] for i in columns)
            rows.append(Row(label=row.group or row.label, cells=cells, is_total=row.is_total))
    names = table.columns if columns is None else tuple(table.columns[i] for i in columns)
    return Table(
        key=f"{table.key}-periode",
        title=table.title,
        row_header=table.row_header,
        columns=names,
        rows=tuple(rows),
        counts=table.counts,
    )


def _per_period(table: Table, column: int) -> Table:
    """One column of a compared table turned round: a row per period, a column per label."""
    groups: list[str] = []
    for row in table.rows:
        if row.group not in groups and not row.is_total:
            groups.append(row.group)
    periods = table.meta.get("periods", [])
    rows = []
    for p, name in enumerate(periods):
        cells = tuple(
            [row for row in table.rows if row.group == group][p].cells[column] for group in groups
        )
        rows.append(Row(label=name, cells=cells))
    return Table(
        key=f"{table.key}-kolom-{column}",
        title=f"{table.title}: {table.columns[column].lower()}",
        row_header="Periode",
        columns=tuple(groups),
        rows=tuple(rows),
    )


def chart_for(table: Table):
    """The chart of a published table, or None for a table that reads better as a table."""
    if table.key == "doorstroom-per-niveau":
        return charts.stacked_bars(_per_period(table, len(table.columns) - 1))
    if table.key == "doorlooptijden":
        return charts.distribution(_this_period(table, [1, 2, 3]))
    if table.key == "signalen-per-soort-melder":
        return charts.stacked_bars(_this_period(table, [1, 2]))
    if table.key == "partnerwerk-per-organisatie":
        return charts.flow_bars(_this_period(table, [1, 2, 3, 4]))
    if table.key == "groepen-per-stap":
        return charts.stacked_bars(_per_period(table, len(table.columns) - 1))
    return None


def flat(table: Table) -> Table:
    """The table for an export: a compared table's rows labelled "label — period" (a
    spreadsheet has no row groups)."""
    return table.with_rows(
        replace(row, label=f"{row.group} — {row.label}") if row.group else row for row in table.rows
    )


def illustrated(sections) -> list:
    """[(section, [(table, chart or None), …]), …] for the page and the PDF."""
    return [
        (section, [(table, chart_for(table)) for table in section.tables]) for section in sections
    ]


def report_html(period: Period, sections) -> str:
    return render_to_string(
        "reports/documents/report.html",
        {
            "period": period,
            "comparisons": period.comparisons(),
            "sections": sections,
            "illustrated": illustrated(sections),
            "threshold": disclosure.threshold(),
            "made_at": timezone.localtime(),
        },
    )


def report_pdf(period: Period, sections) -> bytes:
    return to_pdf(report_html(period, sections))
