# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about signals."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from casebook.models import Signal, User


def my_signals(user: User) -> QuerySet[Signal]:
    """The signals ``user`` reported, with their status, feedback and, while the case awaits
    screening, the date by which it will be screened: nothing else of the case."""
    from workflows.tasks.models import OPEN_TASK_STATES, PartnerTask, TaskTypeCode

    screening_due = PartnerTask.objects.filter(
        case=OuterRef("case"), task_type__code=TaskTypeCode.SCREENING, state__in=OPEN_TASK_STATES
    ).values("deadline")[:1]
    return (
        Signal.objects.filter(reporter=user)
        .annotate(screening_due=Subquery(screening_due))
        .select_related("category", "youth")
        .only(
            "pk",
            "received_at",
            "status",
            "status_changed_at",
            "feedback",
            "observed_on",
            "category__name",
            "youth__first_name",
            "youth__last_name_prefix",
            "youth__last_name",
        )
        .order_by("-received_at")
    )
