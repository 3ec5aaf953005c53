# SPDX-License-Identifier: AGPL-3.0-or-later
"""In-app notifications. The e-mail that accompanies one carries only a link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    """Where the e-mail that accompanies a notification is (ADR 0024: at most once)."""

    NONE = "", _("geen e-mail")
    PENDING = "pending", _("in de wachtrij")
    SENDING = "sending", _("wordt verstuurd")
    SENT = "sent", _("verstuurd")
    # The worker stopped between "sending" and "sent": whether the mail server took the
    # message is unknown, and it is not sent again (no duplicate). The notification itself
    # is in IJAM either way.
    UNCERTAIN = "uncertain", _("bezorging onzeker")
    FAILED = "failed", _("niet bezorgd")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("bericht"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("aangemaakt op"))
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    # When the worker began to send: recorded and committed before the mail server is asked.
    email_attempted_at = models.DateTimeField(_("e-mail verstuurd vanaf"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            ),
            # The e-mails that need attention (uncertain or failed), for the administrator.
            models.Index(
                fields=["email_state"],
                name="notification_email_trouble_idx",
                condition=models.Q(email_state__in=["uncertain", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return self.message
