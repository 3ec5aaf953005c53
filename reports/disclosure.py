# SPDX-License-Identifier: AGPL-3.0-or-later
"""Disclosure control: what the stuurgroep may read of a table (ADR 0022).

``publish(table, threshold)`` returns the copy of a raw ``Table`` that may leave IJAM:

1. **Primary suppression.** Every count from 1 to ``threshold - 1`` is suppressed: so few
   youths, cases or signals could point at a person. A zero is shown (it says nobody).
2. **Secondary suppression.** A table's cells are tied by linear relations (``Table.relations``,
   or the totals that ``column_totals`` and ``is_total`` declare): a total equals its parts,
   open at the end = open at the start + in − out, this period's start = the previous
   period's end. A suppressed cell that these relations and the published cells pin down
   exactly is no protection, so more cells are suppressed until none is pinned down.

   A suppressed cell ``x`` is pinned down exactly when some combination of the relations
   involves, among the suppressed cells, ``x`` alone: in linear-algebra terms, when the
   unit vector of ``x`` lies in the row space of the relation matrix restricted to the
   suppressed cells, i.e. when dropping ``x``'s column lowers that matrix's rank. The rank is
   computed exactly (fractions). While a suppressed cell is pinned down, the published cell
   with the smallest positive value that shares a relation with it is suppressed too (the
   least information lost; totals last); zeros are never suppressed as a second cell.
3. **Percentiles over few cases.** In a table of figures that are not counts, a row's
   figures are blanked (shown as "–") when its basis count is below the threshold.

The rule is the classic "no exact disclosure" criterion of cell suppression (Hundepool et
al., *Statistical Disclosure Control*, §4.2) with a greedy choice of secondary cells; the
maintained tools that do this with an optimiser (τ-ARGUS and its wrappers) were not
adopted (ADR 0022). ``tests/test_report_disclosure.py`` proves the result independently: for
every suppressed cell of every published table it builds a second table of non-negative
whole numbers that agrees with every published cell and every relation but differs in that
cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from fractions import Fraction

from django.conf import settings

from reports.tables import Cell, Row, Table

Position = tuple[int, int]


def threshold() -> int:
    return int(getattr(settings, "IJAM_REPORT_THRESHOLD", 5))


def relations(table: Table) -> list[dict[Position, int]]:
    """The table's linear relations, each as {cell: coefficient} summing to 0."""
    if table.relations:
        return [{(r, c): k for r, c, k in rel} for rel in table.relations]
    found: list[dict[Position, int]] = []
    width = len(table.columns)
    if table.column_totals and width > 1:
        for r in range(len(table.rows)):
            rel = {(r, c): 1 for c in range(width - 1)}
            rel[(r, width - 1)] = -1
            found.append(rel)
    parts: list[int] = []
    for r, row in enumerate(table.rows):
        if not row.is_total:
            parts.append(r)
            continue
        for c in range(width):
            rel = {(p, c): 1 for p in parts}
            rel[(r, c)] = -1
            found.append(rel)
        parts = []
    return found


def count_cells(table: Table) -> set[Position]:
    columns = range(len(table.columns)) if table.counts else table.count_columns
    return {
        (r, c)
        for r, row in enumerate(table.rows)
        for c in columns
        if isinstance(row.cells[c].value, int)
    }


def _reduced(vectors: list[dict[Position, int]]) -> list[dict[Position, Fraction]]:
    """The reduced row echelon form of sparse vectors (exact: fractions), its rows keyed by
    their pivot: each row is 1 at its pivot and 0 at every other row's pivot."""
    rows: dict[Position, dict[Position, Fraction]] = {}
    for vector in vectors:
        v = {k: Fraction(x) for k, x in vector.items() if x}
        for pivot, row in rows.items():  # clear the existing pivots out of v
            factor = v.get(pivot)
            if factor:
                for k, x in row.items():
                    value = v.get(k, 0) - factor * x
                    if value:
                        v[k] = value
                    else:
                        v.pop(k, None)
        if not v:
            continue
        pivot = min(v)
        lead = v[pivot]
        v = {k: x / lead for k, x in v.items()}
        for other in rows.values():  # and v's pivot out of the existing rows
            factor = other.get(pivot)
            if factor:
                for k, x in v.items():
                    value = other.get(k, 0) - factor * x
                    if value:
                        other[k] = value
                    else:
                        other.pop(k, None)
        rows[pivot] = v
    return list(rows.values())


def pinned_down(rels: list[dict[Position, int]], suppressed: set[Position]) -> set[Position]:
    """The suppressed cells whose value the relations and the published cells fix exactly.

    With the published cells moved to the other side, the suppressed cells satisfy
    ``A_S x = b``. A cell ``x`` is fixed exactly when its unit vector lies in the row space
    of ``A_S``; in the reduced row echelon form that is when one row *is* that unit vector
    (a row is 1 at its pivot and 0 at the other pivots, so only the row with pivot ``x`` can
    combine to it, and it must then be it)."""
    restricted = [
        {k: v for k, v in rel.items() if k in suppressed}
        for rel in rels
        if any(k in suppressed for k in rel)
    ]
    return {next(iter(row)) for row in _reduced(restricted) if len(row) == 1}


def suppression_pattern(table: Table, limit: int) -> set[Position]:
    """Which count cells of ``table`` are suppressed (primary and secondary)."""
    counts = count_cells(table)
    value = {pos: table.rows[pos[0]].cells[pos[1]].value for pos in counts}
    suppressed = {pos for pos in counts if 0 < value[pos] < limit}
    if not suppressed:
        return suppressed
    rels = [rel for rel in relations(table) if all(k in counts for k in rel)]
    width = len(table.columns)
    totals = {(r, c) for r, row in enumerate(table.rows) if row.is_total for c in range(width)}
    if table.column_totals:
        totals |= {(r, len(table.columns) - 1) for r in range(len(table.rows))}

    def order(k: Position) -> tuple:
        return (k in totals, value.get(k, 0), k)

    while True:
        pinned = pinned_down(rels, suppressed)
        if not pinned:
            return suppressed
        cell = min(pinned)
        near = {k for rel in rels if cell in rel for k in rel}
        around = {k for rel in rels if any(s in rel for s in suppressed) for k in rel}
        choice = None
        for pool in (near, around):
            candidates = sorted(
                (k for k in pool if k not in suppressed and value.get(k, 0) > 0), key=order
            )
            # The cheapest cell that frees this one; failing that, the cheapest at all.
            choice = next(
                (k for k in candidates if cell not in pinned_down(rels, suppressed | {k})),
                candidates[0] if candidates else None,
            )
            if choice is not None:
                break
        if choice is None:  # only zeros left around it: hide a zero rather than leak
            zeros = sorted((k for k in near if k not in suppressed), key=order)
            if not zeros:
                return suppressed
            choice = zeros[0]
        suppressed.add(choice)


def publish(table: Table, limit: int | None = None) -> Table:
    """The copy of ``table`` that may be shown: suppressed cells carry no value."""
    limit = threshold() if limit is None else limit
    suppressed = suppression_pattern(table, limit)
    rows: list[Row] = []
    for r, row in enumerate(table.rows):
        cells: list[Cell] = []
        too_few = False
        if not table.counts and table.basis_column is not None:
            basis = row.cells[table.basis_column].value
            too_few = not isinstance(basis, int) or basis < limit
        for c, cell in enumerate(row.cells):
            if (r, c) in suppressed:
                cells.append(replace(cell.suppress(), display=f"<{limit}"))
            elif too_few and c != table.basis_column and c not in table.count_columns:
                cells.append(Cell(value=None))
            else:
                cells.append(cell)
        rows.append(replace(row, cells=tuple(cells)))
    meta = table.meta | {"published": True, "threshold": limit}
    return replace(table, rows=tuple(rows), meta=meta)


def publish_all(tables: Iterable[Table], limit: int | None = None) -> list[Table]:
    return [publish(table, limit) for table in tables]
