# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads of a user's own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
