# SPDX-License-Identifier: AGPL-3.0-or-later
"""The group's duiding and its plan of approach: the structured interpretation (problem
types, dynamics, roles, context, places), the plan's aims and the actions per track (groep,
individu, gezin, domein). Actions are planned in steps 3–5 and start as partner tasks when the
plan is adopted (5 → 6), or at once when added in step 6. Every function is one transaction
that locks the group, writes the audit event and changes nothing when it refuses."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casebook.bounds import SHORT_TEXT
from casebook.errors import TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import (
    AuditAction,
    Group,
    GroupMember,
    GroupPlanAction,
    Organisation,
    Track,
    User,
)
from casebook.models.groups import MEMBER_TRACKS
from casebook.services.audit import audit_record
from workflows.groups.services.common import require_director, require_reason
from workflows.groups.steps import GroupStep
from workflows.tasks import calendar
from workflows.tasks.models import PartnerTask, TaskType
from workflows.tasks.services import NO_WORKERS, has_task_workers, task_start


def start_planned_actions(group: Group, actor: User) -> None:
    """Adopting the plan (5 → 6): every planned action starts as a partner task. An action
    whose organisation has nobody left who works tasks refuses the adoption, naming the action
    and the organisation: the procesregisseur takes it out of the plan or plans it elsewhere."""
    for action in group.plan_actions.filter(task__isnull=True).select_related(
        "member__youth", "task_type", "organisation"
    ):
        action.group = group
        try:
            start_action(action, actor)
        except ValidationFailed as exc:
            message = f"Actie '{action.description}': {exc.message}"
            raise ValidationFailed(message, field_errors=exc.field_errors) from exc


def start_action(action: GroupPlanAction, actor: User) -> PartnerTask:
    """One action of the plan as a task, due at the end of its day (or by the type's norm)."""
    deadline = None
    if action.due_on and action.due_on >= timezone.localdate():  # until the end of that day
        deadline = calendar.end_of_day(action.due_on)
    task = task_start(
        group=action.group,
        member=action.member,
        actor=actor,
        task_type=action.task_type,
        organisation=action.organisation,
        instruction=f"Plan van aanpak, {action.get_track_display()}: {action.description}",
        deadline=deadline,
    )
    action.task = task
    action.save(update_fields=["task"])
    return task


#: Steps in which the plan of approach is drawn up (3–5) or adjusted (6).
PLAN_STEPS = (GroupStep.INTERPRET, GroupStep.ADVISE, GroupStep.PLAN, GroupStep.EXECUTE)


def group_plan_action_add(
    *,
    group: Group,
    actor: User,
    track: str,
    task_type: TaskType,
    organisation: Organisation,
    description: str,
    member: GroupMember | None = None,
    due_on: dt.date | None = None,
    expected_version: int | None = None,
) -> GroupPlanAction:
    """An action in the group's plan of approach. Added in step 6 (adjusting the plan) it starts
    as a task at once; earlier it waits for the plan's adoption."""
    require_director(actor)
    description = description.strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = ["Beschrijf de actie."]
    if track not in Track.values:
        errors["track"] = ["Kies een spoor."]
    elif track in MEMBER_TRACKS and member is None:
        errors["member"] = ["Een persoons- of gezinsgerichte actie gaat over één groepslid."]
    elif track not in MEMBER_TRACKS and member is not None:
        errors["member"] = ["Een groeps- of domeingerichte actie gaat over de hele groep."]
    if due_on is not None and due_on <= timezone.localdate():
        errors["due_on"] = ["De datum moet in de toekomst liggen."]
    if not task_type.is_active or not organisation.is_active:
        errors["organisation"] = ["Deze taaksoort of organisatie is niet meer in gebruik."]
    elif not has_task_workers(organisation):  # the task would wait unseen, now or at adoption
        errors["organisation"] = [NO_WORKERS.format(organisation=organisation.name)]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    with transaction.atomic():
        group = for_update(Group).get(pk=group.pk)
        check_version(group, expected_version, "Deze groep")
        if group.step not in PLAN_STEPS:
            raise TransitionRefused(
                "Acties horen bij het plan van aanpak: op te nemen in stap 3 tot en met 6."
            )
        if member is not None and (member.group_id != group.pk or member.left_on):
            raise ValidationFailed(f"{member.youth} is geen lid (meer) van deze groep.")
        action = GroupPlanAction.objects.create(
            group=group,
            track=track,
            member=member,
            description=description,
            task_type=task_type,
            organisation=organisation,
            due_on=due_on,
            created_by=actor,
            created_at=timezone.now(),
        )
        if group.step == GroupStep.EXECUTE:
            start_action(action, actor)
        bump(group)
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_PLAN_ACTION_ADDED,
            obj=group,
            youth=member.youth if member else None,
            after={
                "spoor": action.get_track_display(),
                "actie": description,
                "organisatie": organisation.name,
                "gestart": action.task_id is not None,
            },
        )
    return action


def group_plan_action_remove(
    *, action: GroupPlanAction, actor: User, reason: str, expected_version: int | None = None
) -> None:
    """Take a planned action out of the plan before it has started (after that: cancel the task)."""
    require_director(actor)
    reason = require_reason(reason, SHORT_TEXT)  # a one-line field on the group page
    with transaction.atomic():
        group_id = GroupPlanAction.objects.values_list("group_id", flat=True).get(pk=action.pk)
        group = for_update(Group).get(pk=group_id)
        check_version(group, expected_version, "Deze groep")
        action = (
            for_update(GroupPlanAction)
            .select_related("group", "member__youth", "organisation")
            .get(pk=action.pk)
        )
        if action.task_id:
            raise TransitionRefused(
                "Deze actie loopt al als taak; annuleer de taak als zij niet meer nodig is."
            )
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_PLAN_ACTION_REMOVED,
            obj=action.group,
            youth=action.member.youth if action.member else None,
            reason=reason,
            before={
                "spoor": action.get_track_display(),
                "actie": action.description,
                "organisatie": action.organisation.name,
            },
        )
        action.delete()
        bump(group)


DUIDING_FIELDS = (
    "problem_types",
    "dynamics",
    "roles_description",
    "context",
    "legacy_label",
    "plan_goals",
    "monitoring_weeks",
    "hotspots",
)


def group_interpretation_update(
    *, group: Group, actor: User, expected_version: int, **changes
) -> Group:
    """The duiding (problem types, dynamics, roles, context, hotspots and buurten), the plan's
    aims and the monitoring rhythm: information that can be sharpened at any step. Stale forms
    conflict."""
    require_director(actor)
    neighbourhoods = changes.pop("neighbourhoods", None)
    unknown = set(changes) - set(DUIDING_FIELDS)
    if unknown:
        raise ValidationFailed("Onbekende velden.")
    if set(changes.get("problem_types", [])) - set(Group.ProblemType.values):
        raise ValidationFailed("Onbekende soort problematiek.")
    if "monitoring_weeks" in changes and not 1 <= int(changes["monitoring_weeks"]) <= 26:
        raise ValidationFailed(
            "Monitoring tussen elke 1 en 26 weken.",
            field_errors={"monitoring_weeks": ["Kies tussen 1 en 26 weken."]},
        )
    with transaction.atomic():
        group = for_update(Group).get(pk=group.pk)
        check_version(group, expected_version, "Deze groep")
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        before, after = {}, {}
        for name, value in changes.items():
            value = value.strip() if isinstance(value, str) else value
            if getattr(group, name) != value:
                before[name], after[name] = getattr(group, name), value
                setattr(group, name, value)
        fields = list(after)
        if neighbourhoods is not None:
            current = sorted(n.name for n in group.neighbourhoods.all())
            wanted = sorted(n.name for n in neighbourhoods)
            if current != wanted:
                before["buurten"], after["buurten"] = current, wanted
                group.neighbourhoods.set(neighbourhoods)
        if not after:
            return group
        bump(group, *fields)
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_INTERPRETATION,
            obj=group,
            before=before,
            after=after,
        )
    return group
