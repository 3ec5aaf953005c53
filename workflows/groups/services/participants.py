# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who takes part in a group approach and how much they need to know (core or executing
partner), and information added at any step by the ZVH or a participating partner."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import (
    AuditAction,
    Group,
    GroupNote,
    GroupParticipant,
    Organisation,
    OrganisationKind,
    User,
)
from casebook.permissions import REGISTER_SIGNAL, VIEW_ALL_CASES
from casebook.services.audit import audit_record
from casebook.services.involvement import (
    coordinating_organisation,
    participant_change_access,
    participate,
    process_directors,
)
from notifications.models import NotificationKind
from notifications.services import notify
from workflows.groups.services.common import STEP_LABELS, require_director
from workflows.groups.steps import GroupStep


def group_participant_set(
    *,
    group: Group,
    actor: User,
    organisation: Organisation,
    access: str,
    expected_version: int | None = None,
) -> GroupParticipant:
    """The procesregisseur decides how much an organisation needs to know."""
    require_director(actor)
    if access not in GroupParticipant.Access.values:
        raise ValidationFailed("Kies de toegang.")
    if organisation.kind == OrganisationKind.ZVH:
        raise ValidationFailed("Het Zorg- en Veiligheidshuis voert de regie en ziet alles al.")
    with transaction.atomic():
        group = for_update(Group).get(pk=group.pk)
        check_version(group, expected_version, "Deze groep")
        participant = GroupParticipant.objects.filter(
            group=group, organisation=organisation
        ).first()
        if participant is None:
            participant = participate(
                group=group, organisation=organisation, actor=actor, access=access
            )
        elif participant.access == access:
            raise ValidationFailed(f"{organisation.name} heeft deze toegang al.")
        else:
            participant_change_access(
                participant, access, actor, AuditAction.GROUP_ORGANISATION_ACCESS
            )
        bump(group)
    return participant


def may_inform(actor: User, group: Group) -> bool:
    if actor.has_perm(VIEW_ALL_CASES):
        return True
    return (
        actor.has_perm(REGISTER_SIGNAL)
        and actor.organisation_id is not None
        and group.participants.filter(organisation_id=actor.organisation_id).exists()
    )


def group_note_add(
    *, group: Group, actor: User, kind: str, text: str, expected_version: int | None = None
) -> GroupNote:
    """Information about the group, at any step, from the ZVH or a participating partner."""
    text = text.strip()
    if kind not in GroupNote.Kind.values:
        raise ValidationFailed("Kies de soort informatie.", field_errors={"kind": ["Kies."]})
    if not text:
        raise ValidationFailed(
            "Beschrijf de informatie.", field_errors={"text": ["Beschrijf de informatie."]}
        )
    with transaction.atomic():
        group = for_update(Group).get(pk=group.pk)
        if not may_inform(actor, group):
            raise NotAllowed("Uw organisatie neemt niet deel aan deze groepsaanpak.")
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        check_version(group, expected_version, "Deze groep")
        note = note_record(group, actor, kind, text)
        bump(group)
    return note


def note_record(group: Group, actor: User, kind: str, text: str) -> GroupNote:
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
        action=AuditAction.GROUP_NOTE_ADDED,
        obj=group,
        after={"soort": note.get_kind_display(), "stap": STEP_LABELS[group.step]},
    )
    if not actor.has_perm(VIEW_ALL_CASES):
        notify(
            kind=NotificationKind.GROUP,
            recipients=process_directors(coordinating_organisation()),
            message=f"Nieuwe informatie over groep {group.name}: {note.get_kind_display()}",
            url=reverse("groups:detail", args=[group.pk]),
        )
    return note
