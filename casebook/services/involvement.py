# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who takes part: the coordinating organisation, the organisations involved in a case, and
the organisations taking part in a group approach (with how much they need to know)."""

from __future__ import annotations

from django.utils import timezone

from casebook.errors import ValidationFailed
from casebook.models import (
    AuditAction,
    Case,
    CaseInvolvement,
    Group,
    GroupParticipant,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from casebook.selectors.people import coordinating_zvh
from casebook.services.audit import audit_record


def coordinating_organisation() -> Organisation:
    """The organisation that runs procesregie (``coordinating_zvh``); a clear error if none."""
    organisation = coordinating_zvh()
    if organisation is None:
        raise ValidationFailed("Er is geen actief Zorg- en Veiligheidshuis ingericht.")
    return organisation


def involve(*, case: Case, organisation: Organisation, reason: str, actor: User | None) -> None:
    """Make ``organisation`` involved in ``case`` (idempotent; a new involvement is audited).
    An involvement that had ended starts again: new work gives sight again."""
    involvement, created = CaseInvolvement.objects.get_or_create(
        case=case, organisation=organisation, reason=reason, defaults={"since": timezone.now()}
    )
    if not created and involvement.ended_at is not None:
        involvement.since, involvement.ended_at, involvement.end_reason = timezone.now(), None, ""
        involvement.save(update_fields=["since", "ended_at", "end_reason"])
        created = True
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CASE_ORGANISATION_INVOLVED,
            obj=involvement,
            case=case,
            youth=case.youth,
            after={"organisatie": organisation.name, "reden": involvement.get_reason_display()},
        )


def process_directors(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            organisation=organisation, roles__code=Role.PROCESS_DIRECTOR, is_active=True
        ).distinct()
    )


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
        _record_access(participant, actor, AuditAction.GROUP_ORGANISATION_INVOLVED, before=None)
    elif access == GroupParticipant.Access.CORE and participant.access != access:
        participant_change_access(
            participant, access, actor, AuditAction.GROUP_ORGANISATION_INVOLVED
        )
    return participant


def participant_change_access(
    participant: GroupParticipant, access: str, actor, action: str
) -> None:
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
