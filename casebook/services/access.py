# SPDX-License-Identifier: AGPL-3.0-or-later
"""Access that ends, and emergency access (break the glass) with its review.

The decisions themselves are ``casebook.policy``'s; these services change who is involved and
record emergency access, each in one transaction with its audit event and notifications."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casebook import policy
from casebook.errors import ConflictError, NotAllowed, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import (
    AuditAction,
    Case,
    CaseInvolvement,
    EmergencyAccess,
    Organisation,
    ProcessingActivity,
    User,
)
from casebook.permissions import REVIEW_EMERGENCY_ACCESS
from casebook.selectors.cases import parse_case_reference
from casebook.services.audit import audit_record
from casebook.services.involvement import process_directors
from notifications.models import NotificationKind
from notifications.services import notify
from workflows.ladder.machine import CLOSED

REASON_MIN, REASON_MAX = 20, 2000


# --- Involvement that ends -----------------------------------------------------------------


def _end(involvements, *, reason: str, actor: User | None, case: Case) -> int:
    """End the given (open) involvement rows, one audit event per organisation."""
    rows = list(involvements.filter(ended_at__isnull=True).select_related("organisation"))
    if not rows:
        return 0
    now = timezone.now()
    CaseInvolvement.objects.filter(pk__in=[row.pk for row in rows]).update(
        ended_at=now, end_reason=reason
    )
    for organisation in sorted({row.organisation for row in rows}, key=lambda o: o.name):
        audit_record(
            actor=actor,
            action=AuditAction.CASE_INVOLVEMENT_ENDED,
            obj=case,
            case=case,
            youth=case.youth,
            after={
                "organisatie": organisation.name,
                "reden": CaseInvolvement.EndReason(reason).label,
                "zichtbaar_tot": (now + policy.grace_period()).isoformat(),
            },
        )
    return len(rows)


def involvements_end_for_case(*, case: Case, actor: User | None) -> int:
    """The case closed: every involvement in it ends (the grace period then runs). Called
    inside the closing transaction."""
    return _end(
        case.involvements.all(),
        reason=CaseInvolvement.EndReason.CASE_CLOSED,
        actor=actor,
        case=case,
    )


def involvement_end_work_done(*, case: Case, organisation_id: int) -> int:
    """The organisation's work in the case is over (no open task, not invited to its table):
    its involvement ends. The coordinator's never ends this way. Called by the daily sweep."""
    return _end(
        case.involvements.filter(organisation_id=organisation_id).exclude(
            reason=CaseInvolvement.Reason.COORDINATOR
        ),
        reason=CaseInvolvement.EndReason.WORK_DONE,
        actor=None,
        case=case,
    )


def involvement_end(
    *, case: Case, organisation: Organisation, actor: User, expected_version: int | None
) -> int:
    """The procesregisseur ends an organisation's involvement in the case (not the
    coordinator's). Its open tasks in the case stay its own; after the grace period it no
    longer sees the case."""
    policy.require(actor, policy.Act.CHANGE, policy.Subject.CASE)
    with transaction.atomic():
        case = for_update(Case).select_related("youth").get(pk=case.pk)
        check_version(case, expected_version, "de casus")
        involvements = case.involvements.filter(organisation=organisation)
        if involvements.filter(reason=CaseInvolvement.Reason.COORDINATOR).exists():
            raise ValidationFailed("De betrokkenheid van de casusregie kan niet worden beëindigd.")
        if not involvements.filter(ended_at__isnull=True).exists():
            raise ConflictError(
                f"{organisation.name} is niet (meer) betrokken bij deze casus: de pagina was "
                "verouderd."
            )
        ended = _end(involvements, reason=CaseInvolvement.EndReason.ENDED, actor=actor, case=case)
        bump(case)
    return ended


# --- Emergency access (break the glass) ----------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        message = (
            f"Geef de spoedeisende reden (minstens {REASON_MIN} tekens): de privacy officer "
            "beoordeelt haar."
        )
        raise ValidationFailed(message, field_errors={"reason": [message]})
    if len(reason) > REASON_MAX:
        message = f"De reden is te lang (hoogstens {REASON_MAX} tekens)."
        raise ValidationFailed(message, field_errors={"reason": [message]})
    return reason


def emergency_access_open(
    *, actor: User, reference: str, reason: str, acknowledged: bool
) -> EmergencyAccess:
    """Open one open case outside the rules, for ``IJAM_EMERGENCY_ACCESS_HOURS``: audited,
    notified to the case's procesregisseurs and queued for the privacy officer's review."""
    policy.require(actor, policy.Act.OPEN, policy.Subject.EMERGENCY_ACCESS)
    if not acknowledged:
        message = "Bevestig dat u weet dat deze doorbraak wordt vastgelegd en beoordeeld."
        raise ValidationFailed(message, field_errors={"acknowledged": [message]})
    reason = _clean_reason(reason)
    number = parse_case_reference(reference)
    case = Case.objects.select_related("youth").filter(pk=number).first() if number else None
    if case is None or case.level == CLOSED:
        message = "Er is geen open casus met dit casusnummer."
        raise ValidationFailed(message, field_errors={"reference": [message]})
    recent = EmergencyAccess.objects.filter(
        user=actor, opened_at__gt=timezone.now() - dt.timedelta(hours=24)
    ).count()
    if recent >= settings.IJAM_EMERGENCY_ACCESS_PER_DAY:
        raise NotAllowed(
            f"U heeft in de afgelopen 24 uur al {recent} keer spoedtoegang gebruikt; meer kan "
            "niet. Neem contact op met de procesregisseur van het Zorg- en Veiligheidshuis."
        )
    if policy.cases(actor).filter(pk=case.pk).exists():
        raise ValidationFailed(
            "U heeft al toegang tot deze casus; een doorbraak is niet nodig.",
            field_errors={"reference": ["U heeft al toegang tot deze casus."]},
        )
    now = timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            user=actor,
            case=case,
            reason=reason,
            opened_at=now,
            expires_at=now + dt.timedelta(hours=settings.IJAM_EMERGENCY_ACCESS_HOURS),
        )
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_ACCESS_OPENED,
            obj=access,
            case=case,
            youth=case.youth,
            reason=reason,
            after={
                "organisatie": actor.organisation.name if actor.organisation else "",
                "verloopt_op": access.expires_at.isoformat(),
            },
        )
        # No personal data in the notice: the case number and the organisation only.
        organisation = actor.organisation.name if actor.organisation else "onbekend"
        notify(
            kind=NotificationKind.EMERGENCY_ACCESS,
            recipients=process_directors(case.coordinator_organisation),
            message=f"Doorbraak: {organisation} opende {case.reference} buiten de regels.",
            url=reverse("casebook:case-detail", args=[case.pk]),
            youth_id=case.youth_id,
            activity=ProcessingActivity.Code.PRIVACY,
        )
        notify(
            kind=NotificationKind.EMERGENCY_ACCESS,
            recipients=privacy_officers(),
            message=f"Een doorbraak op {case.reference} wacht op uw beoordeling.",
            url=reverse("casebook:emergency-queue"),
            youth_id=case.youth_id,
            activity=ProcessingActivity.Code.PRIVACY,
        )
    return access


def privacy_officers() -> list[User]:
    """Who reviews emergency access: active users whose role grants it (roles decide)."""
    app_label, codename = REVIEW_EMERGENCY_ACCESS.split(".")
    return list(
        User.objects.filter(
            is_active=True,
            roles__permissions__content_type__app_label=app_label,
            roles__permissions__codename=codename,
        ).distinct()
    )


def emergency_access_review(
    *,
    access: EmergencyAccess,
    actor: User,
    justified: bool,
    note: str,
    expected_version: int | None,
) -> EmergencyAccess:
    """The privacy officer marks an emergency access justified or not (once; never one's
    own). An unjustified one ends at once."""
    policy.require(actor, policy.Act.REVIEW, policy.Subject.EMERGENCY_ACCESS)
    note = " ".join((note or "").split())
    if len(note) > REASON_MAX:
        raise ValidationFailed(f"De toelichting is te lang (hoogstens {REASON_MAX} tekens).")
    if not justified and not note:
        message = "Licht toe waarom de doorbraak onterecht was."
        raise ValidationFailed(message, field_errors={"note": [message]})
    with transaction.atomic():
        access = for_update(EmergencyAccess).get(pk=access.pk)
        check_version(access, expected_version, "de doorbraak")
        if access.user_id == actor.pk:
            raise NotAllowed("U beoordeelt uw eigen doorbraak niet.")
        if access.review != EmergencyAccess.Review.PENDING:
            raise ConflictError("Deze doorbraak is al beoordeeld.")
        now = timezone.now()
        access.review = (
            EmergencyAccess.Review.JUSTIFIED if justified else EmergencyAccess.Review.UNJUSTIFIED
        )
        access.reviewed_by, access.reviewed_at, access.review_note = actor, now, note
        fields = ["review", "reviewed_by", "reviewed_at", "review_note"]
        if not justified and access.expires_at > now:
            access.expires_at = now
            fields.append("expires_at")
        bump(access, *fields)
        case = Case.objects.select_related("youth").get(pk=access.case_id)
        audit_record(
            actor=actor,
            action=AuditAction.EMERGENCY_ACCESS_REVIEWED,
            obj=access,
            case=case,
            youth=case.youth,
            reason=note,
            after={"beoordeling": access.get_review_display()},
        )
    return access
