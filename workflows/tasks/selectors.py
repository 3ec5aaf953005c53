# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about partner tasks, filtered to what the asking user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casebook import policy
from casebook.models import Organisation, User
from workflows.tasks.models import OPEN_TASK_STATES, PartnerTask, TaskState

TASK_ROW_RELATED = (
    "task_type",
    "organisation",
    "case",
    "case__youth",
    "group_member__youth",
    "group",
    "claimed_by",
    "assignee",
)


def task_for_user(user: User, pk: int) -> PartnerTask:
    """The task if ``user`` may see it (``casebook.policy.tasks``); otherwise 404."""
    tasks = PartnerTask.objects.select_related(
        *TASK_ROW_RELATED,
        "case__youth__neighbourhood",
        "group_member__youth__neighbourhood",
        "created_by",
    )
    task = policy.tasks(user, tasks).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


@dataclass(frozen=True)
class InboxFilters:
    state: str = "open"  # open (open + claimed) | a TaskState value | all
    task_type: int | None = None
    level: str = ""
    mine: bool = False


def inbox(user: User, filters: InboxFilters) -> QuerySet[PartnerTask]:
    """The organisation's tasks, soonest deadline first: overdue work comes first by itself.
    Empty for a user without a task-working role."""
    if not policy.is_task_worker(user):
        return PartnerTask.objects.none()
    tasks = PartnerTask.objects.filter(organisation_id=user.organisation_id).select_related(
        *TASK_ROW_RELATED
    )
    if filters.state == "open":
        tasks = tasks.filter(state__in=OPEN_TASK_STATES)
    elif filters.state in TaskState.values:
        tasks = tasks.filter(state=filters.state)
    if filters.task_type:
        tasks = tasks.filter(task_type_id=filters.task_type)
    if filters.level:
        tasks = tasks.filter(case__level=filters.level)
    if filters.mine:
        tasks = tasks.filter(Q(claimed_by=user) | Q(assignee=user))
    return tasks.order_by("deadline", "pk")


def case_tasks(user: User, case) -> QuerySet[PartnerTask]:
    """The tasks on a case ``user`` may see, newest first: all for ZVH staff, a partner only
    its own organisation's."""
    return policy.tasks(user, case.tasks.select_related(*TASK_ROW_RELATED)).order_by(
        "-created", "-pk"
    )


@dataclass(frozen=True)
class OrganisationLoad:
    organisation: Organisation
    open: int
    claimed: int
    overdue: int


def work_overview(now: dt.datetime | None = None) -> list[OrganisationLoad]:
    """Open work per organisation, with how much of it is overdue (one grouped query)."""
    now = now or timezone.now()
    rows = (
        PartnerTask.objects.filter(state__in=OPEN_TASK_STATES)
        .values("organisation")
        .annotate(
            open=Count("pk", filter=Q(state=TaskState.OPEN)),
            claimed=Count("pk", filter=Q(state=TaskState.CLAIMED)),
            overdue=Count("pk", filter=Q(deadline__lt=now)),
        )
        .order_by()
    )
    organisations = Organisation.objects.in_bulk([row["organisation"] for row in rows])
    loads = [
        OrganisationLoad(
            organisations[row["organisation"]], row["open"], row["claimed"], row["overdue"]
        )
        for row in rows
    ]
    return sorted(loads, key=lambda load: (-load.overdue, load.organisation.name))


def returned_tasks(days: int = 30) -> QuerySet[PartnerTask]:
    since = timezone.now() - dt.timedelta(days=days)
    return (
        PartnerTask.objects.filter(state=TaskState.RETURNED, closed_at__gte=since)
        .select_related(*TASK_ROW_RELATED)
        .order_by("-closed_at")
    )


def organisation_open_tasks(organisation_id: int) -> QuerySet[PartnerTask]:
    """One organisation's open work, soonest deadline first (the overview's drill-down)."""
    return (
        PartnerTask.objects.filter(organisation_id=organisation_id, state__in=OPEN_TASK_STATES)
        .select_related(*TASK_ROW_RELATED)
        .order_by("deadline", "pk")
    )
