# SPDX-License-Identifier: AGPL-3.0-or-later
"""Aggregates for the steering group: counts only, small numbers suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from casebook.models import Case, Signal
from workflows.ladder.machine import CaseState

#: Counts below this are shown as "< 5" so no person can be singled out.
SUPPRESSION_THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    value: int

    def __str__(self) -> str:
        if 0 < self.value < SUPPRESSION_THRESHOLD:
            return f"< {SUPPRESSION_THRESHOLD}"
        return str(self.value)

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < SUPPRESSION_THRESHOLD


def cases_per_level() -> list[tuple[str, Cell]]:
    counts = dict(Case.objects.values_list("level").annotate(n=Count("pk")).order_by())
    return [(label, Cell(counts.get(value, 0))) for value, label in CaseState.choices]


def cases_per_district() -> list[tuple[str, Cell]]:
    rows = (
        Case.objects.exclude(level=CaseState.CLOSED)
        .values_list("youth__neighbourhood__district__name")
        .annotate(n=Count("pk"))
        .order_by("youth__neighbourhood__district__name")
    )
    return [(name, Cell(n)) for name, n in rows]


def signals_per_group() -> list[tuple[str, Cell]]:
    rows = (
        Signal.objects.values_list("category__group")
        .annotate(n=Count("pk"))
        .order_by("category__group")
    )
    from casebook.models import SignalCategory

    labels = dict(SignalCategory.Group.choices)
    return [(labels.get(group, group), Cell(n)) for group, n in rows]


def groups_per_step() -> list[tuple[str, Cell]]:
    """Youth-group approaches per step of the 7-stappenmodel (groups, not persons)."""
    from casebook.models import Group
    from workflows.groups.steps import GroupStep

    counts = dict(Group.objects.values_list("step").annotate(n=Count("pk")).order_by())
    return [(label, Cell(counts.get(value, 0))) for value, label in GroupStep.choices]


def group_members_per_tier() -> list[tuple[str, Cell]]:
    """Current members of groups still in approach, per tier (persons: small numbers hidden)."""
    from casebook.models import GroupMember, Tier
    from workflows.groups.steps import GroupStep

    counts = dict(
        GroupMember.objects.filter(left_on__isnull=True)
        .exclude(group__step=GroupStep.CLOSED)
        .values_list("tier")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(label, Cell(counts.get(value, 0))) for value, label in Tier.choices]
