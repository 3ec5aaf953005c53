# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about youth-group approaches, filtered to what the asking user may see
(need-to-know): pages and PDFs both ask ``GroupAccess``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casebook import policy
from casebook.models import (
    AuditEvent,
    Group,
    GroupMember,
    GroupNote,
    GroupParticipant,
    GroupPlanAction,
    GroupStepDecision,
    Organisation,
    Tier,
    Track,
    User,
)
from casebook.models.groups import GROUP_MAJORITY_AGE
from casebook.models.youths import age_on
from casebook.selectors.cases import open_cases_by_youth
from casebook.selectors.people import coordinating_zvh
from workflows.groups.steps import GroupStep
from workflows.tasks.models import PartnerTask
from workflows.tasks.selectors import TASK_ROW_RELATED


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
    return policy.groups(user)


def group_access(user: User, group_id: int) -> GroupAccess:
    """The group with what ``user`` may see of it; 404 when the user may not see it at all."""
    group = visible_groups(user).filter(pk=group_id).first()
    if group is None:
        raise Http404
    if policy.is_zvh_staff(user):
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
    full copy, which only ZVH staff get: ``casebook.web.document_recipient``). A
    non-participating organisation gets nothing: 404. Only the coordinating ZVH's own copy is
    full: another organisation marked as a ZVH is a recipient like any other."""
    coordinator = coordinating_zvh() if organisation is not None else None
    if organisation is None or (coordinator is not None and coordinator.pk == organisation.pk):
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


# --- The group definition (modelconvenant) ------------------------------------------------


@dataclass(frozen=True)
class Definition:
    members: int
    younger_than_limit: int

    @property
    def met(self) -> bool:
        return self.members >= 2 and self.younger_than_limit * 2 > self.members

    @property
    def message(self) -> str:
        if self.members < 2:
            return "Een groep bestaat uit minstens twee personen."
        if not self.met:
            return (
                f"De meerderheid van de groep moet jonger zijn dan {GROUP_MAJORITY_AGE}: "
                f"nu {self.younger_than_limit} van de {self.members}."
            )
        return ""


def group_definition(group: Group, on: dt.date | None = None) -> Definition:
    """Does the group still meet the definition (current members, ages today)?"""
    on = on or timezone.localdate()
    births = list(
        group.members.filter(left_on__isnull=True).values_list("youth__date_of_birth", flat=True)
    )
    younger = sum(age_on(born, on) < GROUP_MAJORITY_AGE for born in births)
    return Definition(len(births), younger)


def group_decisions(group: Group) -> list[GroupStepDecision]:
    """The gate decisions, oldest first, each with the labels of the steps it moved between."""
    labels = dict(GroupStep.choices)
    decisions = list(group.step_decisions.select_related("decided_by").order_by("decided_at"))
    for decision in decisions:
        decision.from_label = labels.get(decision.from_step, decision.from_step)
        decision.to_label = labels.get(decision.to_step, decision.to_step)
    return decisions


def groups_overview(user: User, step: str = "") -> QuerySet[Group]:
    """The groups overview: the groups ``user`` may see, per step, each with its number of
    current members and of red ones."""
    groups = (
        visible_groups(user)
        .annotate(
            current=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            red=Count(
                "members",
                filter=Q(members__left_on__isnull=True, members__tier=Tier.RED),
                distinct=True,
            ),
        )
        .order_by("step", "name")
    )
    if step in GroupStep.values:
        groups = groups.filter(step=step)
    return groups


#: How the members table can be sorted (the ``sorteer`` parameter).
MEMBER_ORDER = {
    "kleur": ("left_on", "tier", "youth__last_name"),
    "naam": ("left_on", "youth__last_name", "youth__first_name"),
    "leeftijd": ("left_on", "-youth__date_of_birth"),
    "rol": ("left_on", "role__order", "youth__last_name"),
}
TIER_ORDER = {value: position for position, value in enumerate(Tier.values)}


def member_list(
    access: GroupAccess, *, sort: str, tier: str = "", include_left: bool = False
) -> list[GroupMember]:
    """The members ``access`` may see, sorted (by tier: red, orange, yellow), filtered by tier
    (only where tiers are visible), each with the youth's open case (``member.case``)."""
    members_qs = access.members().order_by(*MEMBER_ORDER.get(sort, MEMBER_ORDER["naam"]))
    if access.full and tier in Tier.values:
        members_qs = members_qs.filter(tier=tier)
    if not include_left:
        members_qs = members_qs.filter(left_on__isnull=True)
    members = list(members_qs)
    if sort == "kleur" and access.full:
        members.sort(key=lambda m: (m.left_on is not None, TIER_ORDER.get(m.tier, 9)))
    open_cases = open_cases_by_youth(m.youth_id for m in members)
    for member in members:
        member.case = open_cases.get(member.youth_id)
    return members


def group_timeline(group: Group, limit: int = 100) -> QuerySet[AuditEvent]:
    """What was changed in the group approach, newest first (for the ZVH)."""
    return (
        AuditEvent.objects.filter(
            object_type=Group._meta.label_lower,
            object_id=str(group.pk),
            kind=AuditEvent.Kind.WRITE,
        )
        .select_related("actor")
        .order_by("-id")[:limit]
    )
