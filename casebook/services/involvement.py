# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who takes part in a case: the coordinating organisation and the involved organisations."""

from __future__ import annotations

from django.utils import timezone

from casebook.errors import ValidationFailed
from casebook.models import Case, CaseInvolvement, Organisation, OrganisationKind, Role, User
from casebook.services.audit import audit_record


def coordinating_organisation() -> Organisation:
    """The organisation that runs procesregie: the ZVH."""
    organisation = Organisation.objects.filter(kind=OrganisationKind.ZVH, is_active=True).first()
    if organisation is None:
        raise ValidationFailed("Er is geen actief Zorg- en Veiligheidshuis ingericht.")
    return organisation


def involve(*, case: Case, organisation: Organisation, reason: str, actor: User | None) -> None:
    """Make ``organisation`` involved in ``case`` (idempotent; a new involvement is audited)."""
    involvement, created = CaseInvolvement.objects.get_or_create(
        case=case, organisation=organisation, reason=reason, defaults={"since": timezone.now()}
    )
    if created:
        audit_record(
            actor=actor,
            action="case.organisation_involved",
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
