# SPDX-License-Identifier: AGPL-3.0-or-later
"""Background jobs of the notifications app (run by the procrastinate worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from procrastinate.contrib.django import app

from notifications.models import Notification
from notifications.services import SEND_EMAIL_JOB


@app.task(
    name=SEND_EMAIL_JOB,
    aliases=["notifications.tasks.send_notification_email"],
    queue="notifications",
)
def send_notification_email(notification_id: int) -> None:
    """Send the e-mail for one notification, once. It carries no personal data: only a link."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at or not notification.recipient.email:
        return
    send_mail(
        subject="Nieuwe melding in IJAM",
        message=(
            "Er staat een nieuwe melding voor u klaar in IJAM.\n\n"
            f"Bekijk deze na inloggen: {settings.IJAM_BASE_URL}{notification.url}\n\n"
            "Deze e-mail bevat bewust geen persoonsgegevens."
        ),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
