# SPDX-License-Identifier: AGPL-3.0-or-later
"""Running a group approach through the 7-stappenmodel: starting it, and the gate decisions.

Every function is one transaction: it locks the group, checks an expected version, checks the
move on the machine (``workflows.groups.steps``) and the gate of the step, records the
decision with reason and decider (``GroupStepDecision``), writes the audit event, and starts or
ends the work the step brings: the police's group scan on entering step 2, the planned actions
and the periodic monitoring on adopting the plan (5 → 6), the hand-over or cancellation of the
open work on closing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from casebook.bounds import LONG_TEXT, bounded_text
from casebook.errors import TransitionRefused, ValidationFailed
from casebook.locks import check_version, for_update
from casebook.models import (
    AuditAction,
    Group,
    GroupParticipant,
    GroupStepDecision,
    Organisation,
    OrganisationKind,
    User,
)
from casebook.services.audit import audit_record
from casebook.services.involvement import coordinating_organisation, participate
from workflows.groups.selectors import group_definition
from workflows.groups.services.common import STEP_LABELS, require_director, require_reason
from workflows.groups.services.plan import start_planned_actions
from workflows.groups.steps import GroupStep
from workflows.tasks import calendar
from workflows.tasks.models import PartnerTask, TaskType, TaskTypeCode
from workflows.tasks.services import (
    open_tasks_for_update,
    staffed_first,
    task_cancel_by_system,
    task_hand_over,
    task_start,
)

MOVES = {
    "advance": "Door naar de volgende stap",
    "back": "Terug naar de vorige stap",
    "not_problematic": "Niet problematisch: afsluiten (2A)",
    "close": "Afronden en afsluiten",
}


def group_create(
    *, actor: User, name: str, kind: str, neighbourhoods=(), hotspots: str = ""
) -> Group:
    """The procesregisseur starts a group approach at step 1."""
    require_director(actor)
    return create_group(
        actor=actor, name=name, kind=kind, neighbourhoods=neighbourhoods, hotspots=hotspots
    )


def create_group(
    *, actor: User, name: str, kind: str, neighbourhoods=(), hotspots: str = ""
) -> Group:
    """A new group approach at step 1, with the standard core partners taking part; for the
    procesregisseur (``group_create``) or from a partner's group signal."""
    name = name.strip()
    if not name:
        raise ValidationFailed(
            "Geef de groep een naam.", field_errors={"name": ["Geef de groep een naam."]}
        )
    if Group.objects.filter(name__iexact=name).exists():
        raise ValidationFailed(
            "Er is al een groep met deze naam.",
            field_errors={"name": ["Er is al een groep met deze naam."]},
        )
    now = timezone.now()
    with transaction.atomic():
        group = Group.objects.create(
            name=name,
            kind=kind,
            hotspots=hotspots.strip(),
            created_by=actor,
            created_at=now,
            step_changed_at=now,
            active_from=timezone.localdate(),
        )
        group.neighbourhoods.set(neighbourhoods)
        # The driehoek partners take part in every group approach as core partners.
        for organisation in Organisation.objects.filter(is_group_core_partner=True, is_active=True):
            participate(
                group=group,
                organisation=organisation,
                actor=actor,
                access=GroupParticipant.Access.CORE,
            )
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_CREATED,
            obj=group,
            after={"naam": name, "soort": group.get_kind_display(), "stap": group.step},
        )
    return group


def group_step_move(
    *,
    group: Group,
    actor: User,
    move: str,
    reason: str,
    expected_version: int | None = None,
    priority: str = "",
    evaluation: str = "",
    hand_over: tuple[int, ...] | list[int] = (),
) -> Group:
    """A gate decision: on, back one step, close at 2A as not problematic, or close at 7.

    The gates ask what the step must have produced: a member list that meets the definition
    (2), the duiding and a concept plan (3), the driehoek's priority (4, given with the
    decision), at least one action in the plan (5), a written evaluation (7). Adopting the plan
    (5 → 6) starts every planned action as a partner task and the periodic monitoring; entering
    step 2 asks the police for the group scan; closing cancels the open work except the tasks
    named in ``hand_over``, which stay with their organisations.
    """
    require_director(actor)
    reason = require_reason(reason)
    if move not in MOVES:
        raise ValidationFailed("Onbekend besluit.")
    with transaction.atomic():
        group = for_update(Group).get(pk=group.pk)
        check_version(group, expected_version, "Deze groep")
        method = getattr(group, move)
        if not can_proceed(method):
            raise TransitionRefused(f"'{MOVES[move]}' kan niet vanuit '{STEP_LABELS[group.step]}'.")
        before = group.step
        extra = _check_gate(group, move, priority=priority, evaluation=evaluation)
        method()
        group.step_changed_at = timezone.now()
        group.version += 1
        if group.step == GroupStep.CLOSED:
            group.active_until = group.active_until or timezone.localdate()
        group.save(
            update_fields=[
                "step",
                "step_changed_at",
                "version",
                "active_until",
                "priority",
                "evaluation",
            ]
        )
        GroupStepDecision.objects.create(
            group=group,
            move=move,
            from_step=before,
            to_step=group.step,
            reason=reason,
            decided_by=actor,
            decided_at=group.step_changed_at,
        )
        audit_record(
            actor=actor,
            action=f"group.{move}",
            obj=group,
            reason=reason,
            before={"stap": before, "stap_naam": STEP_LABELS[before]},
            after={"stap": group.step, "stap_naam": STEP_LABELS[group.step]} | extra,
        )
        _after_move(group, actor, before, reason=reason, hand_over=set(hand_over))
    return group


def _check_gate(group: Group, move: str, *, priority: str, evaluation: str) -> dict:
    """Refuse a move whose step has not produced what it must; returns what the move records."""
    if move == "close":
        evaluation = bounded_text(evaluation, LONG_TEXT, field="evaluation") or group.evaluation
        if not evaluation:
            raise ValidationFailed(
                "Leg de evaluatie vast voordat de groepsaanpak wordt afgesloten.",
                field_errors={"evaluation": ["Beschrijf de evaluatie."]},
            )
        group.evaluation = evaluation
        return {"evaluatie": evaluation}
    if move != "advance":
        return {}
    if group.step == GroupStep.ASSESS:
        definition = group_definition(group)
        if not definition.met:
            raise ValidationFailed(
                "De ledenlijst voldoet niet aan de definitie van een problematische "
                f"jeugdgroep: {definition.message}"
            )
    elif group.step == GroupStep.INTERPRET:
        missing = [
            label
            for label, filled in (
                ("de soorten problematiek", group.problem_types),
                ("de groepsdynamiek", group.dynamics.strip()),
                ("de doelen van het concept plan van aanpak", group.plan_goals.strip()),
            )
            if not filled
        ]
        if missing:
            raise ValidationFailed(
                "De groepsduiding en het concept plan zijn nog niet compleet: vul "
                + ", ".join(missing)
                + " in."
            )
    elif group.step == GroupStep.ADVISE:
        if priority not in PRIORITIES:
            raise ValidationFailed(
                "Leg de prioriteit vast die de driehoek heeft gegeven.",
                field_errors={"priority": ["Kies de prioriteit."]},
            )
        group.priority = priority
        return {"prioriteit": priority}
    elif group.step == GroupStep.PLAN and not group.plan_actions.exists():
        raise ValidationFailed(
            "Het plan van aanpak heeft nog geen acties. Neem minstens één actie op "
            "(groeps-, persoons-, gezins- of domeingericht)."
        )
    return {}


PRIORITIES = {value for value, _label in Group._meta.get_field("priority").choices}


def _after_move(group: Group, actor: User, before: str, *, reason: str, hand_over: set) -> None:
    """The work a step change starts or ends (inside the move's transaction)."""
    after = group.step
    if after == GroupStep.ASSESS and before == GroupStep.SIGNALS:
        _request_group_scan(group, actor)
    if after == GroupStep.EXECUTE:
        if before == GroupStep.PLAN:
            start_planned_actions(group, actor)
        _start_monitoring(group, actor)
    elif before == GroupStep.EXECUTE:
        _end_monitoring(group, f"Groepsaanpak naar {STEP_LABELS[after]}")
    if after == GroupStep.CLOSED:
        _settle_open_work(group, actor, reason=reason, hand_over=hand_over)


def _police() -> Organisation | None:
    """The police organisation that makes group scans: one with task workers before one
    without, then the core partner if one is marked."""
    police = Organisation.objects.filter(kind=OrganisationKind.POLITIE)
    return staffed_first(police, "-is_group_core_partner")


def _request_group_scan(group: Group, actor: User) -> None:
    """2B: the police make the group scan and advise municipality and OM. Nobody chose the
    police here: when nobody there may pick the scan up, it goes to the procesregie, saying
    so, and the procesregisseurs are told (``task_start(reroute_unstaffed=True)``); the step
    move is not refused for it."""
    police = _police()
    task_type = TaskType.objects.filter(code=TaskTypeCode.GROUP_SCAN, is_active=True).first()
    if police is None or task_type is None:
        return
    if open_tasks_for_update(group=group).filter(task_type=task_type).exists():
        return
    task_start(
        group=group,
        actor=actor,
        task_type=task_type,
        organisation=police,
        instruction="Maak de groepsscan (leden, rollen, kleuren, feiten) en stuur de brief met "
        "advies aan gemeente en OM.",
        reroute_unstaffed=True,
    )


def _start_monitoring(group: Group, actor: User) -> PartnerTask | None:
    task_type = TaskType.objects.filter(code=TaskTypeCode.GROUP_MONITORING, is_active=True).first()
    if task_type is None:
        return None
    deadline = calendar.deadline_for(
        start=timezone.now(), amount=7 * group.monitoring_weeks, unit=calendar.CALENDAR_DAYS
    )
    return task_start(
        group=group,
        actor=actor,
        task_type=task_type,
        organisation=coordinating_organisation(),
        instruction="Monitor de uitvoering: voortgang van de acties, nieuwe signalen, kleuren "
        "en ledenlijst; stel het plan bij waar nodig.",
        deadline=deadline,
        tell=False,  # the ZVH's own rhythm: on its group page, not a notification each round
    )


def schedule_next_monitoring(*, task: PartnerTask, actor: User) -> PartnerTask | None:
    """After a monitoring round, the next one, while the group stays in step 6 (registered
    with the task engine for completed monitoring rounds)."""
    if task.group_id is None:
        return None
    group = for_update(Group).get(pk=task.group_id)
    if group.step != GroupStep.EXECUTE:
        return None
    return _start_monitoring(group, actor)


def _end_monitoring(group: Group, reason: str) -> None:
    for task in open_tasks_for_update(group=group).filter(
        task_type__code=TaskTypeCode.GROUP_MONITORING
    ):
        task_cancel_by_system(task=task, reason=reason)


def _settle_open_work(group: Group, actor: User, *, reason: str, hand_over: set) -> None:
    """Closing: tasks named in ``hand_over`` stay with their organisation (handed over, told
    so); the rest of the open work is cancelled."""

    open_tasks = list(open_tasks_for_update(group=group))
    unknown = hand_over - {t.pk for t in open_tasks}
    if unknown:
        raise ValidationFailed(
            "Alleen openstaande taken van deze groep kunnen worden overgedragen."
        )
    for task in open_tasks:
        if task.pk in hand_over and task.task_type.code != TaskTypeCode.GROUP_MONITORING:
            task_hand_over(
                task=task,
                actor=actor,
                reason=reason,
                note=f"De groepsaanpak {group.name} is afgesloten; uw taak "
                f"'{task.task_type.name}' loopt door (overgedragen).",
            )
        else:
            task_cancel_by_system(task=task, reason=f"Groepsaanpak afgesloten: {reason}")
