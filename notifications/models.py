# SPDX-License-Identifier: AGPL-3.0-or-later
"""In-app notifications. The e-mail that accompanies one carries only a link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("bericht"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("aangemaakt op"))
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)
    # The youth a notification names a case or task of (its case number, a task about it), and
    # the processing activity it belongs to: the list logs the youth when it shows the
    # notification (ADR 0017). Empty for a notification about no youth.
    youth = models.ForeignKey(
        "casebook.Youth", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    processing_activity = models.CharField(_("verwerkingsactiviteit"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.message
