# SPDX-License-Identifier: AGPL-3.0-or-later
"""Running a problematic youth group through the 7-stappenmodel.

Every function is one transaction: it locks the group, checks the move, records the gate
decision or change with reason and decider, and writes the audit event. The group definition
(two or more current members, the majority younger than 23) is checked whenever it matters:
before leaving step 2 and on every membership change (a warning the page shows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import (
    Group,
    GroupMember,
    GroupNote,
    GroupParticipant,
    GroupPlanAction,
    GroupRole,
    GroupStepDecision,
    GroupTierChange,
    Organisation,
    OrganisationKind,
    SignalCategory,
    Tier,
    Track,
    User,
    Youth,
)
from casebook.models.groups import GROUP_MAJORITY_AGE, MEMBER_TRACKS
from casebook.models.youths import age_on
from casebook.selectors.cases import REGISTER, VIEW_ALL
from casebook.services.audit import audit_record
from casebook.services.involvement import coordinating_organisation, process_directors
from casebook.services.signals import signal_register
from casebook.services.youths import YouthData, youth_create
from notifications.services import notify
from workflows import calendar
from workflows.group_steps import GROUP_PERMISSION, GroupStep
from workflows.models import OPEN_TASK_STATES, PartnerTask, TaskType
from workflows.services.tasks import (
    notify_organisation,
    task_assign_for_group,
    task_cancel,
    task_hand_over,
)

MOVES = {
    "advance": "Door naar de volgende stap",
    "back": "Terug naar de vorige stap",
    "not_problematic": "Niet problematisch: afsluiten (2A)",
    "close": "Afronden en afsluiten",
}
STEP_LABELS = dict(GroupStep.choices)


def _require(actor: User) -> None:
    if not actor.has_perm(GROUP_PERMISSION):
        raise NotAllowed("Alleen de procesregisseur voert de groepsaanpak.")


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "Geef een onderbouwing.", field_errors={"reason": ["Geef een onderbouwing."]}
        )
    return reason


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


def group_create(
    *, actor: User, name: str, kind: str, neighbourhoods=(), hotspots: str = ""
) -> Group:
    _require(actor)
    return _create(
        actor=actor, name=name, kind=kind, neighbourhoods=neighbourhoods, hotspots=hotspots
    )


def _create(*, actor: User, name: str, kind: str, neighbourhoods=(), hotspots: str = "") -> Group:
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
            action="group.created",
            obj=group,
            after={"naam": name, "soort": group.get_kind_display(), "stap": group.step},
        )
    return group


def group_member_add(
    *,
    group: Group,
    actor: User,
    role: GroupRole,
    tier: str,
    reason: str,
    youth: Youth | None = None,
    new_youth: YouthData | None = None,
) -> GroupMember:
    """Add a youth (existing, or new after the duplicate check) to the group with a tier."""
    _require(actor)
    reason = _reason(reason)
    if tier not in Tier.values:
        raise ValidationFailed("Kies een kleur.")
    if (youth is None) == (new_youth is None):
        raise ValidationFailed("Kies een bestaande jongere of voer een nieuwe jongere in.")
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        if new_youth is not None:
            youth = youth_create(actor=actor, data=new_youth)
        if group.members.filter(youth=youth, left_on__isnull=True).exists():
            raise ValidationFailed(f"{youth} is al lid van deze groep.")
        member = GroupMember.objects.create(
            group=group, youth=youth, role=role, tier=tier, joined_on=timezone.localdate()
        )
        GroupTierChange.objects.create(
            member=member, to_tier=tier, reason=reason, decided_by=actor, changed_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="group.member_added",
            obj=group,
            youth=youth,
            reason=reason,
            after={"groep": group.name, "rol": role.name, "kleur": tier},
        )
    return member


def group_member_tier(
    *, member: GroupMember, actor: User, tier: str, reason: str, expected_tier: str = ""
) -> GroupMember:
    """Change a member's tier; the date, reason and decider are kept. ``expected_tier``: the
    tier the form showed; if someone changed it meanwhile, the change conflicts."""
    _require(actor)
    reason = _reason(reason)
    if tier not in Tier.values:
        raise ValidationFailed("Kies een kleur.")
    with transaction.atomic():
        member = (
            GroupMember.objects.select_for_update()
            .select_related("group", "youth")
            .get(pk=member.pk)
        )
        if expected_tier and member.tier != expected_tier:
            raise ConflictError(
                f"De kleur van {member.youth} is intussen gewijzigd in "
                f"{member.get_tier_display()}. Bekijk de geschiedenis en beslis opnieuw."
            )
        if member.tier == tier:
            raise ValidationFailed("Het lid heeft deze kleur al.")
        GroupTierChange.objects.create(
            member=member,
            from_tier=member.tier,
            to_tier=tier,
            reason=reason,
            decided_by=actor,
            changed_at=timezone.now(),
        )
        before = {"kleur": member.tier}
        member.tier = tier
        member.save(update_fields=["tier"])
        audit_record(
            actor=actor,
            action="group.member_tier",
            obj=member.group,
            youth=member.youth,
            reason=reason,
            before=before,
            after={"kleur": tier},
        )
    return member


def group_member_leave(*, member: GroupMember, actor: User, reason: str) -> GroupMember:
    _require(actor)
    reason = _reason(reason)
    with transaction.atomic():
        member = (
            GroupMember.objects.select_for_update()
            .select_related("group", "youth")
            .get(pk=member.pk)
        )
        if member.left_on:
            raise ValidationFailed("Dit lid heeft de groep al verlaten.")
        member.left_on = timezone.localdate()
        member.save(update_fields=["left_on"])
        audit_record(
            actor=actor,
            action="group.member_left",
            obj=member.group,
            youth=member.youth,
            reason=reason,
            after={"uit_de_groep_op": member.left_on},
        )
    return member


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
    _require(actor)
    reason = _reason(reason)
    if move not in MOVES:
        raise ValidationFailed("Onbekend besluit.")
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if expected_version is not None and group.version != expected_version:
            raise ConflictError("Deze groep is intussen door iemand anders gewijzigd.")
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
        evaluation = evaluation.strip() or group.evaluation
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
            _start_planned_actions(group, actor)
        _start_monitoring(group, actor)
    elif before == GroupStep.EXECUTE:
        _end_monitoring(group, f"Groepsaanpak naar {STEP_LABELS[after]}")
    if after == GroupStep.CLOSED:
        _settle_open_work(group, actor, reason=reason, hand_over=hand_over)


def _police() -> Organisation | None:
    """The police organisation that makes group scans: the core partner, if one is marked."""
    return (
        Organisation.objects.filter(kind=OrganisationKind.POLITIE, is_active=True)
        .order_by("-is_group_core_partner", "name")
        .first()
    )


def _request_group_scan(group: Group, actor: User) -> None:
    """2B: the police make the group scan and advise municipality and OM."""
    police = _police()
    task_type = TaskType.objects.filter(code="groepsscan", is_active=True).first()
    if police is None or task_type is None:
        return
    if group.tasks.filter(task_type=task_type, state__in=OPEN_TASK_STATES).exists():
        return
    task = task_assign_for_group(
        group=group,
        actor=actor,
        task_type=task_type,
        organisation=police,
        instruction="Maak de groepsscan (leden, rollen, kleuren, feiten) en stuur de brief met "
        "advies aan gemeente en OM.",
    )
    _tell_organisation(task)


def _tell_organisation(task: PartnerTask) -> None:
    notify_organisation(
        task.organisation,
        f"Nieuwe taak: {task.task_type.name} (groep {task.group.name})",
        reverse("workflows:task-detail", args=[task.pk]),
    )


def _start_monitoring(group: Group, actor: User) -> PartnerTask | None:
    task_type = TaskType.objects.filter(code="groepsmonitoring", is_active=True).first()
    if task_type is None:
        return None
    deadline = calendar.deadline_for(
        start=timezone.now(), amount=7 * group.monitoring_weeks, unit="calendar_days"
    )
    return task_assign_for_group(
        group=group,
        actor=actor,
        task_type=task_type,
        organisation=coordinating_organisation(),
        instruction="Monitor de uitvoering: voortgang van de acties, nieuwe signalen, kleuren "
        "en ledenlijst; stel het plan bij waar nodig.",
        deadline=deadline,
    )


def schedule_next_monitoring(*, task: PartnerTask, actor: User) -> PartnerTask | None:
    """After a monitoring round, the next one, while the group stays in step 6."""
    if task.group_id is None or task.group.step != GroupStep.EXECUTE:
        return None
    return _start_monitoring(task.group, actor)


def _end_monitoring(group: Group, reason: str) -> None:
    for task in group.tasks.filter(task_type__code="groepsmonitoring", state__in=OPEN_TASK_STATES):
        task_cancel(task=task, actor=None, reason=reason)


def _settle_open_work(group: Group, actor: User, *, reason: str, hand_over: set) -> None:
    """Closing: tasks named in ``hand_over`` stay with their organisation (handed over, told
    so); the rest of the open work is cancelled."""

    open_tasks = list(
        group.tasks.filter(state__in=OPEN_TASK_STATES).select_related(
            "task_type", "organisation", "group", "group_member__youth"
        )
    )
    unknown = hand_over - {t.pk for t in open_tasks}
    if unknown:
        raise ValidationFailed(
            "Alleen openstaande taken van deze groep kunnen worden overgedragen."
        )
    for task in open_tasks:
        if task.pk in hand_over and task.task_type.code != "groepsmonitoring":
            task_hand_over(
                task=task,
                actor=actor,
                reason=reason,
                note=f"De groepsaanpak {group.name} is afgesloten; uw taak "
                f"'{task.task_type.name}' loopt door (overgedragen).",
            )
        else:
            task_cancel(task=task, actor=None, reason=f"Groepsaanpak afgesloten: {reason}")


def _start_planned_actions(group: Group, actor: User) -> None:
    for action in group.plan_actions.filter(task__isnull=True).select_related(
        "member", "task_type", "organisation"
    ):
        _start_action(action, actor)


def _start_action(action: GroupPlanAction, actor: User) -> PartnerTask:
    deadline = None
    if action.due_on and action.due_on >= timezone.localdate():  # until the end of that day
        deadline = calendar.end_of_day(action.due_on)
    task = task_assign_for_group(
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
    _tell_organisation(task)
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
) -> GroupPlanAction:
    """An action in the group's plan of approach. Added in step 6 (adjusting the plan) it starts
    as a task at once; earlier it waits for the plan's adoption."""
    _require(actor)
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
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
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
            _start_action(action, actor)
        audit_record(
            actor=actor,
            action="group.plan_action_added",
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


def group_plan_action_remove(*, action: GroupPlanAction, actor: User, reason: str) -> None:
    """Take a planned action out of the plan before it has started (after that: cancel the task)."""
    _require(actor)
    reason = _reason(reason)
    with transaction.atomic():
        action = (
            GroupPlanAction.objects.select_for_update(of=("self",))
            .select_related("group", "member__youth", "organisation")
            .get(pk=action.pk)
        )
        if action.task_id:
            raise TransitionRefused(
                "Deze actie loopt al als taak; annuleer de taak als zij niet meer nodig is."
            )
        audit_record(
            actor=actor,
            action="group.plan_action_removed",
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
    _require(actor)
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
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.version != expected_version:
            raise ConflictError(
                "Deze groep is intussen door iemand anders gewijzigd. Bekijk de nieuwe stand "
                "en voer uw wijziging opnieuw in."
            )
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
        group.version += 1
        group.save(update_fields=[*fields, "version"])
        audit_record(
            actor=actor, action="group.interpretation", obj=group, before=before, after=after
        )
    return group


# --- Who takes part, and information at any step --------------------------------------------


def participate(
    *,
    group: Group,
    organisation: Organisation,
    actor: User | None,
    access: str = GroupParticipant.Access.EXECUTING,
) -> GroupParticipant | None:
    """Make ``organisation`` take part in the group approach (idempotent). Raising executing to
    core happens here; lowering only through ``group_participant_set``. The ZVH runs the
    approach and sees everything already: it is never a participant."""
    if organisation.kind == OrganisationKind.ZVH:
        return None
    participant, created = GroupParticipant.objects.get_or_create(
        group=group,
        organisation=organisation,
        defaults={"access": access, "added_at": timezone.now()},
    )
    if created:
        _record_access(participant, actor, "group.organisation_involved", before=None)
    elif access == GroupParticipant.Access.CORE and participant.access != access:
        _change_access(participant, access, actor, "group.organisation_involved")
    return participant


def _change_access(participant: GroupParticipant, access: str, actor, action: str) -> None:
    before = {"toegang": participant.access}
    participant.access = access
    participant.save(update_fields=["access"])
    _record_access(participant, actor, action, before=before)


def _record_access(participant: GroupParticipant, actor, action: str, *, before) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=participant.group,
        before=before,
        after={
            "organisatie": participant.organisation.name,
            "toegang": participant.get_access_display(),
        },
    )


def group_participant_set(
    *, group: Group, actor: User, organisation: Organisation, access: str
) -> GroupParticipant:
    """The procesregisseur decides how much an organisation needs to know."""
    _require(actor)
    if access not in GroupParticipant.Access.values:
        raise ValidationFailed("Kies de toegang.")
    if organisation.kind == OrganisationKind.ZVH:
        raise ValidationFailed("Het Zorg- en Veiligheidshuis voert de regie en ziet alles al.")
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        participant = GroupParticipant.objects.filter(
            group=group, organisation=organisation
        ).first()
        if participant is None:
            return participate(group=group, organisation=organisation, actor=actor, access=access)
        if participant.access == access:
            raise ValidationFailed(f"{organisation.name} heeft deze toegang al.")
        _change_access(participant, access, actor, "group.organisation_access")
    return participant


def _may_inform(actor: User, group: Group) -> bool:
    if actor.has_perm(VIEW_ALL):
        return True
    return (
        actor.has_perm(REGISTER)
        and actor.organisation_id is not None
        and group.participants.filter(organisation_id=actor.organisation_id).exists()
    )


def group_note_add(*, group: Group, actor: User, kind: str, text: str) -> GroupNote:
    """Information about the group, at any step, from the ZVH or a participating partner."""
    text = text.strip()
    if kind not in GroupNote.Kind.values:
        raise ValidationFailed("Kies de soort informatie.", field_errors={"kind": ["Kies."]})
    if not text:
        raise ValidationFailed(
            "Beschrijf de informatie.", field_errors={"text": ["Beschrijf de informatie."]}
        )
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if not _may_inform(actor, group):
            raise NotAllowed("Uw organisatie neemt niet deel aan deze groepsaanpak.")
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        note = _note(group, actor, kind, text)
    return note


def _note(group: Group, actor: User, kind: str, text: str) -> GroupNote:
    note = GroupNote.objects.create(
        group=group,
        kind=kind,
        text=text,
        step=group.step,
        author=actor,
        organisation_id=actor.organisation_id,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="group.note_added",
        obj=group,
        after={"soort": note.get_kind_display(), "stap": STEP_LABELS[group.step]},
    )
    if not actor.has_perm(VIEW_ALL):
        notify(
            recipients=process_directors(coordinating_organisation()),
            message=f"Nieuwe informatie over groep {group.name}: {note.get_kind_display()}",
            url=reverse("groups:detail", args=[group.pk]),
        )
    return note


def group_signal_register(
    *,
    actor: User,
    text: str,
    group: Group | None = None,
    name: str = "",
    kind: str = Group.Kind.LOOSE_FIXED,
    hotspots: str = "",
) -> Group:
    """Step 1: a partner shares a signal about group behaviour — about a group it takes part
    in, or named: an open group of that name gets the signal, otherwise a new group starts at
    step 1 (after a closed group of the same name: "name (year)"). A partner that starts a group
    takes part in it; a signal about a group run without the partner's organisation is added to
    it but gives no access (need-to-know stays with the procesregisseur). The procesregisseurs
    are told."""
    if not (actor.has_perm(REGISTER) or actor.has_perm(GROUP_PERMISSION)):
        raise NotAllowed("U mag geen signalen melden.")
    text = text.strip()
    if not text:
        raise ValidationFailed(
            "Beschrijf het groepsgedrag.", field_errors={"text": ["Beschrijf het groepsgedrag."]}
        )
    with transaction.atomic():
        started = False
        if group is not None:
            if not _may_inform(actor, group):
                raise NotAllowed("Uw organisatie neemt niet deel aan deze groepsaanpak.")
        else:
            name = name.strip()
            candidates = [name, f"{name} ({timezone.localdate():%Y})"]
            existing = {
                g.name.lower(): g
                for g in Group.objects.filter(
                    Q(name__iexact=candidates[0]) | Q(name__iexact=candidates[1])
                )
            }
            for candidate in candidates:
                found = existing.get(candidate.lower())
                if found is not None and found.step != GroupStep.CLOSED:
                    group = found
                    break
                if found is None:
                    group = _create(actor=actor, name=candidate, kind=kind, hotspots=hotspots)
                    started = True
                    break
            if group is None:
                raise ValidationFailed(
                    f"Er zijn al groepen '{candidates[0]}' en '{candidates[1]}'; kies een andere "
                    "naam.",
                    field_errors={"name": ["Kies een andere naam."]},
                )
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten; meld een nieuwe groep.")
        if started and actor.organisation_id and not actor.has_perm(VIEW_ALL):
            participate(group=group, organisation=actor.organisation, actor=actor)
        _note(group, actor, GroupNote.Kind.SIGNAL, text)
    return group


def group_member_spin_off(
    *, member: GroupMember, actor: User, category: SignalCategory, description: str
) -> GroupMember:
    """Refer a member to the ladder: a signal that opens (or joins) the youth's case, linked
    to the membership."""
    _require(actor)
    with transaction.atomic():
        member = (
            GroupMember.objects.select_for_update()
            .select_related("group", "youth")
            .get(pk=member.pk)
        )
        signal = signal_register(
            reporter=actor,
            category=category,
            description=f"Vanuit groepsaanpak {member.group.name}: {description.strip()}",
            youth=member.youth,
        )
        member.spun_off_case = signal.case
        member.save(update_fields=["spun_off_case"])
        audit_record(
            actor=actor,
            action="group.member_spun_off",
            obj=member.group,
            case=signal.case,
            youth=member.youth,
            after={"groep": member.group.name, "casus": signal.case.reference},
        )
    return member


def group_bulk_action(
    *,
    group: Group,
    actor: User,
    tiers: list[str],
    task_type,
    organisation,
    instruction: str,
    deadline=None,
) -> list:
    """One tracked task per current member in the chosen tiers (e.g. the nuisance letter from
    municipality and police to the home of every red and orange member)."""
    _require(actor)
    instruction = instruction.strip()
    if not instruction:
        raise ValidationFailed(
            "Beschrijf de actie.", field_errors={"instruction": ["Beschrijf de actie."]}
        )
    if not tiers or set(tiers) - set(Tier.values):
        raise ValidationFailed("Kies voor welke kleuren de actie geldt.")
    if deadline is not None and deadline <= timezone.now():
        raise ValidationFailed("De deadline ligt in het verleden.")
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        members = list(
            group.members.filter(left_on__isnull=True, tier__in=tiers).select_related(
                "youth", "group"
            )
        )
        if not members:
            raise ValidationFailed("Geen leden met deze kleur(en).")
        tasks = [
            task_assign_for_group(
                group=group,
                member=member,
                actor=actor,
                task_type=task_type,
                organisation=organisation,
                instruction=instruction,
                deadline=deadline,
            )
            for member in members
        ]
        audit_record(
            actor=actor,
            action="group.bulk_action",
            obj=group,
            reason=instruction,
            after={
                "groep": group.name,
                "kleuren": tiers,
                "taken": len(tasks),
                "organisatie": organisation.name,
                "taaksoort": task_type.name,
            },
        )
        notify_organisation(
            organisation,
            f"{len(tasks)} nieuwe taken: {task_type.name} (groep {group.name})",
            reverse("workflows:inbox"),
        )
    return tasks
