# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about partner tasks, filtered to what the asking user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casebook.models import (
    Group,
    GroupMember,
    GroupNote,
    GroupParticipant,
    GroupPlanAction,
    Organisation,
    Track,
    User,
)
from casebook.selectors.cases import REGISTER, sees_all_cases
from workflows.models import OPEN_TASK_STATES, PartnerTask, TaskState

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
    """The task if ``user`` may see it: ZVH staff all, a partner its organisation's only."""
    tasks = PartnerTask.objects.select_related(
        *TASK_ROW_RELATED,
        "case__youth__neighbourhood",
        "group_member__youth__neighbourhood",
        "created_by",
    )
    if not sees_all_cases(user):
        if not user.organisation_id:
            raise Http404
        tasks = tasks.filter(organisation_id=user.organisation_id)
    task = tasks.filter(pk=pk).first()
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
    """The organisation's tasks, soonest deadline first: overdue work comes first by itself."""
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


def case_tasks(case) -> QuerySet[PartnerTask]:
    return case.tasks.select_related(*TASK_ROW_RELATED).order_by("-created", "-pk")


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


# --- Youth groups: who sees what (need-to-know) ------------------------------------------------


@dataclass(frozen=True)
class GroupAccess:
    """What one user may see of one group approach.

    ``full``: ZVH staff and core partners (the driehoek and whom the procesregisseur adds) see
    members with tiers, all information and all actions. Executing partners see the group, its
    duiding and the group- and domain-wide actions, their own notes, and only the members their
    organisation has work about — without tiers, which rest on police information."""

    group: Group
    full: bool
    directs: bool  # ZVH staff: may run the approach (with the permission) and see the timeline
    organisation_id: int | None

    def members(self) -> QuerySet[GroupMember]:
        members = self.group.members.select_related("youth", "role", "spun_off_case")
        if self.full:
            return members
        return members.filter(
            Exists(
                PartnerTask.objects.filter(
                    group_member=OuterRef("pk"), organisation_id=self.organisation_id
                )
            )
        )

    def tasks(self) -> QuerySet[PartnerTask]:
        tasks = PartnerTask.objects.filter(group=self.group).select_related(*TASK_ROW_RELATED)
        if not self.full:
            tasks = tasks.filter(organisation_id=self.organisation_id)
        return tasks.order_by("-created", "-pk")

    def plan_actions(self) -> QuerySet[GroupPlanAction]:
        actions = self.group.plan_actions.select_related(
            "member__youth", "organisation", "task_type", "task"
        )
        if not self.full:
            actions = actions.filter(
                Q(track__in=[Track.GROUP, Track.DOMAIN]) | Q(organisation_id=self.organisation_id)
            )
        return actions.order_by("track", "created_at", "pk")

    def notes(self) -> QuerySet[GroupNote]:
        notes = self.group.notes.select_related("author", "organisation")
        if not self.full:
            notes = notes.filter(organisation_id=self.organisation_id)
        return notes.order_by("-created_at", "-pk")


def visible_groups(user: User) -> QuerySet[Group]:
    """All groups for ZVH staff; for a partner the approaches its organisation takes part in;
    none for the steering group (aggregates only)."""
    if sees_all_cases(user):
        return Group.objects.all()
    if user.has_perm(REGISTER) and user.organisation_id:
        return Group.objects.filter(participants__organisation_id=user.organisation_id)
    return Group.objects.none()


def group_access(user: User, group_id: int) -> GroupAccess:
    """The group with what ``user`` may see of it; 404 when the user may not see it at all."""
    group = visible_groups(user).filter(pk=group_id).first()
    if group is None:
        raise Http404
    if sees_all_cases(user):
        return GroupAccess(group, full=True, directs=True, organisation_id=user.organisation_id)
    participant = group.participants.get(organisation_id=user.organisation_id)
    return GroupAccess(
        group,
        full=participant.access == GroupParticipant.Access.CORE,
        directs=False,
        organisation_id=user.organisation_id,
    )


def group_access_for_recipient(group: Group, organisation: Organisation | None) -> GroupAccess:
    """What a recipient organisation's copy of a group document may hold (None: the ZVH's own
    full copy). A non-participating organisation gets nothing: 404."""
    if organisation is None or organisation.kind == "zvh":
        return GroupAccess(group, full=True, directs=True, organisation_id=None)
    participant = group.participants.filter(organisation=organisation).first()
    if participant is None:
        raise Http404
    return GroupAccess(
        group,
        full=participant.access == GroupParticipant.Access.CORE,
        directs=False,
        organisation_id=organisation.pk,
    )
