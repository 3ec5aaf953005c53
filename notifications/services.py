# SPDX-License-Identifier: AGPL-3.0-or-later
"""Telling people that something needs their attention.

``notify`` runs inside the caller's transaction: the notification rows and the e-mail job are
committed with the change that caused them, or not at all. The live push over websockets
happens after commit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zoneinfo
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from procrastinate.contrib.django import app

from notifications.models import (
    Delivery,
    DigestSchedule,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
)

#: The job that e-mails one notification (``notifications.jobs``); deferred by name, so that
#: services never import the jobs that call them.
SEND_EMAIL_JOB = "notifications.send_notification_email"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


# --- Live pages: which group hears what (the consumer decides who joins, by the policy) ----
#: The task workers of one organisation (their inbox).
def organisation_work_group(organisation_id: int) -> str:
    return f"work-{organisation_id}"


#: Everyone who may see the work overview of all organisations.
WORKLOAD_GROUP = "workload"


#: The users who have a case's page open and may see that case.
def case_group(case_id: int) -> str:
    return f"case-{case_id}"


def push_changed(changes: dict[str, str]) -> None:
    """Tell the live pages in each group that their ``topic`` changed (group → topic). The
    message says only that: the page fetches itself again through the views, so what a
    user sees after it is exactly what the policy lets them see on a reload."""
    _send({group: {"type": "live.changed", "topic": topic} for group, topic in changes.items()})


def notify(
    *,
    recipients: Iterable,
    message: str,
    url: str,
    kind: str = NotificationKind.OTHER,
    youth_id: int | None = None,
    activity: str = "",
) -> list[Notification]:
    """Create an in-app notification per recipient, queue its e-mail as each recipient wants
    that ``kind`` (immediately, in the daily digest, or not), push it live on commit.

    ``message`` is shown in IJAM only; the e-mail says just that there is news, with the link.
    A notification that names a youth's case or task carries ``youth_id`` and the processing
    ``activity`` (a ``ProcessingActivity.Code``): the list logs the youth when it shows it.
    """
    recipients = {r.pk: r for r in recipients if r is not None and r.is_active}
    return notify_each(
        [(pk, message, url) for pk in recipients], kind=kind, youth_id=youth_id, activity=activity
    )


def notify_each(
    pairs: Iterable[tuple[int, str, str]],
    *,
    kind: str = NotificationKind.OTHER,
    youth_id: int | None = None,
    activity: str = "",
) -> list[Notification]:
    """Notifications with a message and link of their own, as (recipient id, message, url)
    (the deadline sweep's reminders): created in one INSERT, e-mails queued, and pushed live
    on commit like ``notify``'s; ``youth_id`` and ``activity`` as for ``notify``."""
    pairs = list(pairs)
    if not pairs:
        return []
    now = timezone.now()
    states = _email_states(kind, {r for r, _m, _u in pairs})
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=r,
                kind=kind,
                message=m,
                url=u,
                created_at=now,
                email_state=states[r],
                youth_id=youth_id,
                processing_activity=activity if youth_id else "",
            )
            for r, m, u in pairs
        ]
    )
    queue_emails(notifications)
    user_ids = sorted({n.recipient_id for n in notifications})
    transaction.on_commit(lambda: _push_live(user_ids))
    return notifications


def _email_states(kind: str, user_ids: set[int]) -> dict[int, str]:
    """Per recipient, what happens to the e-mail of a notification of ``kind``: one query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    state = {
        Delivery.IMMEDIATE: EmailState.PENDING,
        Delivery.DIGEST: EmailState.DIGEST,
        Delivery.NONE: EmailState.NONE,
    }
    return {pk: state[chosen.get(pk, Delivery.IMMEDIATE)] for pk in user_ids}


def queue_emails(notifications: list[Notification]) -> None:
    """Queue the e-mail of each notification to be sent now (in the caller's transaction)."""
    notifications = [n for n in notifications if n.email_state == EmailState.PENDING]
    if notifications:
        app.configure_task(SEND_EMAIL_JOB).batch_defer(
            *({"notification_id": n.pk} for n in notifications)
        )


# --- Preferences and the daily digest --------------------------------------------------------
def preferences_save(*, user, deliveries: dict[str, str], send_at: dt.time, time_zone: str) -> None:
    """The user's choice per kind and the digest's time; kinds left at "immediately" keep
    no row. Only the user's own preferences, so no access check beyond being the user."""
    with transaction.atomic():
        NotificationPreference.objects.filter(user=user).delete()
        NotificationPreference.objects.bulk_create(
            NotificationPreference(user=user, kind=kind, delivery=delivery)
            for kind, delivery in deliveries.items()
            if delivery != Delivery.IMMEDIATE and kind in NotificationKind.values
        )
        DigestSchedule.objects.update_or_create(
            user=user, defaults={"send_at": send_at, "time_zone": time_zone}
        )


def digest_due(schedule: DigestSchedule, now: dt.datetime) -> dt.datetime | None:
    """The moment today's digest became due in the user's time zone, if it is due and not
    yet sent; else ``None``."""
    local = now.astimezone(zoneinfo.ZoneInfo(schedule.time_zone))
    due = dt.datetime.combine(local.date(), schedule.send_at, tzinfo=local.tzinfo)
    if local < due or (schedule.last_due_at is not None and schedule.last_due_at >= due):
        return None
    return due


def _push_live(user_ids: list[int]) -> None:
    """Each user's sockets get their new unread count, counted for all of them in one query
    (a socket does not ask the database itself: 1,000 recipients would be 1,000 queries on
    the web process's one database thread)."""
    if not user_ids:
        return
    unread = dict(
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    _send(
        {
            user_group(user_id): {"type": "notification.new", "unread": unread.get(user_id, 0)}
            for user_id in user_ids
        }
    )


def _send(events: dict[str, dict]) -> None:
    """``group_send`` each event to its group, from sync code or from inside an event loop."""
    layer = get_channel_layer()
    if layer is None or not events:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a sync view or worker job
        loop = None
    if loop is None:  # one trip into async for all groups
        async_to_sync(_send_all)(layer, events)
    else:  # called from code running inside an event loop
        for group, event in events.items():
            loop.create_task(layer.group_send(group, event))


async def _send_all(layer, events: dict[str, dict]) -> None:
    # One after the other on one connection: the layer's pool is small, and a group_send is
    # one round trip to Redis.
    for group, event in events.items():
        await layer.group_send(group, event)


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """The user opens one of their own notifications: it is marked read (once). Another user's
    notification does not exist for them (``Notification.DoesNotExist``)."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        # The user's other tabs and devices show the new count at once.
        transaction.on_commit(lambda: _push_live([user.pk]))
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many. The user's other
    tabs and devices show the new count at once."""
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        transaction.on_commit(lambda: _push_live([user.pk]))
    return marked
