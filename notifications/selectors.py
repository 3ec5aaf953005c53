# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads of a user's own notifications."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.urls import Resolver404, resolve

from casebook import policy
from notifications.models import DigestSchedule, Notification, NotificationPreference


def notifications_of(user, *, kind: str = "", unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first; of one kind, or only the unread ones."""
    notifications = Notification.objects.filter(recipient=user)
    if kind:
        notifications = notifications.filter(kind=kind)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")


def delivery_preferences(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


def digest_schedule(user) -> DigestSchedule:
    """The user's digest time (unsaved defaults if the user never chose)."""
    return DigestSchedule.objects.filter(user=user).first() or DigestSchedule(user=user)


def target_still_open(user, url: str) -> bool:
    """Whether the page a notification points to is still open to the user: for a case's
    page, whether the policy still lets the user see the case (access can end: an
    involvement that ended, a case handed over). Other pages decide for themselves."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return True
    if match.view_name == "casebook:case-detail":
        return policy.cases(user).filter(pk=match.kwargs.get("pk")).exists()
    return True


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
