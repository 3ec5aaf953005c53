# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about youth-group approaches, filtered to what the asking user may see
(need-to-know): pages and PDFs both ask ``GroupAccess``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
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
from casebook.models.groups import GROUP_MAJORITY_AGE
from casebook.models.youths import age_on
from casebook.permissions import REGISTER_SIGNAL
from casebook.selectors.cases import sees_all_cases
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
    if sees_all_cases(user):
        return Group.objects.all()
    if user.has_perm(REGISTER_SIGNAL) and user.organisation_id:
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
