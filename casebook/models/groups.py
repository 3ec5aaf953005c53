# SPDX-License-Identifier: AGPL-3.0-or-later
"""Problematic youth groups (problematische jeugdgroepen) and their members."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.groups.steps import GroupStepsMixin

#: A group is two or more persons, the majority younger than this (modelconvenant).
GROUP_MAJORITY_AGE = 23


class Group(GroupStepsMixin, models.Model):
    """A group approach following the 7-stappenmodel; ``step`` lives in ``GroupStepsMixin``."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("vaste groep")
        LOOSE_FIXED = "loose_fixed", _("los-vaste groep")
        FLUID = "fluid", _("fluïde netwerk")
        ONLINE = "online", _("online georganiseerde groep")

    class ProblemType(models.TextChoices):
        NUISANCE = "overlast", _("overlast")
        CRIME = "criminaliteit", _("criminaliteit")
        UNDERMINING = "ondermijning", _("ondermijning")
        ONLINE = "online", _("online")

    class LegacyLabel(models.TextChoices):
        NUISANCE = "hinderlijk", _("hinderlijk (Beke, tot 2015)")
        TROUBLESOME = "overlastgevend", _("overlastgevend (Beke, tot 2015)")
        CRIMINAL = "crimineel", _("crimineel (Beke, tot 2015)")

    name = models.CharField(_("naam"), max_length=150, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    hotspots = models.TextField(_("hotspots (ook online)"), blank=True)
    neighbourhoods = models.ManyToManyField(
        "casebook.Neighbourhood", verbose_name=_("buurten"), blank=True, related_name="groups"
    )
    active_from = models.DateField(_("actief sinds"), null=True, blank=True)
    active_until = models.DateField(_("actief tot"), null=True, blank=True)
    # Duiding: structured, not one free text.
    problem_types = ArrayField(
        models.CharField(max_length=20, choices=ProblemType.choices),
        verbose_name=_("soorten problematiek"),
        default=list,
        blank=True,
    )
    dynamics = models.TextField(_("groepsdynamiek"), blank=True)
    roles_description = models.TextField(_("rollen in de groep"), blank=True)
    context = models.TextField(_("context"), blank=True)
    legacy_label = models.CharField(
        _("oud Beke-label"), max_length=20, choices=LegacyLabel.choices, blank=True
    )
    # Step 4: the local triangle (driehoek) sets the priority; steps 3 and 5: the plan's aims;
    # step 6: how often the approach is monitored; step 7: the evaluation.
    priority = models.CharField(
        _("prioriteit (driehoek)"),
        max_length=10,
        choices=(("hoog", _("hoog")), ("midden", _("midden")), ("laag", _("laag"))),
        blank=True,
    )
    plan_goals = models.TextField(_("doelen van de aanpak"), blank=True)
    monitoring_weeks = models.PositiveSmallIntegerField(_("monitoring elke (weken)"), default=6)
    evaluation = models.TextField(_("evaluatie"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"))
    step_changed_at = models.DateTimeField(_("stap gewijzigd op"))
    # Set when the retention job anonymised the record (ADR 0020); it is never filled again.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("jeugdgroep")
        verbose_name_plural = _("jeugdgroepen")
        ordering = ["name"]
        permissions = [
            ("run_group_approach", _("Mag de groepsaanpak voeren (stappen, leden, plan)")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def problem_type_labels(self) -> list[str]:
        labels = dict(self.ProblemType.choices)
        return [str(labels.get(value, value)) for value in self.problem_types]


class GroupRole(models.Model):
    """A member's role in the group (configuration): kern, meeloper, periferie, leider…"""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=80)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("rol in de groep")
        verbose_name_plural = _("rollen in de groep")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    """Red: suspected of offences; orange: known before, with concerns in other life domains;
    yellow: not known to justice, at risk (the legend on the group page says so)."""

    RED = "red", _("rood")
    ORANGE = "orange", _("oranje")
    YELLOW = "yellow", _("geel")


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="members")
    youth = models.ForeignKey(
        "casebook.Youth", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.ForeignKey(GroupRole, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(_("kleur"), max_length=10, choices=Tier.choices)
    joined_on = models.DateField(_("lid sinds"))
    left_on = models.DateField(_("uit de groep op"), null=True, blank=True)
    spun_off_case = models.ForeignKey(
        "casebook.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Raised on every change of the member (tier, leaving, referral); the member page's forms
    # carry it. Every member change also raises the group's version.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("groepslid")
        verbose_name_plural = _("groepsleden")
        ordering = ["group", "youth__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "youth"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_membership",
            )
        ]
        indexes = [models.Index(fields=["group", "tier"], name="member_tier_idx")]

    def __str__(self) -> str:
        return f"{self.youth} in {self.group}"


class GroupTierChange(models.Model):
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="tier_changes")
    from_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    to_tier = models.CharField(max_length=10, choices=Tier.choices)
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["member", "changed_at"]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_tier or '—'} → {self.to_tier}"


class GroupStepDecision(models.Model):
    """A gate decision of the 7-stappenmodel: who decided what, why, from which step to which."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="step_decisions")
    move = models.CharField(max_length=20)
    from_step = models.CharField(max_length=20)
    to_step = models.CharField(max_length=20)
    reason = models.TextField(_("onderbouwing"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["group", "decided_at"]

    def __str__(self) -> str:
        return f"{self.group}: {self.from_step} → {self.to_step}"


class Track(models.TextChoices):
    """The four tracks of an integral group plan (modelconvenant Jeugdgroepaanpak)."""

    GROUP = "groep", _("groepsgericht")
    INDIVIDUAL = "individu", _("persoonsgericht")
    FAMILY = "gezin", _("gezinsgericht")
    DOMAIN = "domein", _("domeingericht")


#: Tracks whose actions are about one member (and so need one).
MEMBER_TRACKS = (Track.INDIVIDUAL, Track.FAMILY)


class GroupPlanAction(models.Model):
    """An action of the group's plan of approach. Planned in steps 3–5; when the plan is adopted
    (into step 6) — or at once when added during step 6 — it starts as a partner task."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="plan_actions")
    track = models.CharField(_("spoor"), max_length=10, choices=Track.choices)
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("groepslid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("actie"))
    task_type = models.ForeignKey(
        "workflows.TaskType",
        verbose_name=_("soort taak"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "casebook.Organisation",
        verbose_name=_("uitvoerende organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("gereed op"), null=True, blank=True)
    task = models.OneToOneField(
        "workflows.PartnerTask",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_plan_action",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("opgenomen op"))

    class Meta:
        verbose_name = _("actie uit het groepsplan")
        verbose_name_plural = _("acties uit het groepsplan")
        ordering = ["group", "track", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(track__in=list(MEMBER_TRACKS)) | models.Q(member__isnull=False),
                name="member_track_needs_member",
            )
        ]
        indexes = [models.Index(fields=["group", "track"], name="plan_action_track_idx")]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_track_display()}"


class GroupParticipant(models.Model):
    """An organisation taking part in a group approach, and how much it needs to know.

    Core partners (gemeente, politie, OM: the driehoek, and whom the procesregisseur adds) see
    the whole picture: members with tiers, notes, all actions. Executing partners see the group,
    its duiding and the group- and domain-wide actions, and only the members they have work
    about — without tiers, which rest on police information."""

    class Access(models.TextChoices):
        CORE = "kern", _("kernpartner (volledig beeld)")
        EXECUTING = "uitvoerend", _("uitvoerend (alleen eigen leden en acties)")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="participants")
    organisation = models.ForeignKey(
        "casebook.Organisation", on_delete=models.PROTECT, related_name="group_participations"
    )
    access = models.CharField(_("toegang"), max_length=12, choices=Access.choices)
    added_at = models.DateTimeField(_("betrokken sinds"))

    class Meta:
        verbose_name = _("deelnemende organisatie")
        verbose_name_plural = _("deelnemende organisaties")
        ordering = ["group", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "organisation"], name="one_participation")
        ]
        indexes = [models.Index(fields=["organisation", "group"], name="participant_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.group}"


class GroupNote(models.Model):
    """Information added at any step: a signal about group behaviour, the police group scan,
    advice, an observation. Visible to core partners and the author's organisation."""

    class Kind(models.TextChoices):
        SIGNAL = "signaal", _("signaal over groepsgedrag")
        SCAN = "groepsscan", _("groepsscan politie")
        ADVICE = "advies", _("advies")
        INFORMATION = "informatie", _("informatie")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("informatie"))
    step = models.CharField(_("in stap"), max_length=20)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "casebook.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        verbose_name = _("informatie over de groep")
        verbose_name_plural = _("informatie over de groep")
        ordering = ["group", "-created_at"]
        indexes = [models.Index(fields=["group", "created_at"], name="group_note_idx")]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_kind_display()}"
