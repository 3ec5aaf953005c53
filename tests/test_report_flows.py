# SPDX-License-Identifier: AGPL-3.0-or-later
"""The throughput per level on known data: period boundaries, the previous period and the
same period a year earlier."""

from __future__ import annotations

import pytest

from reports.figures import flows
from reports.periods import Period
from tests.report_world import at, close, escalate, screen_in, signal, values
from workflows.ladder.machine import JONGE_AANWAS, NETWERKOVERLEG, PGA

pytestmark = pytest.mark.django_db

Q2_2026 = Period.quarter(2026, 2)


@pytest.fixture
def world(director, police_officer):
    # A: reported one minute before Q2 (local time), screened just after it began.
    a = signal(police_officer, at(2026, 3, 31, 23, 59)).case
    screen_in(a, director, NETWERKOVERLEG, at(2026, 4, 1, 0, 10))
    # B: on the ladder in Q1, escalated to PGA in Q2 and closed on its very last minute.
    b = signal(police_officer, at(2026, 2, 10)).case
    screen_in(b, director, NETWERKOVERLEG, at(2026, 2, 11))
    escalate(b, director, PGA, at(2026, 5, 1))
    close(b, director, at(2026, 6, 30, 23, 59))
    # C: reported and not taken up in Q2.
    c = signal(police_officer, at(2026, 4, 15)).case
    close(c, director, at(2026, 4, 16), from_screening=True)
    # D: a year earlier, on Overleg Jonge Aanwas ever since.
    d = signal(police_officer, at(2025, 5, 5)).case
    screen_in(d, director, JONGE_AANWAS, at(2025, 5, 6))
    # E: screened in on the first minute after Q2: counts in Q3, not in Q2.
    e = signal(police_officer, at(2026, 6, 30, 20)).case
    screen_in(e, director, NETWERKOVERLEG, at(2026, 7, 1, 0, 0))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_flow_per_level_balances_and_respects_the_boundaries(world):
    table = flows.level_flow(Q2_2026)
    #            start scr  esc↑ desc↓ esc→ desc→ closed end
    assert values(table, "Netwerkoverleg Risicojeugd") == [1, 1, 0, 0, 1, 0, 0, 1]
    assert values(table, "Overleg Jonge Aanwas") == [1, 0, 0, 0, 0, 0, 0, 1]
    assert values(table, "Persoonsgerichte aanpak (PGA)") == [0, 0, 1, 0, 0, 0, 1, 0]
    assert values(table, "Totaal") == [2, 1, 1, 0, 1, 0, 1, 2]


def test_intake_counts_new_cases_and_the_screening_decisions(world):
    table = flows.intake(Q2_2026)
    # awaiting at start (A, reported 23:59 on 31 March), new (C, E), in (A), out (C), end (E)
    assert values(table, "Aanmeldingen (casussen)") == [1, 2, 1, 1, 1]


def test_each_level_beside_the_previous_quarter_and_a_year_earlier(world):
    table = flows.compared_level_flow(Q2_2026)
    level = "Netwerkoverleg Risicojeugd"
    assert values(table, level, 0) == [1, 1, 0, 0, 1, 0, 0, 1]
    assert values(table, level, 1) == [0, 1, 0, 0, 0, 0, 0, 1]  # Q1 2026: B screened in
    assert values(table, level, 2) == [0, 0, 0, 0, 0, 0, 0, 0]  # Q2 2025
    assert values(table, "Overleg Jonge Aanwas", 2) == [0, 1, 0, 0, 0, 0, 0, 1]  # D
    assert [row.label for row in table.rows[:3]] == ["K2 2026", "K1 2026", "K2 2025"]
    # This quarter's start is the previous quarter's end, and disclosure control knows it.
    start_equals_previous_end = ((0, 0, 1), (1, 7, -1))
    assert start_equals_previous_end in table.relations


def test_closures_per_reason_and_the_level_left(world):
    table = flows.closures(Q2_2026)
    closed = [row for row in table.rows if not row.is_total]
    assert sorted(values(table, row.label) for row in closed) == [
        [0, 0, 0, 1, 1],  # B, from PGA
        [1, 0, 0, 0, 1],  # C, after screening
    ]
    assert values(table, "Totaal") == [1, 0, 0, 1, 2]
