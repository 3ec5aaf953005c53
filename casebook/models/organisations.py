# SPDX-License-Identifier: AGPL-3.0-or-later
"""Organisations, their users and the roles users hold (roles are rows, not constants)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    GEMEENTE = "gemeente", _("Gemeente")
    POLITIE = "politie", _("Politie")
    OM = "om", _("Openbaar Ministerie")
    HALT = "halt", _("Halt")
    JEUGDRECLASSERING = "jeugdreclassering", _("Jeugdreclassering")
    RECLASSERING = "reclassering", _("Reclassering")
    RVDK = "rvdk", _("Raad voor de Kinderbescherming")
    RIO = "rio", _("Re-integratieofficier")
    JONGERENWERK = "jongerenwerk", _("Jongerenwerk")
    SCHOOL = "school", _("School / brugfunctionaris")
    HANDHAVING = "handhaving", _("Handhaving / jeugdboa")
    JEUGDZORG = "jeugdzorg", _("Jeugdzorg")
    GI = "gi", _("Gecertificeerde instelling")
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
    OVERIG = "overig", _("Overig")


class SchoolType(models.TextChoices):
    """Which school a school is: the plan's target K10 counts the PO and VO schools."""

    PO = "po", _("Primair onderwijs (basisschool)")
    VO = "vo", _("Voortgezet onderwijs")
    MBO = "mbo", _("Middelbaar beroepsonderwijs")
    SO = "so", _("Speciaal onderwijs")


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(_("korte naam"), max_length=60, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=OrganisationKind.choices)
    is_active = models.BooleanField(_("actief"), default=True)
    school_type = models.CharField(
        _("soort school"),
        max_length=3,
        choices=SchoolType.choices,
        blank=True,
        default="",
        help_text=_("Alleen voor een school: telt mee voor de KPI 'alle PO- en VO-scholen'."),
    )
    is_group_core_partner = models.BooleanField(
        _("standaard kernpartner in de groepsaanpak"),
        default=False,
        help_text=_(
            "Neemt vanaf de start deel aan elke groepsaanpak met volledig beeld (de driehoek: "
            "gemeente/openbare orde, politie, OM)."
        ),
    )
    contact_email = models.EmailField(
        _("e-mailadres contactpersoon"),
        blank=True,
        help_text=_("Functioneel adres; ontvangt alleen meldingen zonder persoonsgegevens."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role (procesregisseur, partner, stuurgroep…) with the permissions it grants."""

    PROCESS_DIRECTOR = "process_director"
    PROCESS_SUPPORT = "process_support"
    PARTNER = "partner"
    STEERING_GROUP = "steering_group"
    PROGRAMME_MANAGER = "programme_manager"
    FUNCTIONAL_ADMIN = "functional_admin"
    PRIVACY_OFFICER = "privacy_officer"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True)
    permissions = models.ManyToManyField(
        Permission, verbose_name=_("rechten"), blank=True, related_name="roles"
    )

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["name"]
        permissions = [
            (
                "approve_role_grant",
                _("Mag een roltoekenning met toegang tot personen goedkeuren (vier ogen)"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("rollen"), blank=True, related_name="users")

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleGrant(models.Model):
    """A request, made in the admin, to give a user a role that reaches persons; it becomes
    effective only when a second person approves it (four eyes, ADR 0011).

    The database refuses a decision by the requester or by the user it is for, and a second
    pending request for the same user and role."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("wacht op goedkeuring")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("rol"), on_delete=models.PROTECT, related_name="grants"
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd op"))
    decision = models.CharField(
        _("besluit"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reason = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("roltoekenning")
        verbose_name_plural = _("roltoekenningen")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(decision="pending"),
                name="rolegrant_one_pending_per_user_role",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(decision="pending", decided_by__isnull=True, decided_at__isnull=True)
                    | (
                        ~models.Q(decision="pending")
                        & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="rolegrant_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by"))
                & ~models.Q(decided_by=models.F("user")),
                name="rolegrant_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} voor {self.user} ({self.get_decision_display()})"


class SecondFactorReset(models.Model):
    """A request to reset a user's second factor (lost or new phone, recovery codes gone): the
    user's authenticator app and recovery codes are removed only when a second person approves
    it (four eyes, as ``RoleGrant``; ADR 0014), and the user sets up a new app at the next
    log-in.

    The database refuses a decision by the requester or by the user it is for, and a second
    pending request for the same user."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("wacht op goedkeuring")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    user = models.ForeignKey(
        User,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        related_name="second_factor_resets",
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("aangevraagd op"))
    request_reason = models.CharField(_("reden van de aanvraag"), max_length=500)
    decision = models.CharField(
        _("besluit"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reason = models.TextField(_("toelichting bij het besluit"), blank=True)

    class Meta:
        verbose_name = _("herstel tweede factor")
        verbose_name_plural = _("herstel tweede factor")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(decision="pending"),
                name="secondfactorreset_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(decision="pending", decided_by__isnull=True, decided_at__isnull=True)
                    | (
                        ~models.Q(decision="pending")
                        & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="secondfactorreset_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by"))
                & ~models.Q(decided_by=models.F("user"))
                & ~models.Q(requested_by=models.F("user")),
                name="secondfactorreset_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"Herstel tweede factor voor {self.user} ({self.get_decision_display()})"
