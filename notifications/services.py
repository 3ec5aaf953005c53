# SPDX-License-Identifier: AGPL-3.0-or-later
"""Telling people that something needs their attention.

``notify`` runs inside the caller's transaction: the notification rows and the e-mail job are
committed with the change that caused them, or not at all. The live push over websockets
happens after commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app

from notifications.models import Notification

#: The job that e-mails one notification (``notifications.jobs``); deferred by name, so that
#: services never import the jobs that call them.
SEND_EMAIL_JOB = "notifications.send_notification_email"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def notify(
    *,
    recipients: Iterable,
    message: str,
    url: str,
    youth_id: int | None = None,
    activity: str = "",
) -> list[Notification]:
    """Create an in-app notification per recipient, queue its e-mail, push it live on commit.

    ``message`` is shown in IJAM only; the e-mail says just that there is news, with the link.
    A notification that names a youth's case or task carries ``youth_id`` and the processing
    ``activity`` (a ``ProcessingActivity.Code``): the list logs the youth when it shows it.
    """
    now = timezone.now()
    recipients = {r.pk: r for r in recipients if r is not None and r.is_active}
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                message=message,
                url=url,
                created_at=now,
                youth_id=youth_id,
                processing_activity=activity if youth_id else "",
            )
            for pk in recipients
        ]
    )
    queue_emails(notifications)
    user_ids = list(recipients)
    transaction.on_commit(lambda: _push_live(user_ids))
    return notifications


def queue_emails(notifications: list[Notification]) -> None:
    """Queue the e-mail of each notification (in the caller's transaction)."""
    if notifications:
        app.configure_task(SEND_EMAIL_JOB).batch_defer(
            *({"notification_id": n.pk} for n in notifications)
        )


def _push_live(user_ids: list[int]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a sync view or worker job
        loop = None
    event = {"type": "notification.new"}
    for user_id in user_ids:
        if loop is None:
            async_to_sync(layer.group_send)(user_group(user_id), event)
        else:  # called from code running inside an event loop
            loop.create_task(layer.group_send(user_group(user_id), event))


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """The user opens one of their own notifications: it is marked read (once). Another user's
    notification does not exist for them (``Notification.DoesNotExist``)."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
