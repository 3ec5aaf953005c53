# SPDX-License-Identifier: AGPL-3.0-or-later
"""The task engine's records: kinds of partner work with their deadline norms, and the partner
task itself (a viewflow process whose lifecycle is a django-fsm-2 machine)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from viewflow.workflow.models import Process

from casebook.models.organisations import OrganisationKind


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


class TaskTypeCode(models.TextChoices):
    """The codes of the task types IJAM's processes start by name (seeded by the migrations).

    Other task types are configuration only: the procesregisseur picks them when assigning
    work. The task engine itself depends on none of these codes; the processes do.
    """

    # The ladder (workflows.ladder): screening, the level flows, the plan, the RIO track.
    SCREENING = "screening", _("Signaal screenen")
    INTAKE = "intake", _("Intake op niveau")
    INFORMATION = "informatie", _("Informatie aanleveren voor casusoverleg")
    EVALUATION = "evaluatie", _("Evaluatie van de aanpak")
    DISCUSSION = "bespreking", _("Bespreking aan de casustafel")
    INTERVENTION = "interventie", _("Interventie uitvoeren")
    REINTEGRATION_PLAN = "reintegratieplan", _("Re-integratieplan opstellen")
    BASIC_CONDITIONS = "basisvoorwaarden", _("Basisvoorwaarden regelen")
    AFTERCARE = "nazorg", _("Nazorg na detentie beoordelen")
    # The group approach (workflows.groups).
    GROUP_SCAN = "groepsscan", _("Groepsscan en advies politie")
    GROUP_MONITORING = "groepsmonitoring", _("Monitoring groepsaanpak")
    GROUP_ACTION = "groepsactie", _("Actie uit het plan van aanpak jeugdgroep")


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
    transaction by ``workflows.tasks.services``.
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
            # The deadline sweep: open work not yet marked overdue, by its deadline (the
            # sweep's query: state open or claimed, overdue_at empty, deadline passed).
            models.Index(
                fields=["deadline"],
                name="task_due_idx",
                condition=models.Q(state__in=["open", "claimed"], overdue_at__isnull=True),
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
    def subject_youth_id(self) -> int | None:
        """The id of the youth the task is about (none for a whole group), without a query
        when the case or the member was fetched with the task."""
        if self.case_id:
            return self.case.youth_id
        return self.group_member.youth_id if self.group_member_id else None

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
