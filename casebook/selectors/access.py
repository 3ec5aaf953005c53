# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads for the privacy officer: emergency accesses to review, and who could and did see a
youth's data (the access overview for a subject-access request)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Max, Min, QuerySet, Value, When

from casebook.models import AuditEvent, Case, CaseInvolvement, EmergencyAccess, Youth


def emergency_accesses() -> QuerySet[EmergencyAccess]:
    """Every emergency access, the ones still to review first, newest first within."""
    return (
        EmergencyAccess.objects.select_related("user", "user__organisation", "case", "reviewed_by")
        .annotate(
            pending_first=When_(
                When(review=EmergencyAccess.Review.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-opened_at", "-pk")
    )


@dataclass(frozen=True)
class ReadSummary:
    organisation: str
    actor: str
    reads: int
    first: dt.datetime
    last: dt.datetime


@dataclass(frozen=True)
class AccessOverview:
    """Who could and who did see a youth's data: for a subject-access request (AVG art. 15)
    and the privacy officer's checks. Facts about access, no case content."""

    youth: Youth
    cases: list[Case]
    involvements: list[CaseInvolvement]
    emergencies: list[EmergencyAccess]
    reads: list[ReadSummary]
    denied: int


def youths_for_access_request(*, last_name: str, date_of_birth: dt.date) -> QuerySet[Youth]:
    """The youths a subject-access request may be about: exact surname and date of birth (the
    privacy officer identifies the person; there is no browsing)."""
    return Youth.objects.filter(
        last_name__iexact=" ".join(last_name.split()), date_of_birth=date_of_birth
    ).order_by("first_name", "pk")[:10]


def access_overview(youth: Youth) -> AccessOverview:
    cases = list(Case.objects.filter(youth=youth).order_by("opened_at"))
    involvements = list(
        CaseInvolvement.objects.filter(case__youth=youth)
        .select_related("organisation", "case")
        .order_by("case__opened_at", "since", "pk")
    )
    emergencies = list(
        EmergencyAccess.objects.filter(case__youth=youth)
        .select_related("user", "user__organisation", "case", "reviewed_by")
        .order_by("-opened_at")
    )
    rows = (
        AuditEvent.objects.filter(youth=youth, kind=AuditEvent.Kind.READ)
        .values("actor_organisation__name", "actor_label")
        .annotate(reads=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("actor_organisation__name", "actor_label")
    )
    reads = [
        ReadSummary(
            row["actor_organisation__name"] or "—",
            row["actor_label"],
            row["reads"],
            row["first"],
            row["last"],
        )
        for row in rows
    ]
    denied = AuditEvent.objects.filter(
        action="access.denied",
        object_id__in=[f"/casussen/{case.pk}/"[:40] for case in cases],
    ).count()
    return AccessOverview(youth, cases, involvements, emergencies, reads, denied)
