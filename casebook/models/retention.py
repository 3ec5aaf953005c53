# SPDX-License-Identifier: AGPL-3.0-or-later
"""The runs of the retention job (ADR 0020): when it ran and how many of each kind it removed.

Counts only, never a name or an id of what was removed: the page of the privacy officer shows
the last run, and the audit trail holds the same counts (``retention.run``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    class Trigger(models.TextChoices):
        JOB = "job", _("dagelijkse taak")
        COMMAND = "command", _("beheercommando")

    started_at = models.DateTimeField(_("gestart op"))
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    trigger = models.CharField(_("gestart door"), max_length=10, choices=Trigger.choices)
    # {record type code: how many were anonymised or removed}
    counts = models.JSONField(_("aantallen"), default=dict)

    class Meta:
        verbose_name = _("run van de bewaartermijnen")
        verbose_name_plural = _("runs van de bewaartermijnen")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({sum(self.counts.values())})"
