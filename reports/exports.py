# SPDX-License-Identifier: AGPL-3.0-or-later
"""CSV and XLSX exports of published ``Table``s, for the annual action plan, SISa and the
national evaluation (ADR 0023).

- XLSX (openpyxl): one sheet per table, its title and description on top, then the header,
  the rows and the notes; numbers are numbers, a suppressed cell is the text "<5".
- CSV: one file with every table one after the other, each under its title and separated by an
  empty line; ``;`` as separator and a UTF-8 byte-order mark, as Excel with Dutch settings
  expects (it reads "," as the decimal sign and opens a BOM-less file as Windows-1252);
  decimals with a comma.
- Both are safe from formula injection: a text cell that starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as
  text and never runs it (a label is the only text that comes from users: an organisation's
  name, a category).

Only published tables come here: a suppressed cell has no value to leak (``reports.tables``).
"""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.tables import Cell, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(text: str) -> str:
    """A text a spreadsheet would read as a formula, made plain text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell_value(cell: Cell):
    """What goes into a spreadsheet cell: the number, or the text for a suppressed or empty
    one."""
    if cell.suppressed or cell.value is None:
        return cell.text
    return cell.value


def _sheet_name(table: Table, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ ; unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", "-", table.key)[:28] or "tabel"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:26]}-{n}", n + 1
    used.add(name.lower())
    return name


def to_xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table, used))
        sheet.append([neutralise(table.title)])
        sheet["A1"].font = Font(bold=True, size=13)
        if table.description:
            sheet.append([neutralise(table.description)])
        sheet.append([])
        sheet.append([neutralise(table.row_header), *(neutralise(c) for c in table.columns)])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            sheet.append([neutralise(row.label), *(_cell_value(c) for c in row.cells)])
        if table.notes:
            sheet.append([])
            for note in table.notes:
                sheet.append([neutralise(note)])
        sheet.column_dimensions["A"].width = min(
            80, max([len(table.row_header), *(len(r.label) for r in table.rows)], default=10) + 2
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv_number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value)


def to_csv(tables: list[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(table.row_header), *(neutralise(c) for c in table.columns)])
        for row in table.rows:
            writer.writerow(
                [
                    neutralise(row.label),
                    *(
                        c.text if (c.suppressed or c.value is None) else _csv_number(c.value)
                        for c in row.cells
                    ),
                ]
            )
        for note in table.notes:
            writer.writerow([neutralise(note)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_response(tables: list[Table], basename: str, fmt: str) -> HttpResponse:
    """A download of ``tables`` as ``basename.csv`` or ``basename.xlsx``. ``fmt`` is checked
    by the caller (a form or the URL); anything else is a ``ValueError``."""
    if fmt == XLSX:
        body = to_xlsx(tables)
    elif fmt == CSV:
        body = to_csv(tables)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    safe_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", basename).strip("-") or "export"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
