# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one shape every published figure has: a ``Table`` of labelled rows of ``Cell``s.

A table is what the report page, its charts, the PDF and the CSV/XLSX exports all read, so
they can never disagree. A ``Table`` as the figures compute it is *raw*; ``publish`` in
``reports.disclosure`` returns a copy in which suppressed cells carry no value at all
(``value is None``), so no renderer or export can leak what was suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: What a suppressed cell reads as, on the page, in the PDF and in the exports.
SUPPRESSED_TEXT = "<5"
#: What a cell without a meaningful value reads as (a percentile over too few cases…).
EMPTY_TEXT = "–"


@dataclass(frozen=True)
class Cell:
    """One figure. ``value`` is ``None`` when the cell is suppressed or has no value."""

    value: int | float | None
    suppressed: bool = False
    #: How the value reads (a percentage, days with one decimal…); empty: the plain number.
    display: str = ""

    @property
    def text(self) -> str:
        if self.suppressed:
            return self.display or SUPPRESSED_TEXT  # "<10" under another threshold
        if self.value is None:
            return EMPTY_TEXT
        if self.display:
            return self.display
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",")
        return f"{self.value:,}".replace(",", ".")

    def suppress(self) -> Cell:
        return Cell(value=None, suppressed=True)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    #: A margin (total) row: a sum of the rows above, checked by the disclosure proof.
    is_total: bool = False
    #: The row group this row belongs to (a period comparison groups the periods of one
    #: label under that label); empty: no group.
    group: str = ""


@dataclass(frozen=True)
class Table:
    """A titled table: a first column of row labels, then one column per entry of
    ``columns``. ``key`` is a stable slug (anchors, export file and sheet names)."""

    key: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    description: str = ""
    notes: tuple[str, ...] = ()
    #: True when the cells are counts of cases, youths, signals…: subject to suppression.
    #: False for figures that are not counts of subjects (a percentile, a target value).
    counts: bool = True
    #: Whether the last column (or row marked ``is_total``) is a sum of the others.
    column_totals: bool = False
    meta: dict = field(default_factory=dict)
    #: The table's linear relations between count cells, each a tuple of
    #: ``(row index, column index, coefficient)`` whose weighted sum is 0 (a total equals its
    #: parts; open at the end = open at the start + in − out; this period's start = the
    #: previous period's end). When given, they are *all* the relations disclosure control
    #: protects against; when empty, they follow from ``column_totals`` and ``is_total``.
    relations: tuple[tuple[tuple[int, int, int], ...], ...] = ()
    #: In a table that is not all counts, the columns that are counts (a number of cases
    #: beside its percentiles): suppressed like counts.
    count_columns: tuple[int, ...] = ()
    #: In a table that is not all counts, the count column a row's other figures are computed
    #: over: they are shown only when it is at least the threshold (percentiles over few
    #: cases would single them out).
    basis_column: int | None = None

    def with_rows(self, rows) -> Table:
        return replace(self, rows=tuple(rows))

    def column(self, index: int) -> list[Cell]:
        return [row.cells[index] for row in self.rows]
