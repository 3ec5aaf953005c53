# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor at log-in (ADR 0014): an authenticator app (TOTP) and single-use
recovery codes, on django-otp's devices, and their reset under four eyes.

A user has at most one confirmed ``TOTPDevice`` (the app) and one ``StaticDevice`` (its
recovery codes). Enrolment confirms the app with a first code and makes the recovery codes,
which are shown once. A reset removes both, and only when a second person approves it; the
user then sets up a new app at the next log-in. Wrong codes are throttled by django-otp
(every failure doubles the wait, per device); a throttled device refuses even the right code.
"""

from __future__ import annotations

import math
import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import for_update
from casebook.models import AuditAction, SecondFactorReset, User
from casebook.permissions import APPROVE_ROLE_GRANT, MANAGE_USERS
from casebook.services.accounts import check_second_person
from casebook.services.audit import audit_record
from notifications.models import NotificationKind
from notifications.services import notify

#: The name of the user's authenticator-app device and of their recovery codes.
APP_NAME = "app"
RECOVERY_NAME = "herstelcodes"

WRONG_CODE = "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw."
WRONG_RECOVERY_CODE = "Deze herstelcode klopt niet of is al gebruikt."
NOT_A_CODE = "Vul de 6 cijfers uit uw app in, of een herstelcode van 8 tekens."
_SEPARATORS = re.compile(r"[\s\-]")
_CODE_MAX = 32


class SecondFactorRefused(ValidationFailed):
    """A code that was not accepted. Raised *after* the transaction that counted the failed
    attempt committed: the throttle must remember it."""


def _field_error(message: str) -> SecondFactorRefused:
    return SecondFactorRefused(message, field_errors={"code": [message]})


def normalise_code(code: str) -> str:
    """A code as typed: spaces and hyphens out, lower case (recovery codes are shown in two
    groups of four). Refuses what is no code at all."""
    code = _SEPARATORS.sub("", code or "").lower()
    if not code or len(code) > _CODE_MAX or not code.isascii() or not code.isalnum():
        raise _field_error(NOT_A_CODE)
    return code


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def _throttled_message(device: Device) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    wait = (info or {}).get("locked_until")
    seconds = max(1, math.ceil((wait - timezone.now()).total_seconds())) if wait else 1
    return (
        f"Te veel onjuiste codes achter elkaar. Wacht {seconds} seconde"
        f"{'' if seconds == 1 else 'n'} en probeer het dan opnieuw."
    )


def app_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(settings.IJAM_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [format_recovery_code(t) for t in tokens]


def enrolment_device(*, user: User) -> TOTPDevice:
    """The app the user is about to set up: an unconfirmed TOTP device with a fresh secret,
    the same one on every visit until it is confirmed. Refuses a user who already has an app
    (409): only a reset under four eyes replaces it. Locks the user row; nothing is audited,
    since an unconfirmed device verifies nobody."""
    with transaction.atomic():
        user = for_update(User).get(pk=user.pk)
        if app_device(user) is not None:
            raise TransitionRefused("U heeft al een app voor de tweede factor ingesteld.")
        device = app_device(user, confirmed=False)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def second_factor_enrol(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with its first code and make the recovery codes.

    Locks the user row and the device; refuses a user who already has an app (409) and a
    wrong code (400, counted by the throttle). On success, in one transaction: the app is
    confirmed, any old recovery codes are replaced by ``IJAM_RECOVERY_CODES`` new ones, and
    the enrolment is audited (without secrets or codes). Returns the device, which verifies
    this session, and the recovery codes, to be shown once."""
    code = normalise_code(code)
    refused = None
    with transaction.atomic():
        user = for_update(User).get(pk=user.pk)
        if app_device(user) is not None:
            raise TransitionRefused("U heeft al een app voor de tweede factor ingesteld.")
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise TransitionRefused(
                "Er wordt geen app ingesteld; open de pagina voor het instellen opnieuw."
            )
        refused = _throttled_message(device)
        if refused is None and not (code.isdigit() and device.verify_token(code)):
            refused = WRONG_CODE
            if not code.isdigit():
                device.throttle_increment(commit=True)
        if refused is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            recovery, _created = StaticDevice.objects.get_or_create(
                user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
            )
            codes = _new_recovery_codes(recovery)
            audit_record(
                actor=user,
                action=AuditAction.SECOND_FACTOR_ENROLLED,
                obj=user,
                after={"app": True, "herstelcodes": len(codes)},
                reason="bij het inloggen",
            )
    if refused is not None:
        raise _field_error(refused)
    return device, codes


def second_factor_verify(*, user: User, code: str) -> Device:
    """Check the code of the log-in step: 6 digits from the app, or a recovery code.

    Locks the device. A wrong code is counted (throttled: every failure doubles the wait
    before the next attempt counts, and a right code during the wait is refused too); the
    failure is committed before ``SecondFactorRefused`` (400) is raised. A recovery code
    works once: it is deleted when used, and its use is audited. Returns the device that
    verified the user."""
    code = normalise_code(code)
    use_app = code.isdigit() and len(code) == 6
    model = TOTPDevice if use_app else StaticDevice
    refused = None
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            refused = WRONG_CODE if use_app else WRONG_RECOVERY_CODE
        else:
            refused = _throttled_message(device)
            if refused is None and not device.verify_token(code):
                refused = WRONG_CODE if use_app else WRONG_RECOVERY_CODE
        if refused is None and not use_app:
            audit_record(
                actor=user,
                action=AuditAction.RECOVERY_CODE_USED,
                obj=user,
                after={"herstelcodes_over": device.token_set.count()},
                reason="bij het inloggen, in plaats van de app",
            )
    if refused is not None:
        raise _field_error(refused)
    return device


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for a user with a verified session; the old ones stop working.

    Locks the user row; refuses a user without an app (409). Audited (how many codes, never
    the codes). Returns the codes, to be shown once."""
    with transaction.atomic():
        user = for_update(User).get(pk=user.pk)
        if app_device(user) is None:
            raise TransitionRefused("Stel eerst een app voor de tweede factor in.")
        recovery, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
        )
        before = recovery.token_set.count()
        codes = _new_recovery_codes(recovery)
        audit_record(
            actor=user,
            action=AuditAction.RECOVERY_CODES_REGENERATED,
            obj=user,
            before={"herstelcodes": before},
            after={"herstelcodes": len(codes)},
            reason="door de gebruiker zelf",
        )
    return codes


# --- Reset under four eyes -----------------------------------------------------------------


def _reset_snapshot(reset: SecondFactorReset) -> dict:
    return {
        "gebruiker": reset.user.username,
        "aangevraagd_door": reset.requested_by.username,
        "reden": reset.request_reason,
        "besluit": reset.decision,
        "beoordeeld_door": reset.decided_by.username if reset.decided_by_id else None,
        "toelichting": reset.reason,
    }


def _factor_state(user: User) -> dict:
    return {
        "app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "herstelcodes": StaticToken.objects.filter(device__user=user).count(),
    }


def second_factor_reset_request(*, actor: User, user: User, reason: str) -> SecondFactorReset:
    """Ask for a reset of ``user``'s second factor; it takes effect when a second person
    approves it (``second_factor_reset_approve``).

    Refuses an actor who does not manage users (403), a request for oneself (403), a missing
    reason (400) and a second pending request for the same user (409). Locks the user row;
    audited."""
    if not actor.has_perm(MANAGE_USERS):
        raise NotAllowed("U mag geen gebruikers beheren.")
    reason = (reason or "").strip()
    if not reason:
        message = "Geef de reden van het herstel (bijvoorbeeld: telefoon kwijt)."
        raise ValidationFailed(message, field_errors={"reason": [message]})
    if user.pk == actor.pk:
        raise NotAllowed(
            "U kunt geen herstel van uw eigen tweede factor aanvragen; vraag een andere beheerder."
        )
    with transaction.atomic():
        user = for_update(User).get(pk=user.pk)
        if SecondFactorReset.objects.filter(
            user=user, decision=SecondFactorReset.Decision.PENDING
        ).exists():
            raise TransitionRefused(
                f"Voor {user.username} wacht al een herstel van de tweede factor op goedkeuring."
            )
        reset = SecondFactorReset.objects.create(
            user=user, requested_by=actor, requested_at=timezone.now(), request_reason=reason
        )
        audit_record(
            actor=actor,
            action=AuditAction.SECOND_FACTOR_RESET_REQUESTED,
            obj=reset,
            before=_factor_state(user),
            after=_reset_snapshot(reset),
            reason=reason,
        )
    return reset


def _decide(*, actor: User, reset_id: int, decision: str, reason: str) -> SecondFactorReset:
    if not actor.has_perm(APPROVE_ROLE_GRANT):
        raise NotAllowed("U mag geen herstel van een tweede factor beoordelen.")
    with transaction.atomic():
        reset = (
            for_update(SecondFactorReset)
            .select_related("user", "requested_by")
            .filter(pk=reset_id)
            .first()
        )
        if reset is None:
            raise SecondFactorReset.DoesNotExist
        check_second_person(
            reset,
            actor,
            about_yourself="Een herstel van uw eigen tweede factor beoordeelt een ander.",
        )
        before = _reset_snapshot(reset) | _factor_state(reset.user)
        reset.decision = decision
        reset.decided_by = actor
        reset.decided_at = timezone.now()
        reset.reason = reason
        reset.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
        approved = decision == SecondFactorReset.Decision.APPROVED
        if approved:
            # The app and the recovery codes go; every session they verified is unverified
            # from its next request on (OTPMiddleware finds no device), and the next log-in
            # sets up a new app.
            TOTPDevice.objects.filter(user=reset.user).delete()
            StaticDevice.objects.filter(user=reset.user).delete()
        audit_record(
            actor=actor,
            action=(
                AuditAction.SECOND_FACTOR_RESET_APPROVED
                if approved
                else AuditAction.SECOND_FACTOR_RESET_REJECTED
            ),
            obj=reset,
            before=before,
            after=_reset_snapshot(reset) | _factor_state(reset.user),
            reason=reason,
        )
        outcome = "goedgekeurd" if approved else "afgewezen"
        notify(
            kind=NotificationKind.ACCOUNT,
            recipients=[reset.requested_by],
            message=(
                f"Uw aanvraag om de tweede factor van {reset.user.username} te herstellen is "
                f"{outcome} door {actor.get_full_name() or actor.username}."
            ),
            url=reverse("accounts:second-factor-resets"),
        )
    return reset


def second_factor_reset_approve(
    *, actor: User, reset_id: int, reason: str = ""
) -> SecondFactorReset:
    """A second person approves a pending reset: the user's app and recovery codes are
    removed, in one transaction, and the user sets up a new app at the next log-in.

    Locks the reset; refuses a reset already decided (409), an actor without
    ``APPROVE_ROLE_GRANT`` (the four-eyes permission of ADR 0011), the requester and the user
    it is for (403). Audited (whether the user had an app and how many codes, before and
    after); the requester is notified of the outcome."""
    return _decide(
        actor=actor,
        reset_id=reset_id,
        decision=SecondFactorReset.Decision.APPROVED,
        reason=reason.strip(),
    )


def second_factor_reset_reject(*, actor: User, reset_id: int, reason: str) -> SecondFactorReset:
    """A second person rejects a pending reset, with a reason; the same checks and audit as
    ``second_factor_reset_approve``. The user's second factor stays."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "Geef een reden voor de afwijzing.",
            field_errors={"reason": ["Geef een reden voor de afwijzing."]},
        )
    return _decide(
        actor=actor,
        reset_id=reset_id,
        decision=SecondFactorReset.Decision.REJECTED,
        reason=reason,
    )
