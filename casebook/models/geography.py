# SPDX-License-Identifier: AGPL-3.0-or-later
"""Area schemes: CBS wijken and buurten, and the teams that work in them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaTeam(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_DOMAIN = "sociaal_domein", _("Gebiedsteam sociaal domein")
        LWA = "lwa", _("LWA-gebiedsteam")

    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("gebiedsteam")
        verbose_name_plural = _("gebiedsteams")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="areateam_unique_name_per_kind")
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A CBS wijk."""

    code = models.CharField(_("CBS-code"), max_length=20, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A CBS buurt, with the area teams that serve it."""

    code = models.CharField(_("CBS-code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    district = models.ForeignKey(
        District, verbose_name=_("wijk"), on_delete=models.PROTECT, related_name="neighbourhoods"
    )
    social_area_team = models.ForeignKey(
        AreaTeam,
        verbose_name=_("gebiedsteam sociaal domein"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lwa_area_team = models.ForeignKey(
        AreaTeam,
        verbose_name=_("LWA-gebiedsteam"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    risk_weight = models.DecimalField(
        _("risicogewicht"),
        max_digits=6,
        decimal_places=3,
        default=1,
        help_text=_("Relatief aandeel risicojeugd; alleen gebruikt voor demo- en testgegevens."),
    )

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
