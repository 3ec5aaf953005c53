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
from django.utils import timezone
from django_fsm import can_proceed

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import (
    Group,
    GroupMember,
    GroupRole,
    GroupStepDecision,
    GroupTierChange,
    SignalCategory,
    Tier,
    User,
    Youth,
)
from casebook.models.groups import GROUP_MAJORITY_AGE
from casebook.models.youths import age_on
from casebook.services.audit import audit_record
from casebook.services.signals import signal_register
from casebook.services.youths import YouthData, youth_create
from workflows.group_steps import GROUP_PERMISSION, GroupStep

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


def group_member_tier(*, member: GroupMember, actor: User, tier: str, reason: str) -> GroupMember:
    """Change a member's tier; the date, reason and decider are kept."""
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
    *, group: Group, actor: User, move: str, reason: str, expected_version: int | None = None
) -> Group:
    """A gate decision: on, back one step, close at 2A as not problematic, or close at 7."""
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
        if move == "advance" and group.step == GroupStep.ASSESS:
            definition = group_definition(group)
            if not definition.met:
                raise ValidationFailed(
                    "De ledenlijst voldoet niet aan de definitie van een problematische "
                    f"jeugdgroep: {definition.message}"
                )
        before = group.step
        method()
        group.step_changed_at = timezone.now()
        group.version += 1
        if group.step == GroupStep.CLOSED:
            group.active_until = group.active_until or timezone.localdate()
        group.save(update_fields=["step", "step_changed_at", "version", "active_until"])
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
            after={"stap": group.step, "stap_naam": STEP_LABELS[group.step]},
        )
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
    from notifications.services import notify
    from workflows.services.tasks import _organisation_workers, task_assign_to_member

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
            task_assign_to_member(
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
        notify(
            recipients=_organisation_workers(organisation),
            message=f"{len(tasks)} nieuwe taken: {task_type.name} (groep {group.name})",
            url="/taken/",
        )
    return tasks
