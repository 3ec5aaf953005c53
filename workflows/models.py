# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workflow records: worker heartbeat, partner tasks and their types, level settings,
case tables with sittings and agendas, minutes and the decisions they carry."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from viewflow.workflow.models import Process

from casebook.models.configuration import LadderLevel
from casebook.models.organisations import OrganisationKind


class WorkerHeartbeat(models.Model):
    """The last time a worker ran its periodic heartbeat job; read by /healthz."""

    name = models.CharField(max_length=100, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("werkdagen")
    CALENDAR_DAYS = "calendar_days", _("kalenderdagen")


class TaskType(models.Model):
    """A kind of partner work, with its deadline norm (configuration, not code)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    default_organisation_kind = models.CharField(
        _("standaard soort organisatie"),
        max_length=30,
        choices=OrganisationKind.choices,
        blank=True,
    )
    norm_amount = models.PositiveSmallIntegerField(_("termijn"), default=10)
    norm_unit = models.CharField(
        _("eenheid termijn"),
        max_length=20,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKING_DAYS,
    )
    result_required = models.BooleanField(_("schriftelijk resultaat verplicht"), default=True)
    reminder_working_days = models.PositiveSmallIntegerField(
        _("herinnering (werkdagen vóór deadline)"), default=2
    )
    regie_escalation_working_days = models.PositiveSmallIntegerField(
        _("escalatie naar regiegroep (werkdagen na deadline)"), default=5
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("taaksoort")
        verbose_name_plural = _("taaksoorten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("In behandeling")
    DONE = "done", _("Afgerond")
    RETURNED = "returned", _("Teruggegeven")
    CANCELLED = "cancelled", _("Geannuleerd")


OPEN_TASK_STATES = (TaskState.OPEN, TaskState.CLAIMED)


class PartnerTask(FSMModelMixin, Process):
    """A piece of partner work on a case: the viewflow process of one human task.

    ``state`` is the task's lifecycle as people see it (and the one place it lives); the
    viewflow task row of the ``work`` node is the engine's execution record, moved in the same
    transaction by ``workflows.services.tasks``.
    """

    # The subject: a case, or (for group actions) a member of a youth group.
    case = models.ForeignKey(
        "casebook.Case",
        verbose_name=_("casus"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    # Every task of a group approach names the group; actions about one member also the member.
    group = models.ForeignKey(
        "casebook.Group",
        verbose_name=_("groep"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    group_member = models.ForeignKey(
        "casebook.GroupMember",
        verbose_name=_("groepslid"),
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
    )
    task_type = models.ForeignKey(
        TaskType, verbose_name=_("taaksoort"), on_delete=models.PROTECT, related_name="tasks"
    )
    organisation = models.ForeignKey(
        "casebook.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegewezen aan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_partner_tasks",
    )
    instruction = models.TextField(_("opdracht"))
    deadline = models.DateTimeField(_("deadline"))
    state = FSMField(
        _("status"),
        max_length=20,
        choices=TaskState.choices,
        default=TaskState.OPEN,
        protected=True,
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgepakt door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_partner_tasks",
    )
    result = models.TextField(_("resultaat"), blank=True)
    closing_reason = models.TextField(_("reden teruggeven/annuleren"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_partner_tasks",
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    # Computed once from the deadline and the task type (working days), like the deadline:
    remind_at = models.DateTimeField(_("herinneren op"))
    regie_escalate_at = models.DateTimeField(_("escaleren naar regiegroep op"))
    reminded_at = models.DateTimeField(_("herinnerd op"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("te laat sinds"), null=True, blank=True)
    regie_escalated_at = models.DateTimeField(
        _("geëscaleerd naar regiegroep op"), null=True, blank=True
    )
    # The ladder level whose flow created the task ("" for ad-hoc work): leaving that level
    # cancels it.
    level_flow = models.CharField(_("hoort bij niveau"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("partnertaak")
        verbose_name_plural = _("partnertaken")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(group__isnull=False),
                name="task_has_a_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(group_member__isnull=True) | models.Q(group__isnull=False),
                name="member_task_names_group",
            ),
        ]
        permissions = [
            ("work_on_task", _("Mag taken van de eigen organisatie oppakken en afronden")),
            ("assign_task", _("Mag taken toewijzen, verplaatsen en annuleren")),
        ]
        indexes = [
            # The partner inbox: an organisation's open work, soonest deadline first.
            models.Index(
                fields=["organisation", "deadline"],
                name="task_inbox_idx",
                condition=models.Q(state__in=["open", "claimed"]),
            ),
            models.Index(fields=["case", "state"], name="task_case_idx"),
            models.Index(fields=["group_member", "state"], name="task_member_idx"),
            models.Index(fields=["group", "state"], name="task_group_idx"),
            # The deadline sweep: open work by the moments it must be chased.
            models.Index(
                fields=["deadline"],
                name="task_open_deadline_idx",
                condition=models.Q(state__in=["open", "claimed"]),
            ),
            models.Index(
                fields=["remind_at"],
                name="task_remind_idx",
                condition=models.Q(state__in=["open", "claimed"], reminded_at__isnull=True),
            ),
            models.Index(
                fields=["regie_escalate_at"],
                name="task_regie_idx",
                condition=models.Q(state__in=["open", "claimed"], regie_escalated_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_type}: {self.subject_label}"

    @property
    def subject_youth(self):
        if self.case_id:
            return self.case.youth
        return self.group_member.youth if self.group_member_id else None

    @property
    def subject_label(self) -> str:
        if self.case_id:
            return self.case.reference
        return f"groep {self.group.name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TASK_STATES

    # --- Lifecycle: open → claimed → done | returned; open/claimed → cancelled -------------------
    @transition(field=state, source=TaskState.OPEN, target=TaskState.CLAIMED)
    def claim(self) -> None:
        """Someone of the organisation takes the task on."""

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.OPEN)
    def release(self) -> None:
        """The claimer hands it back to the organisation's pool."""

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.DONE)
    def complete(self) -> None:
        """Done, with a written result."""

    @transition(field=state, source=[TaskState.OPEN, TaskState.CLAIMED], target=TaskState.DONE)
    def complete_by_system(self) -> None:
        """IJAM itself settles the task (the screening task once the case is screened)."""

    @transition(field=state, source=[TaskState.OPEN, TaskState.CLAIMED], target=TaskState.RETURNED)
    def give_back(self) -> None:
        """The organisation cannot do it; the procesregisseur decides what next."""

    @transition(field=state, source=[TaskState.OPEN, TaskState.CLAIMED], target=TaskState.CANCELLED)
    def cancel(self) -> None:
        """The procesregisseur withdraws the task (or the case moved)."""


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


# --- Case tables: series, sittings, attendance rules and agendas ------------------------------


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
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("zitting")
        verbose_name_plural = _("zittingen")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["series", "starts_at"], name="meeting_series_idx")]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="meeting_unique_start")
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

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        ordering = ["meeting", "version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_once")
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
        TaskType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "casebook.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The target level's criteria the table found met (codes), as the ladder requires.
    criteria = models.JSONField(default=list, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
