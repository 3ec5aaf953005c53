# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signals (signalen / aanmeldingen): concerns that partners report about a youth."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from casebook.models.cases import Case
from casebook.models.configuration import SignalCategory
from casebook.models.organisations import Organisation
from casebook.models.youths import Youth


class SignalStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    IN_SCREENING = "in_screening", _("In screening")
    TAKEN_UP = "taken_up", _("Opgepakt")
    NOT_TAKEN_UP = "not_taken_up", _("Niet opgepakt")


class Signal(FSMModelMixin, models.Model):
    """What a partner reported. The reporter follows its status, and nothing else."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jongere"), on_delete=models.PROTECT, related_name="signals"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="signals"
    )
    category = models.ForeignKey(
        SignalCategory, verbose_name=_("categorie"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("omschrijving"))
    observed_on = models.DateField(_("datum waarneming"), null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("melder"),
        on_delete=models.PROTECT,
        related_name="reported_signals",
    )
    reporter_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie melder"),
        on_delete=models.PROTECT,
        related_name="reported_signals",
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=SignalStatus.choices,
        default=SignalStatus.RECEIVED,
        protected=True,
    )
    feedback = models.TextField(
        _("terugkoppeling aan melder"),
        blank=True,
        help_text=_("Wat de melder te zien krijgt over de afhandeling."),
    )
    received_at = models.DateTimeField(_("ontvangen op"))
    status_changed_at = models.DateTimeField(_("status gewijzigd op"))
    # Set when the retention job anonymised the record (ADR 0020); it is never filled again.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    # Raised on every change; the procesregisseur's forms carry it (stale → conflict).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["reporter", "-received_at"], name="signal_reporter_idx"),
            models.Index(fields=["status", "-received_at"], name="signal_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Signaal {self.pk} ({self.category})"

    # --- Lifecycle: received → in_screening → taken_up | not_taken_up ---------------------------
    @transition(field=status, source=SignalStatus.RECEIVED, target=SignalStatus.IN_SCREENING)
    def start_screening(self) -> None:
        """The procesregisseur has picked the signal up."""

    @transition(
        field=status,
        source=[SignalStatus.RECEIVED, SignalStatus.IN_SCREENING],
        target=SignalStatus.TAKEN_UP,
    )
    def take_up(self) -> None:
        """The signal is bundled into a case that is (or stays) on the ladder."""

    @transition(
        field=status,
        source=[SignalStatus.RECEIVED, SignalStatus.IN_SCREENING],
        target=SignalStatus.NOT_TAKEN_UP,
    )
    def decline(self) -> None:
        """The signal gives no grounds for the IJAM approach."""
