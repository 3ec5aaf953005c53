# SPDX-License-Identifier: AGPL-3.0-or-later
"""Changing a case's details (not its level: that is the ladder's work)."""

from __future__ import annotations

from django.db import transaction

from casebook.errors import NotAllowed, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import AuditAction, Case, FamilyLink, User, Youth
from casebook.permissions import TRANSITION_CASE
from casebook.services.audit import audit_record
from workflows.ladder.machine import CLOSED


def case_update_details(
    *,
    case: Case,
    actor: User,
    approach: str,
    criminal_law_component: bool,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """Set the approach (individual/system) and the criminal-law flag.

    Locks the case, checks the version the user saw, writes the audit event."""
    if not actor.has_perm(TRANSITION_CASE):
        raise NotAllowed("Alleen de procesregisseur wijzigt de gegevens van een casus.")
    if approach not in Case.Approach.values:
        raise ValidationFailed("Kies een geldige aanpak.")
    if not reason.strip():
        raise ValidationFailed(
            "Geef een toelichting.", field_errors={"reason": ["Geef een toelichting."]}
        )
    with transaction.atomic():
        case = for_update(Case).select_related("youth").get(pk=case.pk)
        check_version(case, expected_version, "Deze casus")
        if case.level == CLOSED:
            raise ValidationFailed("Een afgesloten casus kan niet meer worden gewijzigd.")
        before = {"aanpak": case.approach, "strafrechtelijk": case.criminal_law_component}
        case.approach = approach
        case.criminal_law_component = criminal_law_component
        bump(case, "approach", "criminal_law_component")
        audit_record(
            actor=actor,
            action=AuditAction.CASE_DETAILS_CHANGED,
            obj=case,
            case=case,
            youth=case.youth,
            reason=reason.strip(),
            before=before,
            after={"aanpak": case.approach, "strafrechtelijk": case.criminal_law_component},
        )
    return case


def family_link_add(
    *,
    actor: User,
    youth: Youth,
    relation: str,
    related_youth: Youth | None = None,
    related_name: str = "",
    case: Case | None = None,
    expected_version: int | None = None,
) -> FamilyLink:
    """Record a relative for the system approach: a youth in IJAM or a named person. Audited.
    From a case page (``case``): the case is locked, must be the version the page showed, and
    gets a new version."""
    if not actor.has_perm(TRANSITION_CASE):
        raise NotAllowed("Alleen de procesregisseur legt familierelaties vast.")
    if relation not in FamilyLink.Relation.values:
        raise ValidationFailed("Kies een geldige familierelatie.")
    related_name = related_name.strip()
    if related_youth is None and not related_name:
        raise ValidationFailed("Kies een jongere of vul de naam van het familielid in.")
    if related_youth is not None and related_youth.pk == youth.pk:
        raise ValidationFailed("Een jongere kan geen familie van zichzelf zijn.")
    with transaction.atomic():
        if case is not None:
            case = for_update(Case).get(pk=case.pk)
            check_version(case, expected_version, "Deze casus")
            bump(case)
        link = FamilyLink.objects.create(
            youth=youth, relation=relation, related_youth=related_youth, related_name=related_name
        )
        audit_record(
            actor=actor,
            action=AuditAction.YOUTH_FAMILY_LINK_ADDED,
            obj=link,
            youth=youth,
            after={
                "relatie": link.get_relation_display(),
                "familielid": related_youth.full_name if related_youth else related_name,
            },
        )
    return link
