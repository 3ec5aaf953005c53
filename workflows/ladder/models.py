# SPDX-License-Identifier: AGPL-3.0-or-later
"""Configuration of the ladder's level flows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from casebook.models.configuration import LadderLevel


class LevelSetting(models.Model):
    """How a ladder level's flow runs for a case (configuration)."""

    level = models.CharField(_("niveau"), max_length=20, unique=True, choices=LadderLevel.choices)
    evaluation_weeks = models.PositiveSmallIntegerField(
        _("evaluatie elke (weken)"),
        default=6,
        help_text=_("Zolang de casus op dit niveau staat, volgt na elke evaluatie een nieuwe."),
    )

    class Meta:
        verbose_name = _("instelling per niveau")
        verbose_name_plural = _("instellingen per niveau")
        ordering = ["level"]

    def __str__(self) -> str:
        return self.get_level_display()
