# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signals and the group approach: a partner's signal about group behaviour (step 1, which may
start a new group), and referring one member to the ladder (a spin-off: a signal that opens or
joins the youth's case)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casebook.bounds import LONG_TEXT, bounded_text
from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import for_update
from casebook.models import AuditAction, Group, GroupMember, GroupNote, SignalCategory, User
from casebook.permissions import REGISTER_SIGNAL, RUN_GROUP_APPROACH, VIEW_ALL_CASES
from casebook.services.audit import audit_record
from casebook.services.involvement import participate
from casebook.services.signals import signal_register
from workflows.groups.services.common import require_director
from workflows.groups.services.members import lock_member, member_changed
from workflows.groups.services.participants import may_inform, note_record
from workflows.groups.services.steps import create_group
from workflows.groups.steps import GroupStep


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
    if not (actor.has_perm(REGISTER_SIGNAL) or actor.has_perm(RUN_GROUP_APPROACH)):
        raise NotAllowed("U mag geen signalen melden.")
    text = text.strip()
    if not text:
        raise ValidationFailed(
            "Beschrijf het groepsgedrag.", field_errors={"text": ["Beschrijf het groepsgedrag."]}
        )
    with transaction.atomic():
        started = False
        if group is not None:
            if not may_inform(actor, group):
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
                    group = create_group(actor=actor, name=candidate, kind=kind, hotspots=hotspots)
                    started = True
                    break
            if group is None:
                raise ValidationFailed(
                    f"Er zijn al groepen '{candidates[0]}' en '{candidates[1]}'; kies een andere "
                    "naam.",
                    field_errors={"name": ["Kies een andere naam."]},
                )
        group = for_update(Group).get(pk=group.pk)
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten; meld een nieuwe groep.")
        if started and actor.organisation_id and not actor.has_perm(VIEW_ALL_CASES):
            participate(group=group, organisation=actor.organisation, actor=actor)
        note_record(group, actor, GroupNote.Kind.SIGNAL, text)
    return group


def group_member_spin_off(
    *,
    member: GroupMember,
    actor: User,
    category: SignalCategory,
    description: str,
    expected_version: int | None = None,
) -> GroupMember:
    """Refer a member to the ladder: a signal that opens (or joins) the youth's case, linked
    to the membership."""
    require_director(actor)
    description = bounded_text(description, LONG_TEXT, field="description")
    with transaction.atomic():
        member = lock_member(member, expected_version)
        signal = signal_register(
            reporter=actor,
            category=category,
            description=f"Vanuit groepsaanpak {member.group.name}: {description}",
            youth=member.youth,
        )
        member.spun_off_case = signal.case
        member_changed(member, "spun_off_case")
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_MEMBER_SPUN_OFF,
            obj=member.group,
            case=signal.case,
            youth=member.youth,
            after={"groep": member.group.name, "casus": signal.case.reference},
        )
    return member
