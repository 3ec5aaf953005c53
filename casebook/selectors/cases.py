# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which cases a user may see, and the case list with its filters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from casebook import policy
from casebook.age_bands import AGE_BANDS_BY_CODE
from casebook.models import AuditEvent, Case, CaseInvolvement, FamilyLink, Signal, User
from casebook.models.signals import SignalStatus
from workflows.ladder.machine import CLOSED


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases ``user`` may open (``casebook.policy.cases``)."""
    return policy.cases(user)


@dataclass(frozen=True)
class CaseFilters:
    level: str = ""
    status: str = "open"  # open | closed | all
    neighbourhood: int | None = None
    district: int | None = None
    age_band: str = ""
    q: str = ""


_REFERENCE = re.compile(r"^(?:ijam-?)?0*(\d{1,9})$", re.IGNORECASE)


def parse_case_reference(text: str) -> int | None:
    """The case number in what a user typed: ``IJAM-000123``, ``ijam123``, ``123`` (spaces
    and case ignored); ``None`` when it is not a case number. The one parser of references."""
    match = _REFERENCE.match("".join((text or "").split()))
    return int(match.group(1)) if match else None


def open_case_of(youth) -> Case | None:
    """The youth's open case, if any (there is at most one: a partial unique index)."""
    return Case.objects.filter(youth=youth).exclude(level=CLOSED).first()


def open_cases_by_youth(youth_ids) -> dict[int, Case]:
    """The open case of each of these youths that has one, by youth id (one query)."""
    return {
        case.youth_id: case
        for case in Case.objects.filter(youth_id__in=list(youth_ids)).exclude(level=CLOSED)
    }


def case_list(user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The filtered case list, with everything a row shows fetched in one query."""
    cases = visible_cases(user).select_related(
        "youth",
        "youth__neighbourhood",
        "youth__neighbourhood__district",
        "coordinator_organisation",
    )
    if filters.status == "open":
        cases = cases.exclude(level=CLOSED)
    elif filters.status == "closed":
        cases = cases.filter(level=CLOSED)
    if filters.level:
        cases = cases.filter(level=filters.level)
    if filters.neighbourhood:
        cases = cases.filter(youth__neighbourhood_id=filters.neighbourhood)
    if filters.district:
        cases = cases.filter(youth__neighbourhood__district_id=filters.district)
    band = AGE_BANDS_BY_CODE.get(filters.age_band)
    if band:
        earliest, latest = band.birth_date_range(timezone.localdate())
        cases = cases.filter(youth__date_of_birth__range=(earliest, latest))
    query = " ".join(filters.q.split()).lower()
    if query:
        reference = parse_case_reference(query)
        if reference is not None:
            cases = cases.filter(pk=reference)
        else:
            cases = cases.filter(youth__search_name__contains=query)
    # A correlated subquery rather than a join: the paginator's COUNT can then leave it out.
    open_signals = (
        Signal.objects.filter(
            case=OuterRef("pk"), status__in=[SignalStatus.RECEIVED, SignalStatus.IN_SCREENING]
        )
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return cases.annotate(
        open_signals=Coalesce(Subquery(open_signals, output_field=IntegerField()), 0)
    ).order_by("-level_changed_at", "-pk")


def case_for_user(user: User, pk: int) -> Case:
    """The case if ``user`` may see it; otherwise 404 (never a hint that it exists)."""
    case = (
        visible_cases(user)
        .select_related(
            "youth",
            "youth__neighbourhood",
            "youth__neighbourhood__district",
            "coordinator_organisation",
            "closure_reason",
            "predecessor",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_signals(user: User, case: Case) -> QuerySet[Signal]:
    """Signals of the case: all for ZVH staff, a partner only its own organisation's."""
    signals = case.signals.select_related("category", "reporter", "reporter_organisation")
    return policy.signals(user, signals).order_by("-received_at")


def case_timeline(case: Case) -> QuerySet[AuditEvent]:
    """What happened to the case, newest first (changes only; reads are in the access log)."""
    return AuditEvent.objects.filter(case=case, kind=AuditEvent.Kind.WRITE).order_by("-id")


def case_involvements(case: Case) -> QuerySet[CaseInvolvement]:
    return case.involvements.select_related("organisation").order_by("since")


REVERSED_RELATION = {
    FamilyLink.Relation.PARENT: FamilyLink.Relation.CHILD.label,
    FamilyLink.Relation.CHILD: FamilyLink.Relation.PARENT.label,
}


def case_family(case: Case) -> list[FamilyLink]:
    """The youth's relatives (both directions), with their own open case if they have one."""
    links = list(
        FamilyLink.objects.filter(Q(youth=case.youth) | Q(related_youth=case.youth))
        .select_related("youth", "related_youth")
        .order_by("pk")
    )
    for link in links:
        link.relation_label = link.get_relation_display()
        if link.related_youth_id == case.youth_id:  # seen from the other side
            link.other, link.other_name = link.youth, link.youth.full_name
            link.relation_label = REVERSED_RELATION.get(link.relation, link.relation_label)
        else:
            link.other = link.related_youth
            link.other_name = (
                link.related_youth.full_name if link.related_youth else link.related_name
            )
    open_cases = open_cases_by_youth(link.other.pk for link in links if link.other is not None)
    for link in links:
        link.other_case = open_cases.get(link.other.pk) if link.other is not None else None
    return links


@dataclass(frozen=True)
class CasePage:
    """What the case page shows ``user`` of one case, already cut to need-to-know: a partner
    sees the case and its own organisation's signals; ZVH staff also the involvements, the
    family, the timeline, the youth's groups and the plan of approach."""

    case: Case
    sees_all: bool
    signals: list[Signal]
    involvements: QuerySet[CaseInvolvement] | None = None
    family: list[FamilyLink] | None = None
    timeline: QuerySet[AuditEvent] | None = None
    memberships: QuerySet | None = None
    goals: QuerySet | None = None
    plan_interventions: QuerySet | None = None


def case_page(user: User, case: Case) -> CasePage:
    sees_all = policy.is_zvh_staff(user)
    signals = list(case_signals(user, case))
    if not sees_all:
        return CasePage(case=case, sees_all=False, signals=signals)
    return CasePage(
        case=case,
        sees_all=True,
        signals=signals,
        involvements=case_involvements(case),
        family=case_family(case),
        timeline=case_timeline(case),
        # The other side of a spin-off: the youth's youth groups, with role and tier.
        memberships=case.youth.memberships.select_related("group", "role").order_by(
            "left_on", "-joined_on"
        ),
        goals=case.goals.order_by("life_domain", "created_at"),
        plan_interventions=case.plan_interventions.select_related(
            "intervention", "provider", "goal", "task"
        ),
    )
