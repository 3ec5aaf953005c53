# SPDX-License-Identifier: AGPL-3.0-or-later
"""Background jobs of the notifications app (run by the procrastinate worker).

The e-mail of a notification goes out **at most once** (ADR 0024). The job records that it
begins to send, commits, asks the mail server, and records that it was sent. A worker killed
between those two records leaves the notification ``sending``; the job that runs again (the
stalled-job recovery in ``workflows.jobs`` requeues it) finds that, does not send again, and
marks it ``uncertain`` ("bezorging onzeker"), which the administrator sees. A mail server
that refuses the message leaves it ``pending`` and the job fails, so procrastinate retries it
(up to ``EMAIL_ATTEMPTS``); after the last attempt it is ``failed``. The in-app notification,
the primary channel, exists in every case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from notifications.models import DigestSchedule, EmailState, Notification, NotificationKind
from notifications.services import SEND_EMAIL_JOB, digest_due

logger = logging.getLogger(__name__)

#: How often the mail server may refuse before the e-mail counts as not delivered.
EMAIL_ATTEMPTS = 5


def message_id(notification: Notification) -> str:
    """The same Message-ID for every attempt at one notification's e-mail, so a mail system
    that deduplicates by Message-ID drops a copy; keyed, so it says nothing about the user."""
    tag = hmac.new(
        settings.SECRET_KEY.encode(), f"notification:{notification.pk}".encode(), hashlib.sha256
    ).hexdigest()[:20]
    domain = settings.IJAM_BASE_URL.split("://")[-1].split("/")[0].split(":")[0] or "ijam"
    return f"<ijam-melding-{notification.pk}-{tag}@{domain}>"


def _begin(notification_id: int) -> Notification | None:
    """Claim the e-mail for sending (committed before the mail server is asked); ``None``
    when there is nothing to send: unknown, already sent or given up, no address, or an
    attempt that a killed worker left unfinished (then it becomes ``uncertain``)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_state != EmailState.PENDING:
            if notification is not None and notification.email_state == EmailState.SENDING:
                notification.email_state = EmailState.UNCERTAIN
                notification.save(update_fields=["email_state"])
                logger.warning("E-mail van melding %s: bezorging onzeker", notification.pk)
            return None
        if notification.emailed_at or not notification.recipient.email:
            state = EmailState.SENT if notification.emailed_at else EmailState.NONE
            notification.email_state = state
            notification.save(update_fields=["email_state"])
            return None
        notification.email_state = EmailState.SENDING
        notification.email_attempted_at = timezone.now()
        notification.save(update_fields=["email_state", "email_attempted_at"])
        return notification


def _finish(notification: Notification, state: str) -> None:
    fields = {"email_state": state}
    if state == EmailState.SENT:
        fields["emailed_at"] = timezone.now()
    Notification.objects.filter(pk=notification.pk, email_state=EmailState.SENDING).update(**fields)


@app.task(
    name=SEND_EMAIL_JOB,
    aliases=["notifications.tasks.send_notification_email"],
    queue="notifications",
    retry=RetryStrategy(max_attempts=EMAIL_ATTEMPTS - 1, exponential_wait=5),
    pass_context=True,
)
def send_notification_email(context, notification_id: int) -> None:
    deliver_notification_email(notification_id, attempt=context.job.attempts + 1)


def deliver_notification_email(notification_id: int, *, attempt: int = EMAIL_ATTEMPTS) -> None:
    """Send the e-mail for one notification, at most once. It carries no personal data:
    only that there is news, and a link. ``attempt`` counts from 1; the last one that the
    mail server refuses marks the e-mail ``failed``."""
    notification = _begin(notification_id)
    if notification is None:
        return
    email = EmailMessage(
        subject="Nieuwe melding in IJAM",
        body=(
            "Er staat een nieuwe melding voor u klaar in IJAM.\n\n"
            f"Bekijk deze na inloggen: {settings.IJAM_BASE_URL}{notification.url}\n\n"
            "Deze e-mail bevat bewust geen persoonsgegevens."
        ),
        to=[notification.recipient.email],
        headers={"Message-ID": message_id(notification)},
    )
    try:
        email.send()
    except Exception:
        # Refused: the message did not go out, so another attempt cannot duplicate it.
        last = attempt >= EMAIL_ATTEMPTS
        _finish(notification, EmailState.FAILED if last else EmailState.PENDING)
        logger.warning("E-mail van melding %s geweigerd (poging %s)", notification.pk, attempt)
        raise
    _finish(notification, EmailState.SENT)


# --- The daily digest ------------------------------------------------------------------------
def send_digests(now: dt.datetime | None = None) -> int:
    """Send each user whose digest time has come (in their time zone) one e-mail with the
    number of notifications per kind since the last digest, and a link; returns how many
    were sent. At most once a day per user: the digest is recorded before it is sent."""
    now = now or timezone.now()
    sent = 0
    for schedule in DigestSchedule.objects.select_related("user").order_by("pk"):
        if digest_due(schedule, now) is None:
            continue
        with transaction.atomic():
            locked = DigestSchedule.objects.select_for_update().get(pk=schedule.pk)
            due = digest_due(locked, now)
            if due is None:  # another worker was quicker
                continue
            waiting = Notification.objects.filter(
                recipient_id=locked.user_id, email_state=EmailState.DIGEST
            )
            counts = dict(waiting.values_list("kind").annotate(n=Count("pk")).order_by())
            waiting.update(email_state=EmailState.DIGESTED, emailed_at=now)
            locked.last_due_at = due
            locked.save(update_fields=["last_due_at"])
        if counts and schedule.user.email and schedule.user.is_active:
            _send_digest(schedule.user.email, counts)
            sent += 1
    return sent


def _send_digest(address: str, counts: dict[str, int]) -> None:
    lines = [
        (str(NotificationKind(kind).label), count)
        for kind, count in sorted(counts.items(), key=lambda item: -item[1])
    ]
    link = f"{settings.IJAM_BASE_URL}/meldingen/"
    context = {"lines": lines, "link": link, "total": sum(counts.values())}
    message = EmailMultiAlternatives(
        subject="Uw dagelijkse overzicht van IJAM",
        body=render_to_string("notifications/digest.txt", context),
        to=[address],
    )
    message.attach_alternative(render_to_string("notifications/digest.html", context), "text/html")
    message.send()


@app.periodic(cron="*/15 * * * *", periodic_id="notification-digests")
@app.task(
    name="notifications.send_digests",
    queue="notifications",
    queueing_lock="notification-digests",
    pass_context=False,
)
def send_digests_job(timestamp: int) -> None:
    send_digests()
