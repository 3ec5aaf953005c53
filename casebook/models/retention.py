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


#: The ladder's moves as the audit trail records them (``workflows.ladder.services``): the one
#: record of every move, with the level before and after. The stuurgroep's figures read them
#: (``reports.figures.base``); when retention removes their payload, ``KeptLadderMove`` keeps
#: the two levels.
LADDER_MOVE_ACTIONS = (
    "case.screen_in",
    "case.screen_out",
    "case.escalate",
    "case.deescalate",
    "case.close",
)


class KeptLadderMove(models.Model):
    """The level before and after of a ladder move whose audit payload the retention job
    removed: no person, no text, only the two level codes, so the stuurgroep's figures about
    earlier periods (``reports.figures``, which read the moves from the audit trail) stay the
    same after a run (ADR 0020)."""

    event = models.OneToOneField(
        "casebook.AuditEvent", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    from_level = models.CharField(max_length=40, blank=True)
    to_level = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("bewaarde ladderstap")
        verbose_name_plural = _("bewaarde ladderstappen")

    def __str__(self) -> str:
        return f"{self.from_level} → {self.to_level}"
