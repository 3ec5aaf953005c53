# SPDX-License-Identifier: AGPL-3.0-or-later
"""The programme's targets (KPIs) as configuration, and the values IJAM cannot measure.

A KPI says *what* is measured by naming a measure from the registry in code
(``reports.measures``): the functioneel beheerder chooses it in the admin, never writes a
query (ADR 0023). A KPI without a measure is *manual*: the programme manager records its value,
with the source and the date, through ``reports.services_dashboard.kpi_manual_value_record``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.measures import MEASURE_CHOICES


class Pillar(models.TextChoices):
    INFORMATION = "1", _("Pijler 1: informatiegestuurd werken")
    PREVENTION = "2", _("Pijler 2: preventie")
    CAREERS = "3", _("Pijler 3: doorbreken van criminele carrières")


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("minimaal (hoger is beter)")
    AT_MOST = "at_most", _("maximaal (lager is beter)")


#: The start of the programme Preventie met Gezag (plan of approach, 2024).
PROGRAMME_START = dt.date(2024, 1, 1)


class Kpi(models.Model):
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Het nummer van de doelstelling in het plan van aanpak, bijvoorbeeld K8."),
    )
    name = models.CharField(_("naam"), max_length=200)
    target_text = models.TextField(
        _("doelstelling"), help_text=_("De doelstelling zoals het plan van aanpak haar noemt.")
    )
    pillar = models.CharField(_("pijler"), max_length=1, choices=Pillar.choices)
    measure = models.CharField(
        _("meting"),
        max_length=40,
        choices=MEASURE_CHOICES,
        blank=True,
        help_text=_(
            "Hoe IJAM de voortgang uit de eigen gegevens berekent. Leeg: IJAM kan dit niet "
            "meten; de programmamanager vult de waarde met bron en datum handmatig in."
        ),
    )
    target_value = models.DecimalField(
        _("streefwaarde"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    unit = models.CharField(
        _("eenheid"), max_length=40, blank=True, help_text=_("Bijvoorbeeld: signalen, %.")
    )
    direction = models.CharField(
        _("richting"), max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    start_date = models.DateField(
        _("startdatum"),
        default=PROGRAMME_START,
        help_text=_("Vanaf wanneer geteld wordt; het begin van de lijn naar de streefwaarde."),
    )
    target_date = models.DateField(_("streefdatum"))
    meeting_series = models.ForeignKey(
        "workflows.MeetingSeries",
        verbose_name=_("overlegreeks"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Voor de meting 'opeenvolgende maanden met een bijeenkomst': alleen deze reeks telt. "
            "Leeg: elke reeks die als duidingsbijeenkomst is aangemerkt."
        ),
    )
    neighbourhoods = models.ManyToManyField(
        "casebook.Neighbourhood",
        verbose_name=_("buurten"),
        blank=True,
        related_name="+",
        help_text=_(
            "Voor de meting 'signalen uit gebieden': de buurten waar de coördinatie "
            "jongerenwerk is geïntensiveerd."
        ),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPI's")
        ordering = ["order", "code"]
        permissions = [
            (
                "record_kpi_value",
                _("Mag handmatige KPI-waarden vastleggen (programmamanager)"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_date__gt=models.F("start_date")),
                name="kpi_target_after_start",
                violation_error_message=_("De streefdatum moet na de startdatum liggen."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_manual(self) -> bool:
        return not self.measure


class KpiManualValue(models.Model):
    """One recorded value of a KPI IJAM cannot measure; the newest is the current one, the
    older ones are its history (never changed, never deleted)."""

    kpi = models.ForeignKey(
        Kpi, verbose_name=_("KPI"), on_delete=models.PROTECT, related_name="manual_values"
    )
    value = models.DecimalField(
        _("waarde"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Een getal, als de doelstelling een getal heeft; anders leeg."),
    )
    summary = models.CharField(
        _("stand van zaken"),
        max_length=300,
        help_text=_("Kort, zonder namen van personen: bijvoorbeeld 'actieplan vastgesteld'."),
    )
    source = models.CharField(
        _("bron"),
        max_length=200,
        help_text=_("Waar de waarde vandaan komt: bijvoorbeeld 'partnerenquête 2025'."),
    )
    measured_on = models.DateField(_("peildatum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"))

    class Meta:
        verbose_name = _("handmatige KPI-waarde")
        verbose_name_plural = _("handmatige KPI-waarden")
        ordering = ["kpi", "-measured_on", "-recorded_at"]
        indexes = [models.Index(fields=["kpi", "-measured_on"], name="kpi_manual_value_idx")]

    def __str__(self) -> str:
        return f"{self.kpi.code} op {self.measured_on:%d-%m-%Y}"
