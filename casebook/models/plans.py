# SPDX-License-Identifier: AGPL-3.0-or-later
"""The plan of approach (plan van aanpak): goals per life domain and the interventions used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    SCHOOL_WORK = "school_werk", _("School en werk")
    HOUSING = "wonen", _("Wonen")
    FINANCES = "financien", _("Financiën")
    HEALTH = "gezondheid", _("Gezondheid en middelen")
    LEISURE = "vrije_tijd", _("Vrije tijd en netwerk")
    FAMILY = "gezin", _("Gezin")
    JUSTICE = "justitie", _("Justitie")


class PlanGoal(models.Model):
    case = models.ForeignKey("casebook.Case", on_delete=models.PROTECT, related_name="goals")
    life_domain = models.CharField(_("leefgebied"), max_length=20, choices=LifeDomain.choices)
    goal = models.TextField(_("doel"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgesteld op"))

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["life_domain", "created_at"]
        indexes = [models.Index(fields=["case", "life_domain"], name="goal_case_idx")]

    def __str__(self) -> str:
        return f"{self.get_life_domain_display()}: {self.goal[:60]}"


class PlanIntervention(models.Model):
    """An intervention from the catalogue put to work for a case: the provider's task."""

    case = models.ForeignKey(
        "casebook.Case", on_delete=models.PROTECT, related_name="plan_interventions"
    )
    intervention = models.ForeignKey(
        "casebook.Intervention", on_delete=models.PROTECT, related_name="+"
    )
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.PROTECT, null=True, blank=True, related_name="interventions"
    )
    provider = models.ForeignKey(
        "casebook.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    task = models.OneToOneField(
        "workflows.PartnerTask", on_delete=models.PROTECT, related_name="plan_intervention"
    )
    starts_on = models.DateField(_("start"))
    created_at = models.DateTimeField(_("ingezet op"))

    class Meta:
        verbose_name = _("ingezette interventie")
        verbose_name_plural = _("ingezette interventies")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.intervention} ({self.provider})"
