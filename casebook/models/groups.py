# SPDX-License-Identifier: AGPL-3.0-or-later
"""Problematic youth groups (problematische jeugdgroepen) and their members."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.group_steps import GroupStepsMixin

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"))
    step_changed_at = models.DateTimeField(_("stap gewijzigd op"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("jeugdgroep")
        verbose_name_plural = _("jeugdgroepen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
