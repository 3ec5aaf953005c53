# SPDX-License-Identifier: AGPL-3.0-or-later
"""Emergency access ("break the glass"): a partner opens a case outside the rules, with a
reason, for a limited time; the privacy officer reviews every one of them afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebook.models.cases import Case


class EmergencyAccess(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", _("te beoordelen")
        JUSTIFIED = "justified", _("terecht")
        UNJUSTIFIED = "unjustified", _("onterecht")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason = models.TextField(_("reden"))
    opened_at = models.DateTimeField(_("geopend op"))
    expires_at = models.DateTimeField(_("verloopt op"))
    review = models.CharField(
        _("beoordeling"), max_length=20, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    review_note = models.TextField(_("toelichting bij de beoordeling"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("doorbraak")
        verbose_name_plural = _("doorbraken")
        indexes = [
            # The policy's question: does this user hold an unexpired emergency access?
            models.Index(fields=["user", "case", "expires_at"], name="emergency_user_case_idx"),
            # The privacy officer's queue.
            models.Index(fields=["review", "-opened_at"], name="emergency_review_idx"),
        ]

    def __str__(self) -> str:
        return f"Doorbraak {self.pk} op {self.case}"
