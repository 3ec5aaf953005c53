# SPDX-License-Identifier: AGPL-3.0-or-later
"""In-app notifications. The e-mail that accompanies one carries only a link."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification is about: the user chooses per kind how to hear of it."""

    TASK_ASSIGNED = "task_assigned", _("Nieuwe taak voor mij of mijn organisatie")
    TASK_PROGRESS = "task_progress", _("Taak opgepakt, afgerond, teruggegeven of geannuleerd")
    DEADLINE = "deadline", _("Deadline nadert")
    OVERDUE = "overdue", _("Taak te laat")
    SIGNAL = "signal", _("Nieuw signaal")
    SIGNAL_STATUS = "signal_status", _("Status van mijn signaal")
    CASE = "case", _("Casus op- of afgeschaald of afgesloten")
    MEETING = "meeting", _("Agenda en verslag van een casustafel")
    GROUP = "group", _("Groepsaanpak")
    EMERGENCY_ACCESS = "emergency_access", _("Doorbraak van de toegang")
    ACCOUNT = "account", _("Mijn account en beheer")
    OTHER = "other", _("Overig")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Direct een e-mail")
    DIGEST = "digest", _("In het dagelijkse overzicht")
    NONE = "none", _("Geen e-mail (alleen in IJAM)")


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
    # The user hears of this kind in the daily digest, or only in IJAM.
    DIGEST = "digest", _("in het dagelijkse overzicht")
    DIGESTED = "digested", _("in een overzicht verstuurd")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(
        _("soort"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.OTHER
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


class NotificationPreference(models.Model):
    """How one user hears of one kind of notification by e-mail (no row: immediately)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NotificationKind.choices)
    delivery = models.CharField(_("e-mail"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_delivery_display()}"


class DigestSchedule(models.Model):
    """When a user gets the daily digest: a local time in the user's time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_schedule"
    )
    send_at = models.TimeField(_("tijdstip van het overzicht"), default=dt.time(7, 30))
    time_zone = models.CharField(_("tijdzone"), max_length=50, default="Europe/Amsterdam")
    # The moment the last digest was due; recorded before it is sent (at most once a day).
    last_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dagelijks overzicht")
        verbose_name_plural = _("dagelijkse overzichten")

    def __str__(self) -> str:
        return f"{self.send_at:%H:%M} ({self.time_zone})"
