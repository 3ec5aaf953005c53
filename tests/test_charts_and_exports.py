# SPDX-License-Identifier: AGPL-3.0-or-later
"""The stuurgroep's SVG charts and CSV/XLSX exports (reports/charts.py, reports/exports.py):
accessible, within the Content-Security-Policy, escaped, never drawing or writing a suppressed
value, and the same chart in a WeasyPrint PDF."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import openpyxl
import pytest

from casebook.documents import to_pdf
from reports import charts
from reports.exports import neutralise, to_csv, to_xlsx
from reports.publishing import publish
from reports.tables import Cell, Row, Table
from tests.test_security_headers import findings

HOSTILE = '<script>alert("x")</script> & "Basisschool" \'t Zonnetje'


def flow_table() -> Table:
    """Cases from level to level in a quarter; "Naar PGA" from Jonge Aanwas is 3: small."""
    raw = Table(
        key="stroom",
        title="Stroom tussen de niveaus",
        row_header="Van",
        columns=("Naar Netwerkoverleg", "Naar Jonge Aanwas", "Naar PGA", "Afgesloten"),
        rows=(
            Row("Netwerkoverleg", (Cell(0), Cell(12), Cell(7), Cell(25))),
            Row("Jonge Aanwas", (Cell(9), Cell(0), Cell(3), Cell(11))),
            Row(HOSTILE, (Cell(6), Cell(8), Cell(0), Cell(14))),
        ),
    )
    return publish(raw)


def trend_table() -> Table:
    return publish(
        Table(
            key="trend",
            title="Signalen per kwartaal",
            row_header="Kwartaal",
            columns=("Aantal",),
            rows=tuple(
                Row(f"2025 K{q}", (Cell(v),))
                for q, v in zip((1, 2, 3, 4), (14, 2, 19, 23), strict=True)
            ),
        )
    )


def lead_times() -> Table:
    return Table(
        key="doorlooptijden",
        title="Doorlooptijd signaal tot screening (werkdagen)",
        row_header="Niveau",
        columns=("Mediaan", "P80", "P90"),
        rows=(
            Row("Netwerkoverleg", (Cell(3.0), Cell(5.5), Cell(8.0))),
            Row("PGA", (Cell(None), Cell(None), Cell(None))),  # too few cases
        ),
        counts=False,
    )


def all_charts() -> list[str]:
    return [
        charts.stacked_bars(flow_table()),
        charts.flow_bars(flow_table()),
        charts.line_trend(trend_table(), target=30, target_label="streefwaarde 30"),
        charts.distribution(lead_times()),
        charts.progress_bar(chart_id="k8", title="K8", percent=42.5, expected_percent=60),
        charts.progress_bar(chart_id="k17", title="K17", percent=None, suppressed=True),
    ]


@pytest.mark.parametrize("index", range(6))
def test_every_chart_is_an_accessible_svg_within_the_csp(index):
    svg = all_charts()[index]
    root = ET.fromstring(svg)  # noqa: S314 - our own output; well-formed XML, so also fit for WeasyPrint
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find(f"s:title[@id='{title_id}']", ns).text
    assert root.find(f"s:desc[@id='{desc_id}']", ns).text
    # No <script>, no <style>, no style= attribute, no event handler: the page's CSP holds.
    assert not findings(svg), findings(svg)
    assert not re.search(r"\son\w+=", svg)


def test_a_hostile_organisation_name_is_drawn_as_text():
    for svg in all_charts()[:2]:
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(" in svg
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
        assert any(HOSTILE in text for text in texts)  # read back as the very same text


def test_a_suppressed_cell_is_drawn_hatched_never_with_its_value():
    svg = charts.flow_bars(flow_table())
    assert "url(#grafiek-stroom-gearceerd)" in svg
    assert "Naar PGA &lt;5" in svg  # its tooltip says <5
    assert charts.SUPPRESSED_NOTE.replace("<", "&lt;") in svg
    # The suppressed 3 appears nowhere: no cell holds it any more.
    row = flow_table().rows[1]
    assert row.cells[2].value is None and row.cells[2].suppressed
    line = charts.line_trend(trend_table())
    assert "2025 K2: &lt;5" in line and "2025 K2: 2" not in line


def test_the_suppression_test_bites_when_the_value_is_left_in():
    """Break the rule once: a cell marked suppressed that still carries its value would be
    drawn with its size; the chart refuses to use it (only ``value`` of an unsuppressed cell
    sizes a bar)."""
    leaky = Table(
        key="lek",
        title="Lek",
        row_header="Van",
        columns=("A",),
        rows=(Row("x", (Cell(3, suppressed=True),)),),
    )
    svg = charts.stacked_bars(leaky)
    assert 'height="8"' in svg  # the hatched mark, not a bar of size 3


def test_a_pdf_with_charts_renders():
    html = (
        "<html><body><h1>Rapportage</h1>"
        + "".join(str(svg) for svg in all_charts())
        + "</body></html>"
    )
    pdf = to_pdf(html)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


# --- Exports ---------------------------------------------------------------------------------


def injection_table() -> Table:
    return Table(
        key="signalen-per-organisatie",
        title="Signalen per organisatie",
        row_header="Organisatie",
        columns=("Signalen", "Aandeel (%)"),
        rows=(
            Row('=HYPERLINK("http://x","klik")', (Cell(12), Cell(40.5))),
            Row("+31 Basisschool", (Cell(3, suppressed=True).suppress(), Cell(None))),
            Row("-Jongerenwerk", (Cell(15), Cell(49.5))),
            Row("@SUM(A1)", (Cell(0), Cell(0.0))),
        ),
        notes=("=1+1 is een notitie",),
    )


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text


def test_the_xlsx_has_numbers_as_numbers_and_no_formula_and_no_suppressed_value():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([injection_table(), trend_table()])))
    assert book.sheetnames == ["signalen-per-organisatie", "trend"]
    sheet = book["signalen-per-organisatie"]
    assert sheet["A1"].value == "Signalen per organisatie"
    values = list(sheet.iter_rows(values_only=True))
    header = values.index(("Organisatie", "Signalen", "Aandeel (%)"))
    body = values[header + 1 : header + 5]
    assert body[0] == ('\'=HYPERLINK("http://x","klik")', 12, 40.5)
    assert body[1] == ("'+31 Basisschool", "<5", "–")
    assert all(
        not str(cell.value).startswith(("=", "+", "-", "@"))
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    trend = [r for r in book["trend"].iter_rows(values_only=True) if r and r[0] == "2025 K2"]
    assert trend == [("2025 K2", "<5")]  # never the 2


def test_the_csv_has_a_bom_semicolons_decimal_commas_and_no_formula():
    data = to_csv([injection_table()])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Signalen per organisatie"]
    assert rows[2] == ['\'=HYPERLINK("http://x","klik")', "12", "40,5"]
    assert rows[3] == ["'+31 Basisschool", "<5", "–"]
    assert rows[-1] == ["'=1+1 is een notitie"]
