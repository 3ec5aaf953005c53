# SPDX-License-Identifier: AGPL-3.0-or-later
"""Charts drawn on the server as SVG, from published ``Table``s: the same markup on the page
(inline) and in the PDF (WeasyPrint).

Why not pygal or Vega-Lite (ADR 0023): both write a ``<style>`` element (pygal also a
``<script>``, and ``style=`` attributes), which IJAM's Content-Security-Policy (style-src
'self', no inline style or script) blocks in an inline SVG; vl-convert also runs a JavaScript
engine per chart. These charts are simple, so they are built here with the standard library's
ElementTree, which escapes every text and attribute it writes: an organisation called
``<script>`` is drawn as that text. Colours and fonts are presentation attributes (``fill``,
``font-size``), which the CSP does not govern.

Every chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``
(``aria-labelledby``); the page shows the table beside it as the accessible alternative. A
suppressed cell has no value here either (``reports.tables``): it is drawn as a hatched mark,
never as a size, and the chart says so in a note.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from reports.tables import SUPPRESSED_TEXT, Cell, Table

#: Colours with enough contrast against white and against each other (NL Design System
#: "Rijkshuisstijl"-like blues, orange, green, violet, dark red, grey).
PALETTE = ("#154273", "#e17000", "#39870c", "#673ab7", "#a90061", "#535353", "#007bc7")
AXIS = "#535353"
TEXT = "#1a1a1a"
FONT = "Arial, Helvetica, sans-serif"
SUPPRESSED_NOTE = f"Gearceerd: een klein aantal ({SUPPRESSED_TEXT}), niet getoond."
WIDTH = 640


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "grafiek"


def _svg(chart_id: str, title: str, desc: str, height: int) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{chart_id}-titel {chart_id}-omschrijving",
            "class": "ijam-chart",
            "font-family": FONT,
            "font-size": "12",
            "fill": TEXT,
        },
    )
    ET.SubElement(root, "title", {"id": f"{chart_id}-titel"}).text = title
    ET.SubElement(root, "desc", {"id": f"{chart_id}-omschrijving"}).text = desc
    defs = ET.SubElement(root, "defs")
    pattern = ET.SubElement(
        defs,
        "pattern",
        {
            "id": f"{chart_id}-gearceerd",
            "patternUnits": "userSpaceOnUse",
            "width": "6",
            "height": "6",
            "patternTransform": "rotate(45)",
        },
    )
    ET.SubElement(pattern, "rect", {"width": "6", "height": "6", "fill": "#ffffff"})
    ET.SubElement(
        pattern,
        "line",
        {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": AXIS, "stroke-width": "2"},
    )
    return root


def _hatch(chart_id: str) -> str:
    return f"url(#{chart_id}-gearceerd)"


def _text(parent, x, y, text, **attrs) -> ET.Element:
    element = ET.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", **attrs})
    element.text = text
    return element


def _short(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def _render(root: ET.Element) -> SafeString:
    # ElementTree escapes <, >, & and quotes in every text and attribute: safe to mark safe.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


def _nice_max(value: float) -> float:
    """The axis maximum: a round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
    ten) just above ``value``."""
    if value <= 0:
        return 1.0
    value *= 1.05  # a little room above the highest bar, point or target line
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= factor * magnitude:
            return factor * magnitude
    return value


def _value(cell: Cell) -> float:
    return float(cell.value) if cell.value is not None and not cell.suppressed else 0.0


def _legend(root, chart_id, names: Sequence[str], y: float, colours: Sequence[str]):
    x = 10.0
    group = ET.SubElement(root, "g", {"class": "legenda"})
    for name, colour in zip(names, colours, strict=False):
        ET.SubElement(
            group,
            "rect",
            {"x": f"{x:.1f}", "y": f"{y - 10:.1f}", "width": "12", "height": "12", "fill": colour},
        )
        label = _short(name, 28)
        _text(group, x + 16, y, label)
        x += 16 + 7 * len(label) + 18
        if x > WIDTH - 120:
            x, y = 10.0, y + 18
    return y


def _note(root, y: float, notes: Sequence[str]) -> None:
    for note in notes:
        _text(root, 10, y, note, **{"font-size": "11", "fill": AXIS})
        y += 15


def _series(table: Table) -> list[int]:
    """The columns drawn as series: all but a totals column."""
    count = len(table.columns) - (1 if table.column_totals else 0)
    return list(range(count))


def stacked_bars(table: Table, *, chart_id: str | None = None) -> SafeString:
    """One vertical bar per row, stacked by column (e.g. cases per level per quarter)."""
    chart_id = chart_id or _slug(f"grafiek-{table.key}")
    series = _series(table)
    rows = [row for row in table.rows if not row.is_total]
    legend_lines = 1 + len(series) // 5
    height = 300 + 18 * legend_lines
    root = _svg(chart_id, table.title, _describe(table, "Gestapelde staven"), height)
    left, top, bottom = 50.0, 20.0, 230.0
    totals = [sum(_value(row.cells[i]) for i in series) for row in rows]
    top_value = _nice_max(max(totals, default=0))
    _axis(root, left, top, bottom, top_value)
    slot = (WIDTH - left - 10) / max(len(rows), 1)
    bar = min(48.0, slot * 0.7)
    suppressed_any = False
    for index, row in enumerate(rows):
        x = left + index * slot + (slot - bar) / 2
        y = bottom
        group = ET.SubElement(root, "g")
        ET.SubElement(group, "title").text = f"{row.label}: " + ", ".join(
            f"{table.columns[i]} {row.cells[i].text}" for i in series
        )
        for i in series:
            cell = row.cells[i]
            if cell.suppressed:
                suppressed_any = True
                ET.SubElement(
                    group,
                    "rect",
                    {
                        "x": f"{x:.1f}",
                        "y": f"{y - 8:.1f}",
                        "width": f"{bar:.1f}",
                        "height": "8",
                        "fill": _hatch(chart_id),
                        "stroke": AXIS,
                    },
                )
                y -= 8
                continue
            h = (bottom - top) * _value(cell) / top_value
            if h <= 0:
                continue
            ET.SubElement(
                group,
                "rect",
                {
                    "x": f"{x:.1f}",
                    "y": f"{y - h:.1f}",
                    "width": f"{bar:.1f}",
                    "height": f"{h:.1f}",
                    "fill": PALETTE[i % len(PALETTE)],
                },
            )
            y -= h
        _text(
            root,
            x + bar / 2,
            bottom + 16,
            _short(row.label, max(4, int(slot / 7))),
            **{"text-anchor": "middle"},
        )
    y = _legend(
        root,
        chart_id,
        [table.columns[i] for i in series],
        bottom + 42,
        [PALETTE[i % len(PALETTE)] for i in series],
    )
    _note(root, y + 20, [SUPPRESSED_NOTE] if suppressed_any else [])
    return _render(root)


def flow_bars(table: Table, *, chart_id: str | None = None) -> SafeString:
    """The flow between ladder levels: one horizontal bar per row (from), split by column (to),
    each segment as wide as its share of the row."""
    chart_id = chart_id or _slug(f"grafiek-{table.key}")
    series = _series(table)
    rows = [row for row in table.rows if not row.is_total]
    height = 60 + 34 * len(rows) + 18 * (1 + len(series) // 5) + 20
    root = _svg(chart_id, table.title, _describe(table, "Stroom tussen niveaus"), height)
    left, right = 170.0, WIDTH - 20.0
    widest = max((sum(_value(r.cells[i]) for i in series) for r in rows), default=0) or 1
    suppressed_any = False
    y = 20.0
    for row in rows:
        _text(root, left - 8, y + 15, _short(row.label, 24), **{"text-anchor": "end"})
        group = ET.SubElement(root, "g")
        ET.SubElement(group, "title").text = f"{row.label}: " + ", ".join(
            f"{table.columns[i]} {row.cells[i].text}" for i in series
        )
        x = left
        for i in series:
            cell = row.cells[i]
            if cell.suppressed:
                suppressed_any = True
                ET.SubElement(
                    group,
                    "rect",
                    {
                        "x": f"{x:.1f}",
                        "y": f"{y:.1f}",
                        "width": "8",
                        "height": "22",
                        "fill": _hatch(chart_id),
                        "stroke": AXIS,
                    },
                )
                x += 8
                continue
            w = (right - left - 40) * _value(cell) / widest
            if w <= 0:
                continue
            ET.SubElement(
                group,
                "rect",
                {
                    "x": f"{x:.1f}",
                    "y": f"{y:.1f}",
                    "width": f"{w:.1f}",
                    "height": "22",
                    "fill": PALETTE[i % len(PALETTE)],
                },
            )
            x += w
        y += 34
    y = _legend(
        root,
        chart_id,
        [table.columns[i] for i in series],
        y + 14,
        [PALETTE[i % len(PALETTE)] for i in series],
    )
    _note(root, y + 20, [SUPPRESSED_NOTE] if suppressed_any else [])
    return _render(root)


def line_trend(
    table: Table,
    *,
    column: int = 0,
    target: float | None = None,
    target_label: str = "",
    chart_id: str | None = None,
) -> SafeString:
    """A line through the rows of one column (e.g. a KPI per quarter), with an optional
    target line. A suppressed point breaks the line and is marked hatched."""
    chart_id = chart_id or _slug(f"grafiek-{table.key}")
    rows = [row for row in table.rows if not row.is_total]
    height = 290
    root = _svg(chart_id, table.title, _describe(table, "Lijn per periode"), height)
    left, top, bottom = 50.0, 20.0, 220.0
    values = [_value(row.cells[column]) for row in rows]
    top_value = _nice_max(max([*values, float(target or 0)], default=0))
    _axis(root, left, top, bottom, top_value)
    # Room for the first and last quarter's label inside the drawing.
    inset = 30.0
    step = (WIDTH - left - 2 * inset - 20) / max(len(rows) - 1, 1)

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * v / top_value

    if target is not None:
        ET.SubElement(
            root,
            "line",
            {
                "x1": f"{left:.1f}",
                "x2": f"{WIDTH - 20:.1f}",
                "y1": f"{y_of(target):.1f}",
                "y2": f"{y_of(target):.1f}",
                "stroke": PALETTE[1],
                "stroke-dasharray": "6 4",
                "stroke-width": "2",
            },
        )
        _text(
            root,
            WIDTH - 20,
            y_of(target) - 6,
            target_label or "streefwaarde",
            **{"text-anchor": "end", "fill": PALETTE[1]},
        )
    segments: list[list[str]] = [[]]
    suppressed_any = False
    label_every = max(1, math.ceil(len(rows) / 7))  # at most seven labels: no overlap
    for index, row in enumerate(rows):
        x = left + inset + index * step
        cell = row.cells[column]
        if cell.suppressed or cell.value is None:
            segments.append([])
            if cell.suppressed:
                suppressed_any = True
                mark = ET.SubElement(
                    root,
                    "rect",
                    {
                        "x": f"{x - 5:.1f}",
                        "y": f"{bottom - 10:.1f}",
                        "width": "10",
                        "height": "10",
                        "fill": _hatch(chart_id),
                        "stroke": AXIS,
                    },
                )
                ET.SubElement(mark, "title").text = f"{row.label}: {cell.text}"
        else:
            segments[-1].append(f"{x:.1f},{y_of(_value(cell)):.1f}")
            dot = ET.SubElement(
                root,
                "circle",
                {
                    "cx": f"{x:.1f}",
                    "cy": f"{y_of(_value(cell)):.1f}",
                    "r": "3.5",
                    "fill": PALETTE[0],
                },
            )
            ET.SubElement(dot, "title").text = f"{row.label}: {cell.text}"
        if index % label_every == 0:
            _text(root, x, bottom + 16, _short(row.label, 10), **{"text-anchor": "middle"})
    for points in segments:
        if len(points) > 1:
            ET.SubElement(
                root,
                "polyline",
                {
                    "points": " ".join(points),
                    "fill": "none",
                    "stroke": PALETTE[0],
                    "stroke-width": "2.5",
                },
            )
    _note(root, bottom + 44, [SUPPRESSED_NOTE] if suppressed_any else [])
    return _render(root)


def distribution(table: Table, *, chart_id: str | None = None) -> SafeString:
    """Percentile bars: per row a bar from the first to the last column (e.g. median to the
    90th percentile of a lead time), with a mark at every column. A row with too few cases
    (its cells empty or suppressed) is drawn as a note, not a bar."""
    chart_id = chart_id or _slug(f"grafiek-{table.key}")
    rows = [row for row in table.rows if not row.is_total]
    height = 70 + 30 * len(rows) + 30
    root = _svg(chart_id, table.title, _describe(table, "Spreiding per rij"), height)
    left, right = 190.0, WIDTH - 30.0
    top_value = _nice_max(max((_value(c) for r in rows for c in r.cells), default=0))
    y = 24.0
    missing_any = False
    for row in rows:
        _text(root, left - 8, y + 12, _short(row.label, 26), **{"text-anchor": "end"})
        cells = [c for c in row.cells if c.value is not None and not c.suppressed]
        if len(cells) < len(row.cells) or not cells:
            missing_any = True
            _text(root, left, y + 12, "te weinig gevallen", **{"fill": AXIS})
            y += 30
            continue
        xs = [left + (right - left) * _value(c) / top_value for c in row.cells]
        group = ET.SubElement(root, "g")
        ET.SubElement(group, "title").text = f"{row.label}: " + ", ".join(
            f"{name} {cell.text}" for name, cell in zip(table.columns, row.cells, strict=True)
        )
        ET.SubElement(
            group,
            "rect",
            {
                "x": f"{min(xs):.1f}",
                "y": f"{y + 2:.1f}",
                "width": f"{max(max(xs) - min(xs), 2):.1f}",
                "height": "14",
                "fill": "#c6d5e6",
            },
        )
        for i, x in enumerate(xs):
            ET.SubElement(
                group,
                "line",
                {
                    "x1": f"{x:.1f}",
                    "x2": f"{x:.1f}",
                    "y1": f"{y:.1f}",
                    "y2": f"{y + 18:.1f}",
                    "stroke": PALETTE[i % len(PALETTE)],
                    "stroke-width": "3",
                },
            )
        y += 30
    ET.SubElement(
        root,
        "line",
        {
            "x1": f"{left:.1f}",
            "x2": f"{right:.1f}",
            "y1": f"{y:.1f}",
            "y2": f"{y:.1f}",
            "stroke": AXIS,
        },
    )
    for fraction in (0, 0.5, 1):
        _text(
            root,
            left + (right - left) * fraction,
            y + 14,
            _number(top_value * fraction),
            **{"text-anchor": "middle", "fill": AXIS},
        )
    legend_y = _legend(
        root,
        chart_id,
        list(table.columns),
        y + 36,
        [PALETTE[i % len(PALETTE)] for i in range(len(table.columns))],
    )
    if missing_any:
        _note(root, legend_y + 18, ["Te weinig gevallen: geen spreiding getoond."])
    return _render(root)


def progress_bar(
    *,
    chart_id: str,
    title: str,
    percent: float | None,
    expected_percent: float | None = None,
    suppressed: bool = False,
) -> SafeString:
    """How far a KPI is towards its target (0–100 %), with a mark where the straight line to
    the target stands today. Suppressed or unknown: a hatched or empty bar with a word."""
    height = 46
    if suppressed:
        desc = f"Voortgang niet getoond ({SUPPRESSED_TEXT})."
    elif percent is None:
        desc = "Voortgang onbekend."
    else:
        desc = f"{_number(percent)}% van de streefwaarde bereikt"
        if expected_percent is not None:
            desc += f"; verwacht volgens de lijn naar de streefdatum: {_number(expected_percent)}%"
        desc += "."
    root = _svg(chart_id, title, desc, height)
    root.set("viewBox", f"0 0 {WIDTH} {height}")
    left, right, top = 2.0, WIDTH - 60.0, 8.0
    ET.SubElement(
        root,
        "rect",
        {
            "x": f"{left}",
            "y": f"{top}",
            "width": f"{right - left:.1f}",
            "height": "20",
            "fill": "#e8edf3",
            "stroke": AXIS,
        },
    )
    if suppressed:
        ET.SubElement(
            root,
            "rect",
            {
                "x": f"{left}",
                "y": f"{top}",
                "width": f"{right - left:.1f}",
                "height": "20",
                "fill": _hatch(chart_id),
            },
        )
        _text(root, right + 8, top + 15, SUPPRESSED_TEXT)
    elif percent is not None:
        width = (right - left) * max(0.0, min(percent, 100.0)) / 100
        ET.SubElement(
            root,
            "rect",
            {
                "x": f"{left}",
                "y": f"{top}",
                "width": f"{width:.1f}",
                "height": "20",
                "fill": PALETTE[0],
            },
        )
        _text(root, right + 8, top + 15, f"{_number(percent)}%")
    else:
        _text(root, right + 8, top + 15, "–")
    if expected_percent is not None and not suppressed:
        x = left + (right - left) * max(0.0, min(expected_percent, 100.0)) / 100
        ET.SubElement(
            root,
            "line",
            {
                "x1": f"{x:.1f}",
                "x2": f"{x:.1f}",
                "y1": f"{top - 5:.1f}",
                "y2": f"{top + 25:.1f}",
                "stroke": PALETTE[1],
                "stroke-width": "3",
            },
        )
    return _render(root)


# --- Helpers ---------------------------------------------------------------------------------


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")


def _axis(root, left: float, top: float, bottom: float, top_value: float) -> None:
    ET.SubElement(
        root,
        "line",
        {
            "x1": f"{left:.1f}",
            "x2": f"{WIDTH - 10:.1f}",
            "y1": f"{bottom:.1f}",
            "y2": f"{bottom:.1f}",
            "stroke": AXIS,
        },
    )
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = bottom - (bottom - top) * fraction
        if fraction:
            ET.SubElement(
                root,
                "line",
                {
                    "x1": f"{left:.1f}",
                    "x2": f"{WIDTH - 10:.1f}",
                    "y1": f"{y:.1f}",
                    "y2": f"{y:.1f}",
                    "stroke": "#dddddd",
                },
            )
        _text(
            root,
            left - 6,
            y + 4,
            _number(top_value * fraction),
            **{"text-anchor": "end", "fill": AXIS},
        )


def _describe(table: Table, kind: str) -> str:
    text = f"{kind}. De tabel eronder geeft dezelfde cijfers."
    if table.description:
        text = f"{table.description} {text}"
    return text
