# SPDX-License-Identifier: AGPL-3.0-or-later
"""The case tables' records: series and their sittings, who is invited, the agenda, and the
minutes with the decisions they carry."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebook.models.configuration import LadderLevel
from casebook.models.organisations import OrganisationKind


class MeetingSeries(models.Model):
    """A case table that meets in a rhythm (configuration): e.g. every two weeks on Tuesday."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    level = models.CharField(_("niveau"), max_length=20, choices=LadderLevel.choices)
    member_organisations = models.ManyToManyField(
        "casebook.Organisation", verbose_name=_("vaste deelnemers"), blank=True, related_name="+"
    )
    first_date = models.DateField(_("eerste zitting"))
    weekday_time = models.TimeField(_("aanvang"), default=datetime.time(13, 30))
    every_weeks = models.PositiveSmallIntegerField(_("elke (weken)"), default=2)
    preparation_working_days = models.PositiveSmallIntegerField(
        _("voorbereiding (werkdagen vooraf)"), default=3
    )
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    # The plan's monthly interpretation session (duidingsbijeenkomst, target: at least 20 in a
    # row): its sittings count towards that target in the stuurgroep's report.
    is_interpretation_session = models.BooleanField(
        _("duidingsbijeenkomst"),
        default=False,
        help_text=_(
            "Zittingen van deze reeks tellen mee voor het doel van maandelijkse "
            "duidingsbijeenkomsten (ten minste 20 op rij)."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("overlegreeks")
        verbose_name_plural = _("overlegreeksen")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One sitting of a case table."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        PUBLISHED = "published", _("Agenda verstuurd")
        HELD = "held", _("Gehouden")

    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("aanvang"))
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    generated = models.BooleanField(default=True)
    # The moment of the series' rhythm this sitting fills (the working-day rule may have moved
    # ``starts_at`` off it, and so may the procesregisseur); empty for an extra sitting. One
    # sitting per slot: a moved sitting is never planned again.
    slot = models.DateTimeField(_("plek in het ritme"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("zitting")
        verbose_name_plural = _("zittingen")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["series", "starts_at"], name="meeting_series_idx")]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="meeting_unique_start"),
            models.UniqueConstraint(fields=["series", "slot"], name="meeting_unique_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.starts_at:%d-%m-%Y}"


class AttendanceRule(models.Model):
    """Who is invited for a case on the agenda, beyond the table's fixed members
    (configuration): e.g. the OM only when the case has a criminal-law component."""

    class Condition(models.TextChoices):
        ALWAYS = "always", _("altijd")
        CRIMINAL_LAW = "criminal_law", _("bij een strafrechtelijke component")
        SCHOOL_SIGNAL = "school_signal", _("bij een schoolsignaal")

    organisation_kind = models.CharField(
        _("soort organisatie"), max_length=30, choices=OrganisationKind.choices
    )
    condition = models.CharField(_("voorwaarde"), max_length=20, choices=Condition.choices)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("aanwezigheidsregel")
        verbose_name_plural = _("aanwezigheidsregels")

    def __str__(self) -> str:
        return f"{self.get_organisation_kind_display()}: {self.get_condition_display()}"


class AgendaItem(models.Model):
    class Reason(models.TextChoices):
        NEW = "new", _("Nieuw op dit niveau")
        EVALUATION = "evaluation", _("Evaluatie")
        TASKS = "tasks", _("Taak te laat of teruggegeven")
        CARRIED_OVER = "carried_over", _("Niet besproken vorige zitting")
        PROPOSED_ESCALATION = "proposed_escalation", _("Voorstel: opschalen")
        PROPOSED_DEESCALATION = "proposed_deescalation", _("Voorstel: afschalen")
        MANUAL = "manual", _("Toegevoegd door de procesregisseur")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("casebook.Case", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reden"), max_length=30, choices=Reason.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.case}"


class Minutes(models.Model):
    """The record of a sitting. Confirmed minutes are never edited: a correction is a new
    version that supersedes the old one, which stays readable."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(_("reden correctie"), blank=True)
    # Raised by every change of the draft (its items too); the confirmation form carries it.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        ordering = ["meeting", "version"]
        permissions = [
            ("record_minutes", _("Mag verslagen en besluiten van een zitting vastleggen")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_once"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(confirmed_at__isnull=True),
                name="minutes_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"Verslag {self.meeting} (versie {self.version})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class MinutesItem(models.Model):
    """What was said and decided about one case at the sitting."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("casebook.Case", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    discussed = models.BooleanField(_("besproken"), default=True)
    attendees = models.ManyToManyField(
        "casebook.Organisation", verbose_name=_("aanwezig"), blank=True, related_name="+"
    )
    summary = models.TextField(_("samenvatting"), blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["minutes", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "case"], name="minutes_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.minutes}: {self.case}"


class Decision(models.Model):
    """A typed decision of the table; confirming the minutes carries it out."""

    class Kind(models.TextChoices):
        CONTINUE = "continue", _("Voortzetten op dit niveau")
        ESCALATE = "escalate", _("Opschalen")
        DEESCALATE = "deescalate", _("Afschalen")
        CLOSE = "close", _("Afsluiten")
        PLAN = "plan", _("Plan van aanpak vaststellen of bijstellen")
        TASK = "task", _("Taak toewijzen")

    item = models.ForeignKey(MinutesItem, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("besluit"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("onderbouwing"))
    target_level = models.CharField(
        _("naar niveau"), max_length=20, choices=LadderLevel.choices, blank=True
    )
    closure_reason = models.ForeignKey(
        "casebook.ClosureReason", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task_type = models.ForeignKey(
        "workflows.TaskType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "casebook.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The target level's criteria the table found met (codes), as the ladder requires.
    criteria = models.JSONField(default=list, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "pk"]
        # What each kind of decision needs, and nothing it does not (the service leaves the
        # other fields empty; the database refuses a decision that could not be carried out).
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["escalate", "deescalate"])
                    & ~models.Q(target_level="")
                    & models.Q(closure_reason__isnull=True, task_type__isnull=True)
                    & models.Q(organisation__isnull=True)
                )
                | (
                    models.Q(kind="close", closure_reason__isnull=False, target_level="")
                    & models.Q(task_type__isnull=True, organisation__isnull=True)
                )
                | (
                    models.Q(kind="task", task_type__isnull=False, organisation__isnull=False)
                    & models.Q(target_level="", closure_reason__isnull=True)
                )
                | (
                    models.Q(kind__in=["continue", "plan"], target_level="")
                    & models.Q(closure_reason__isnull=True, task_type__isnull=True)
                    & models.Q(organisation__isnull=True)
                ),
                name="decision_fits_its_kind",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
