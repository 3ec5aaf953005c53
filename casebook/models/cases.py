# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cases (casussen) and which organisations are involved in them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from casebook.models.configuration import ClosureReason
from casebook.models.organisations import Organisation
from casebook.models.youths import Youth
from workflows.ladder.machine import CLOSED, LadderMixin


class Case(LadderMixin, models.Model):
    """The coordinated approach of one youth (individual) or one family (system approach).

    Its ``level`` (from ``LadderMixin``) is the one place the case's position on the ladder
    lives; it changes only through ``workflows.ladder.services``.
    """

    class Approach(models.TextChoices):
        INDIVIDUAL = "individual", _("Individuele aanpak")
        SYSTEM = "system", _("Systeemaanpak")

    youth = models.ForeignKey(
        Youth, verbose_name=_("jongere"), on_delete=models.PROTECT, related_name="cases"
    )
    approach = models.CharField(
        _("aanpak"), max_length=20, choices=Approach.choices, default=Approach.INDIVIDUAL
    )
    criminal_law_component = models.BooleanField(_("strafrechtelijke component"), default=False)
    coordinator_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("casusregie"),
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
    )
    closure_reason = models.ForeignKey(
        ClosureReason,
        verbose_name=_("reden van afsluiten"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("voorgaande casus"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
    )
    opened_at = models.DateTimeField(_("geopend op"), db_index=True)
    level_changed_at = models.DateTimeField(_("niveau gewijzigd op"))
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    # Set when the retention job anonymised the record (ADR 0020); it is never filled again.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    # Incremented on every change; a form that saw an older version gets a conflict.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-opened_at"]
        permissions = [
            ("view_all_cases", _("Mag alle casussen en signalen inzien")),
            ("transition_case", _("Mag casussen screenen, op- en afschalen en afsluiten")),
            ("register_signal", _("Mag signalen melden")),
            ("view_aggregate_reports", _("Mag geaggregeerde rapportages inzien")),
            (
                "break_the_glass",
                _("Mag in spoed, met reden en tijdelijk, een casus buiten de regels openen"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=~models.Q(level=CLOSED),
                name="one_open_case_per_youth",
                violation_error_message=_("Deze jongere heeft al een open casus."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(level=CLOSED, closure_reason__isnull=False, closed_at__isnull=False)
                    | (
                        ~models.Q(level=CLOSED)
                        & models.Q(closure_reason__isnull=True, closed_at__isnull=True)
                    )
                ),
                name="closed_case_has_reason",
            ),
        ]
        indexes = [
            # The case list orders by last change, with or without a level filter.
            models.Index(
                fields=["level", "-level_changed_at", "-id"], name="case_level_changed_idx"
            ),
            models.Index(fields=["-level_changed_at", "-id"], name="case_changed_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"IJAM-{self.pk:06d}" if self.pk else "IJAM-nieuw"


class CaseInvolvement(models.Model):
    """An organisation that takes part in a case, and since when.

    Partners see a case only through a row here (need-to-know), and only while it lasts: an
    involvement ends when the case closes, when the organisation has no open task in it and is
    not invited to its table, or when the procesregisseur ends it; a grace period later the
    case is out of sight (``casebook.policy``). Rows are written by the services that make an
    organisation involved: opening a case (coordinator), registering a signal (reporter), and
    assigning a task (assignee).
    """

    class Reason(models.TextChoices):
        COORDINATOR = "coordinator", _("casusregie")
        REPORTER = "reporter", _("melder van een signaal")
        ASSIGNEE = "assignee", _("uitvoerder van een taak")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="involvements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_involvements"
    )

    class EndReason(models.TextChoices):
        CASE_CLOSED = "case_closed", _("casus afgesloten")
        WORK_DONE = "work_done", _("geen taak en geen uitnodiging meer")
        ENDED = "ended", _("beëindigd door de procesregisseur")

    reason = models.CharField(max_length=20, choices=Reason.choices)
    since = models.DateTimeField()
    # Access ends: after ``ended_at`` plus the grace period (IJAM_INVOLVEMENT_GRACE_DAYS) the
    # organisation no longer sees the case (casebook.policy). Involving it again reopens it.
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden van beëindigen"), max_length=20, choices=EndReason.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("betrokkenheid")
        verbose_name_plural = _("betrokkenheden")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation", "reason"], name="involvement_unique"
            )
        ]
        indexes = [
            # The policy's question for a partner's case list: the cases of one organisation
            # whose involvement still gives sight. ``ended_at`` is carried in the index, so the
            # answer is an index-only scan (tens of thousands of rows for a big partner).
            models.Index(
                fields=["organisation", "case"],
                include=["ended_at"],
                name="involvement_org_live_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} bij {self.case} ({self.get_reason_display()})"
