# SPDX-License-Identifier: AGPL-3.0-or-later
"""Disclosure control proven: no suppressed cell can be derived from what is published.

The proof is independent of ``reports.disclosure``'s own search: for every suppressed cell of
every published table it *constructs a second table* of non-negative whole numbers that
agrees with every published cell and with every relation a reader knows (the totals, the
balance start + in − out = end, this period's start = the previous period's end) and differs
in that cell. A reader who has only the published table cannot tell the two apart, so the
cell cannot be recomputed. The relations come from the table's declaration *and*, for the
totals, from the table's shape read afresh here, so a relation the figures forgot to declare
cannot hide a leak.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from reports import disclosure
from reports.figures.base import compare, count_row, with_total
from reports.periods import Period
from reports.services import compute_report
from reports.tables import Cell, Row, Table
from tests.report_world import at, close, escalate, screen_in, signal

THRESHOLD = 5


# --- The proof --------------------------------------------------------------------------------


def known_relations(table: Table) -> list[dict]:
    """What a reader knows: the declared relations plus the totals the shape shows."""
    rels = [dict(rel) for rel in disclosure.relations(table)]
    width = len(table.columns)
    if table.meta.get("compared"):
        # Each total row (per period) is the sum of the other groups' rows of that period.
        groups: dict[str, list[int]] = {}
        for r, row in enumerate(table.rows):
            groups.setdefault(row.group, []).append(r)
        totals = [g for g, rows in groups.items() if table.rows[rows[0]].is_total]
        parts = [g for g in groups if g not in totals]
        for total in totals if len(totals) == 1 else ():  # subtotals: declared only
            for p, r_total in enumerate(groups[total]):
                for c in range(width):
                    rel = {(groups[g][p], c): 1 for g in parts}
                    rel[(r_total, c)] = -1
                    rels.append(rel)
        # This period's start is the previous period's end, whatever the table declares.
        for rows in groups.values():
            for here, before in table.meta.get("links", ()):
                rels.append({(rows[0], here): 1, (rows[1], before): -1})
    return [{k: v for k, v in rel.items()} for rel in rels]


def _null_space(rels: list[dict], cells: list) -> list[dict]:
    """A basis of {v on ``cells`` : every relation gives 0}, exactly (fractions)."""
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = [
        [Fraction(rel.get(cell, 0)) for cell in cells]
        for rel in rels
        if any(c in index for c in rel)
    ]
    pivots = []
    row = 0
    for col in range(len(cells)):
        pivot = next((r for r in range(row, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        lead = matrix[row][col]
        matrix[row] = [x / lead for x in matrix[row]]
        for r in range(len(matrix)):
            if r != row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[row], strict=True)]
        pivots.append(col)
        row += 1
    free = [c for c in range(len(cells)) if c not in pivots]
    basis = []
    for f in free:
        v = [Fraction(0)] * len(cells)
        v[f] = Fraction(1)
        for r, p in enumerate(pivots):
            v[p] = -matrix[r][f]
        basis.append({cells[i]: x for i, x in enumerate(v) if x})
    return basis


def _integer(v: dict) -> dict:
    lcm = 1
    for x in v.values():
        lcm = lcm * x.denominator // _gcd(lcm, x.denominator)
    return {k: int(x * lcm) for k, x in v.items()}


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def witness(raw: Table, published: Table, cell) -> dict | None:
    """A second table (as {cell: value} of the suppressed cells) that fits everything the
    reader sees and differs in ``cell``; None if there is none to be found."""
    value = {
        (r, c): raw.rows[r].cells[c].value
        for r in range(len(raw.rows))
        for c in range(len(raw.columns))
    }
    hidden = [
        (r, c)
        for r, row in enumerate(published.rows)
        for c, pub in enumerate(row.cells)
        if pub.suppressed
    ]
    rels = [rel for rel in known_relations(raw) if all(isinstance(value[k], int) for k in rel)]
    # Published cells are constants: what the suppressed cells must satisfy is A_S v = 0.
    restricted = [{k: x for k, x in rel.items() if k in hidden} for rel in rels]
    basis = [_integer(v) for v in _null_space(restricted, hidden)]
    if not any(v.get(cell) for v in basis):
        return None  # every solution has the same value there: it can be recomputed
    # Search small whole-number combinations of the basis for one that keeps every cell
    # non-negative and moves ``cell`` (deterministic: the same search on every run).
    rng = random.Random(1)
    tries = [[1 if i == j else 0 for i in range(len(basis))] for j in range(len(basis))]
    tries += [[rng.randint(-2, 2) for _ in basis] for _ in range(3000)]
    for coefficients in tries:
        v: dict = {}
        for a, vector in zip(coefficients, basis, strict=True):
            for k, x in vector.items():
                v[k] = v.get(k, 0) + a * x
        if not v.get(cell):
            continue
        for sign in (1, -1):
            alternative = {k: value[k] + sign * v.get(k, 0) for k in hidden}
            if all(x >= 0 for x in alternative.values()):
                # Check it against every relation with every published value as it is.
                full = value | alternative
                assert all(sum(k2 * full[k] for k, k2 in rel.items()) == 0 for rel in rels)
                assert alternative[cell] != value[cell]
                return alternative
    return None


def assert_nothing_derivable(raw: Table, published: Table, threshold: int = THRESHOLD):
    for r, (raw_row, pub_row) in enumerate(zip(raw.rows, published.rows, strict=True)):
        for c, (before, after) in enumerate(zip(raw_row.cells, pub_row.cells, strict=True)):
            counted = raw.counts or c in raw.count_columns
            if counted and isinstance(before.value, int) and 0 < before.value < threshold:
                assert after.suppressed, f"{raw.key}: small count at {r},{c} is shown"
            if after.suppressed:
                assert after.value is None and after.text == "<5"
                assert witness(raw, published, (r, c)) is not None, (
                    f"{raw.key}: the suppressed cell at row {r}, column {c} can be recomputed"
                )
            elif not (raw.basis_column is not None and after.value is None):
                assert after.value == before.value


# --- Tables made to be hard -------------------------------------------------------------------


def random_table(rng: random.Random) -> Table:
    """A table of counts with row totals and a total row; many small numbers."""
    width, height = rng.randint(2, 5), rng.randint(2, 6)
    rows = []
    for i in range(height):
        values = [rng.choice((0, 1, 2, 3, 4, 6, 9, 15, 40)) for _ in range(width)]
        rows.append(count_row(f"rij {i}", [*values, sum(values)]))
    return Table(
        key="willekeurig",
        title="Willekeurig",
        row_header="Rij",
        columns=(*(f"k{c}" for c in range(width)), "Totaal"),
        rows=tuple(with_total(rows, width + 1)),
        column_totals=True,
    )


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_with_margins_leak_no_suppressed_cell(seed):
    raw = random_table(random.Random(seed))
    assert_nothing_derivable(raw, disclosure.publish(raw, THRESHOLD))


def test_one_small_cell_in_a_row_with_its_total_takes_a_second_cell_with_it():
    raw = Table(
        key="t",
        title="t",
        row_header="r",
        columns=("a", "b", "c", "Totaal"),
        rows=(count_row("x", [3, 20, 30, 53]), count_row("y", [10, 11, 12, 33])),
        column_totals=True,
    )
    published = disclosure.publish(raw, THRESHOLD)
    shown = [[cell.text for cell in row.cells] for row in published.rows]
    # 3 is primary; the smallest neighbour in its row (20) goes too: 53 − 30 = 3 + 20 stays
    # unsolvable. Row y has no small number and stays whole.
    assert shown == [["<5", "<5", "30", "53"], ["10", "11", "12", "33"]]
    assert_nothing_derivable(raw, published)


def test_a_flow_whose_balance_would_give_the_small_number_away():
    """Start 10 + in 3 − out 0 = end 13: hiding only the 3 lets 13 − 10 tell it."""
    raw = Table(
        key="f",
        title="f",
        row_header="r",
        columns=("begin", "in", "uit", "eind"),
        rows=(count_row("niveau", [10, 3, 0, 13]),),
        relations=(((0, 0, 1), (0, 1, 1), (0, 2, -1), (0, 3, -1)),),
    )
    published = disclosure.publish(raw, THRESHOLD)
    assert published.rows[0].cells[1].suppressed
    assert sum(cell.suppressed for cell in published.rows[0].cells) >= 2
    assert_nothing_derivable(raw, published)


def test_the_previous_period_cannot_give_this_periods_start_away():
    """This quarter's start equals last quarter's end: both go, or neither."""

    def build(period):
        # Q2 2026: 12 at the start, 3 in, 15 at the end; Q1 2026 ended with those 12.
        start, end = (12, 15) if period.first_day.month == 4 else (9, 12)
        if period.first_day.year == 2025:
            start, end = 20, 20
        return Table(
            key="f",
            title="f",
            row_header="r",
            columns=("begin", "in", "uit", "eind"),
            rows=(count_row("niveau", [start, end - start, 0, end]),),
            relations=(((0, 0, 1), (0, 1, 1), (0, 2, -1), (0, 3, -1)),),
        )

    raw = compare(build, Period.quarter(2026, 2), links=[(0, 3)])
    published = disclosure.publish(raw, THRESHOLD)
    assert published.rows[0].cells[1].suppressed  # the 3 that came in
    # Hiding this quarter's start alone would not do: last quarter's end tells it.
    this_start, previous_end = published.rows[0].cells[0], published.rows[1].cells[3]
    assert this_start.suppressed == previous_end.suppressed
    assert_nothing_derivable(raw, published)


def test_a_zero_is_shown_and_five_is_not_small():
    raw = Table(
        key="t",
        title="t",
        row_header="r",
        columns=("a",),
        rows=(count_row("nul", [0]), count_row("vier", [4]), count_row("vijf", [5])),
    )
    published = disclosure.publish(raw, THRESHOLD)
    assert [row.cells[0].text for row in published.rows] == ["0", "<5", "5"]


def test_percentiles_over_fewer_cases_than_the_threshold_are_not_shown():
    raw = Table(
        key="d",
        title="d",
        row_header="r",
        columns=("n", "mediaan"),
        rows=(
            Row("vier", (Cell(4), Cell(3.5))),
            Row("vijf", (Cell(5), Cell(2.0))),
        ),
        counts=False,
        count_columns=(0,),
        basis_column=0,
    )
    published = disclosure.publish(raw, THRESHOLD)
    assert [cell.text for cell in published.rows[0].cells] == ["<5", "–"]
    assert [cell.text for cell in published.rows[1].cells] == ["5", "2,0"]


def test_the_threshold_is_configurable(settings):
    settings.IJAM_REPORT_THRESHOLD = 10
    raw = Table(key="t", title="t", row_header="r", columns=("a",), rows=(count_row("x", [7]),))
    assert disclosure.publish(raw).rows[0].cells[0].suppressed
    assert disclosure.publish(raw).rows[0].cells[0].text == "<10"
    settings.IJAM_REPORT_THRESHOLD = 5
    assert not disclosure.publish(raw).rows[0].cells[0].suppressed


# --- Every table of a real report -------------------------------------------------------------


@pytest.mark.django_db
def test_every_published_table_of_a_report_leaks_no_suppressed_cell(director, police_officer):
    from workflows.ladder.machine import JONGE_AANWAS, NETWERKOVERLEG, PGA

    for i in range(7):
        case = signal(police_officer, at(2026, 1, 5 + i)).case
        screen_in(case, director, NETWERKOVERLEG, at(2026, 1, 12 + i))
        if i < 2:
            escalate(case, director, JONGE_AANWAS, at(2026, 4, 2 + i))
        if i == 2:
            escalate(case, director, PGA, at(2026, 4, 8))
        if i == 3:
            close(case, director, at(2026, 5, 4))
    for i in range(3):
        signal(police_officer, at(2026, 5, 10 + i))
    period = Period.quarter(2026, 2)
    from reports.figures import raw_report

    raw_sections = raw_report(period)
    published_sections = compute_report(period, THRESHOLD)
    checked = 0
    for raw_section, published_section in zip(raw_sections, published_sections, strict=True):
        for raw, published in zip(raw_section.tables, published_section.tables, strict=True):
            assert_nothing_derivable(raw, published)
            checked += 1
    assert checked >= 7
    suppressed = sum(
        cell.suppressed
        for section in published_sections
        for table in section.tables
        for row in table.rows
        for cell in row.cells
    )
    assert suppressed > 0, "the world has small numbers: something must be suppressed"
