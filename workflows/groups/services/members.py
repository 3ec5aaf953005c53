# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who is in the group: adding a youth (an existing one, or a new one after the duplicate
check), their tier with the date, reason and decider of every change, and leaving. Every
function is one transaction that locks the group (then the member), checks the version the
form showed, raises the group's version (a step decision made on a stale member list then
conflicts) and the member's, and writes the audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from casebook.errors import TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import (
    AuditAction,
    Group,
    GroupMember,
    GroupRole,
    GroupTierChange,
    Tier,
    User,
    Youth,
)
from casebook.services.audit import audit_record
from casebook.services.youths import YouthData, youth_create
from workflows.groups.services.common import require_director, require_reason
from workflows.groups.steps import GroupStep


def group_member_add(
    *,
    group: Group,
    actor: User,
    role: GroupRole,
    tier: str,
    reason: str,
    youth: Youth | None = None,
    new_youth: YouthData | None = None,
    expected_version: int | None = None,
) -> GroupMember:
    """Add a youth (existing, or new after the duplicate check) to the group with a tier."""
    require_director(actor)
    reason = require_reason(reason)
    if tier not in Tier.values:
        raise ValidationFailed("Kies een kleur.")
    if (youth is None) == (new_youth is None):
        raise ValidationFailed("Kies een bestaande jongere of voer een nieuwe jongere in.")
    with transaction.atomic():
        group = for_update(Group).get(pk=group.pk)
        check_version(group, expected_version, "Deze groep")
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        if new_youth is not None:
            youth = youth_create(actor=actor, data=new_youth)
        else:  # locked after the group (ADR 0010), so the retention job cannot cross it
            youth = for_update(Youth).get(pk=youth.pk)
            if youth.anonymised_at is not None:  # retention (ADR 0020): nobody any more
                raise ValidationFailed(
                    "Deze jongere is na de bewaartermijn geanonimiseerd. Voeg een nieuwe "
                    "jongere toe."
                )
        if group.members.filter(youth=youth, left_on__isnull=True).exists():
            raise ValidationFailed(f"{youth} is al lid van deze groep.")
        member = GroupMember.objects.create(
            group=group, youth=youth, role=role, tier=tier, joined_on=timezone.localdate()
        )
        GroupTierChange.objects.create(
            member=member, to_tier=tier, reason=reason, decided_by=actor, changed_at=timezone.now()
        )
        bump(group)
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_MEMBER_ADDED,
            obj=group,
            youth=youth,
            reason=reason,
            after={"groep": group.name, "rol": role.name, "kleur": tier},
        )
    return member


def lock_member(member: GroupMember, expected_version: int | None) -> GroupMember:
    """Lock the member's group, then the member (ADR 0010), at the version the form showed."""
    group_id = GroupMember.objects.values_list("group_id", flat=True).get(pk=member.pk)
    group = for_update(Group).get(pk=group_id)
    member = for_update(GroupMember).select_related("youth").get(pk=member.pk)
    member.group = group
    check_version(member, expected_version, f"Het lid {member.youth}")
    return member


def member_changed(member: GroupMember, *fields: str) -> None:
    """Save a changed member: its version and the group's go up."""
    bump(member, *fields)
    bump(member.group)


def group_member_tier(
    *,
    member: GroupMember,
    actor: User,
    tier: str,
    reason: str,
    expected_version: int | None = None,
) -> GroupMember:
    """Change a member's tier; the date, reason and decider are kept. A form made before
    someone else changed the member (its tier, say) conflicts."""
    require_director(actor)
    reason = require_reason(reason)
    if tier not in Tier.values:
        raise ValidationFailed("Kies een kleur.")
    with transaction.atomic():
        member = lock_member(member, expected_version)
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
        member_changed(member, "tier")
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_MEMBER_TIER,
            obj=member.group,
            youth=member.youth,
            reason=reason,
            before=before,
            after={"kleur": tier},
        )
    return member


def group_member_leave(
    *, member: GroupMember, actor: User, reason: str, expected_version: int | None = None
) -> GroupMember:
    require_director(actor)
    reason = require_reason(reason)
    with transaction.atomic():
        member = lock_member(member, expected_version)
        if member.left_on:
            raise ValidationFailed("Dit lid heeft de groep al verlaten.")
        member.left_on = timezone.localdate()
        member_changed(member, "left_on")
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_MEMBER_LEFT,
            obj=member.group,
            youth=member.youth,
            reason=reason,
            after={"uit_de_groep_op": member.left_on},
        )
    return member
