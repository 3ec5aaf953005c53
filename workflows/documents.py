# SPDX-License-Identifier: AGPL-3.0-or-later
"""PDF documents (WeasyPrint): agenda and minutes per recipient organisation, the case
summary for the procesregisseur, and the group overview and plan of approach per participating
organisation. Each recipient's document holds only the cases and group members it may see."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from casebook.models import (
    AuditEvent,
    Case,
    CaseInvolvement,
    Group,
    GroupTierChange,
    Organisation,
    Tier,
    Track,
)
from casebook.models.groups import GROUP_MAJORITY_AGE
from workflows.group_steps import GroupStep
from workflows.models import Meeting, Minutes
from workflows.selectors import GroupAccess, group_access_for_recipient
from workflows.services.groups import group_definition
from workflows.services.meetings import invited_organisations


def _visible_case_ids(organisation: Organisation | None) -> set[int] | None:
    """None means all cases (the ZVH's own copy)."""
    if organisation is None:
        return None
    return set(
        CaseInvolvement.objects.filter(organisation=organisation).values_list("case_id", flat=True)
    )


def agenda_html(meeting: Meeting, organisation: Organisation | None) -> str:
    visible = _visible_case_ids(organisation)
    items = [
        item
        for item in meeting.items.select_related(
            "case", "case__youth", "case__youth__neighbourhood"
        )
        if visible is None or item.case_id in visible
    ]
    for item in items:
        item.invited = invited_organisations(case=item.case, series=meeting.series)
    return render_to_string(
        "documents/agenda.html",
        {"meeting": meeting, "items": items, "recipient": organisation, "now": timezone.now()},
    )


def minutes_html(minutes: Minutes, organisation: Organisation | None) -> str:
    visible = _visible_case_ids(organisation)
    items = [
        item
        for item in minutes.items.select_related("case", "case__youth").prefetch_related(
            "attendees", "decisions__closure_reason"
        )
        if visible is None or item.case_id in visible
    ]
    return render_to_string(
        "documents/minutes.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "items": items,
            "recipient": organisation,
            "now": timezone.now(),
        },
    )


def case_summary_html(case: Case) -> str:
    history = AuditEvent.objects.filter(
        case=case,
        action__in=[
            "case.opened",
            "case.screen_in",
            "case.screen_out",
            "case.escalate",
            "case.deescalate",
            "case.close",
        ],
    ).order_by("id")
    return render_to_string(
        "documents/case_summary.html",
        {
            "case": case,
            "youth": case.youth,
            "history": history,
            "goals": case.goals.order_by("life_domain", "created_at"),
            "interventions": case.plan_interventions.select_related("intervention", "provider"),
            "tasks": case.tasks.select_related("task_type", "organisation").order_by("deadline"),
            "now": timezone.now(),
        },
    )


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


# --- Group approach (7-stappenmodel): overview and plan of approach per recipient -----------


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
        tier_order = {value: i for i, value in enumerate(Tier.values)}
        members.sort(key=lambda m: tier_order.get(m.tier, len(tier_order)))
        open_cases = {
            case.youth_id: case
            for case in Case.objects.filter(youth__in=[m.youth_id for m in members]).exclude(
                level="closed"
            )
        }
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
    step_labels = dict(GroupStep.choices)
    decisions = list(group.step_decisions.select_related("decided_by").order_by("decided_at"))
    for decision in decisions:
        decision.from_label = step_labels.get(decision.from_step, decision.from_step)
        decision.to_label = step_labels.get(decision.to_step, decision.to_step)
    return render_to_string(
        "documents/group_overview.html",
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
            "step_labels": step_labels,
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
        {"value": value, "label": label, "actions": [a for a in actions if a.track == value]}
        for value, label in Track.choices
    ]
    if not access.full:
        tracks = [track for track in tracks if track["actions"]]
    # Work outside the plan (group scan, monitoring, bulk actions such as the nuisance letter).
    other_tasks = access.tasks().filter(group_plan_action__isnull=True).order_by("deadline", "pk")
    return render_to_string(
        "documents/group_plan.html",
        context | {"tracks": tracks, "other_tasks": other_tasks},
    )
