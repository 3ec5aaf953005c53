# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about second factors (ADR 0014): whether a user has an app, and the resets waiting
for a second person."""

from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebook.models import SecondFactorReset, User


def has_app(user: User) -> bool:
    """Whether ``user`` has set up an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_resets() -> QuerySet[SecondFactorReset]:
    """Resets waiting for a second person, oldest first."""
    return (
        SecondFactorReset.objects.filter(decision=SecondFactorReset.Decision.PENDING)
        .select_related("user__organisation", "requested_by")
        .order_by("requested_at", "id")
    )


def decided_resets(*, limit: int = 25) -> QuerySet[SecondFactorReset]:
    """The most recent decisions, newest first."""
    return (
        SecondFactorReset.objects.exclude(decision=SecondFactorReset.Decision.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def users_for_reset(actor: User) -> QuerySet[User]:
    """The active accounts whose second factor ``actor`` may ask to reset: everyone but
    themselves, by username."""
    return User.objects.filter(is_active=True).exclude(pk=actor.pk).order_by("username")
