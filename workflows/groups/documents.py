# SPDX-License-Identifier: AGPL-3.0-or-later
"""The group approach's PDF documents (WeasyPrint): the group overview and the plan of
approach, per participating organisation. Each copy holds only what that organisation may see
(``GroupAccess``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from casebook.models import Group, GroupTierChange, Organisation, Tier, Track
from casebook.models.groups import GROUP_MAJORITY_AGE, MEMBER_TRACKS
from casebook.selectors.cases import open_cases_by_youth
from casebook.services.processing import Code as Activity
from casebook.services.processing import log_subjects
from workflows.groups.selectors import (
    TIER_ORDER,
    GroupAccess,
    group_access_for_recipient,
    group_decisions,
    group_definition,
)
from workflows.groups.steps import GroupStep


def _group_recipient_context(
    group: Group, organisation: Organisation | None
) -> tuple[GroupAccess, dict]:
    """The recipient's access (404 for an organisation that does not take part) and the
    context every group document shares."""
    access = group_access_for_recipient(group, organisation)
    recipient = organisation if access.organisation_id is not None else None
    return access, {
        "group": group,
        "access": access,
        "full": access.full,
        "recipient": recipient,
        "now": timezone.now(),
    }


def group_overview_html(group: Group, organisation: Organisation | None) -> str:
    """The group overview: step, duiding, members and decisions. A full copy (ZVH, core
    partners) holds every current member with tier and case, the tier counts and tier history;
    an executing partner's copy only the members its organisation has work about, without
    tiers, and only its own notes."""
    access, context = _group_recipient_context(group, organisation)
    members = list(access.members().filter(left_on__isnull=True).order_by("youth__last_name"))
    if access.full:
        members.sort(key=lambda m: TIER_ORDER.get(m.tier, len(TIER_ORDER)))
        open_cases = open_cases_by_youth(m.youth_id for m in members)
        for member in members:
            member.open_case = open_cases.get(member.youth_id)
        tier_counts = [
            (label, sum(1 for m in members if m.tier == value)) for value, label in Tier.choices
        ]
        tier_changes = GroupTierChange.objects.filter(member__group=group).select_related(
            "member__youth", "decided_by"
        )
    else:
        tier_counts, tier_changes = [], []
    decisions = group_decisions(group)
    tier_changes = list(tier_changes)
    log_subjects(
        Activity.GROUP_APPROACH,
        [m.youth_id for m in members] + [change.member.youth_id for change in tier_changes],
        "group_overzicht_pdf.viewed",
    )
    return render_to_string(
        "groups/documents/overview.html",
        context
        | {
            "definition": group_definition(group),
            "majority_age": GROUP_MAJORITY_AGE,
            "neighbourhoods": group.neighbourhoods.order_by("name"),
            "members": members,
            "tier_counts": tier_counts,
            "tier_changes": tier_changes,
            "decisions": decisions,
            "notes": access.notes().order_by("created_at", "pk"),
            "step_labels": dict(GroupStep.choices),
            "participants": group.participants.select_related("organisation").order_by(
                "organisation__name"
            ),
        },
    )


def group_plan_html(group: Group, organisation: Organisation | None) -> str:
    """The plan of approach: priority, aims, monitoring and the actions per track (groep,
    individu, gezin, domein). An executing partner's copy holds the group- and domain-wide
    actions and its own, and only the tracks with actions; the outcome of a task only for the
    organisation that did it (or in a full copy)."""
    access, context = _group_recipient_context(group, organisation)
    actions = list(access.plan_actions())
    own_tasks = set(access.tasks().values_list("pk", flat=True))
    for action in actions:
        action.outcome_visible = action.task_id is not None and action.task_id in own_tasks
    tracks = [
        {
            "value": value,
            "label": label,
            "per_member": value in MEMBER_TRACKS,
            "actions": [a for a in actions if a.track == value],
        }
        for value, label in Track.choices
    ]
    if not access.full:
        tracks = [track for track in tracks if track["actions"]]
    # Work outside the plan (group scan, monitoring, bulk actions such as the nuisance letter).
    other_tasks = list(
        access.tasks().filter(group_plan_action__isnull=True).order_by("deadline", "pk")
    )
    log_subjects(
        Activity.GROUP_APPROACH,
        [a.member.youth_id for a in actions if a.member_id]
        + [task.subject_youth_id for task in other_tasks],
        "group_plan_pdf.viewed",
    )
    return render_to_string(
        "groups/documents/plan.html",
        context | {"tracks": tracks, "other_tasks": other_tasks},
    )
