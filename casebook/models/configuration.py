# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the functioneel beheerder configures: criteria, closure reasons, categories, catalogue.

The plan leaves these to a yearly action plan, so they are rows, not code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from casebook.models.organisations import Organisation


class LadderLevel(models.TextChoices):
    """The three case tables of the IJAM ladder, lowest first."""

    NETWERKOVERLEG = "netwerkoverleg", _("Netwerkoverleg Risicojeugd")
    JONGE_AANWAS = "jonge_aanwas", _("Overleg Jonge Aanwas")
    PGA = "pga", _("Persoonsgerichte aanpak (PGA)")


class LevelCriterion(models.Model):
    """One line of a level's checklist.

    Criteria without ``any_of_group`` must all be met; of the criteria that share a group, at
    least one must be met.
    """

    level = models.CharField(_("niveau"), max_length=20, choices=LadderLevel.choices)
    code = models.SlugField(_("code"), max_length=40)
    text = models.TextField(_("criterium"))
    any_of_group = models.CharField(
        _("keuzegroep"),
        max_length=20,
        blank=True,
        help_text=_("Criteria met dezelfde keuzegroep: minstens één moet gelden."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("criterium per niveau")
        verbose_name_plural = _("criteria per niveau")
        ordering = ["level", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"], name="criterion_unique_code_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.text[:60]}"


class ClosureReason(models.Model):
    #: The reason IJAM itself gives a case that turned out to be a second registration of a
    #: known youth (``workflows.ladder.services.case_link_duplicate``); not chosen by hand.
    DUPLICATE_REGISTRATION = "dubbele_registratie"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    allowed_from_screening = models.BooleanField(
        _("mag bij screening"),
        default=False,
        help_text=_("Te kiezen wanneer een aanmelding na screening niet wordt opgepakt."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("reden van afsluiten")
        verbose_name_plural = _("redenen van afsluiten")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SignalCategory(models.Model):
    class Group(models.TextChoices):
        NUISANCE = "overlast", _("Overlast")
        CRIME = "criminaliteit", _("Criminaliteit")
        UNDERMINING = "ondermijning", _("Ondermijning")
        SCHOOL = "school", _("School")
        CARE = "zorg", _("Zorg")
        ONLINE = "online", _("Online")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    group = models.CharField(_("groep"), max_length=20, choices=Group.choices)
    is_school_signal = models.BooleanField(_("schoolsignaal"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("signaalcategorie")
        verbose_name_plural = _("signaalcategorieën")
        ordering = ["group", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Pillar(models.IntegerChoices):
    """The three pillars of the plan Preventie met Gezag (the stuurgroep accounts per pillar)."""

    PRECONDITIONS = 1, _("1. Randvoorwaarden")
    PREVENTION = 2, _("2. Preventie")
    AUTHORITY = 3, _("3. Gezag: doorbreken criminele carrières")


class Intervention(models.Model):
    """An entry of the intervention catalogue (productencatalogus)."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("aanbieder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    description = models.TextField(_("omschrijving"), blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimumleeftijd"), default=8)
    max_age = models.PositiveSmallIntegerField(_("maximumleeftijd"), default=27)
    default_duration_days = models.PositiveIntegerField(_("standaardduur (dagen)"), default=90)
    cost_eur = models.DecimalField(
        _("kosten (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost_unit = models.CharField(_("kosteneenheid"), max_length=40, blank=True)
    # Where the plan's money for it sits: the stuurgroep reports cost per pillar and effort.
    pillar = models.PositiveSmallIntegerField(
        _("pijler"), choices=Pillar.choices, null=True, blank=True
    )
    effort = models.PositiveSmallIntegerField(
        _("inspanning"),
        null=True,
        blank=True,
        help_text=_("Het nummer van de inspanning in het plan van aanpak (1–22), als bekend."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("interventie")
        verbose_name_plural = _("interventies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")), name="intervention_age_range"
            )
        ]

    def __str__(self) -> str:
        return self.name
