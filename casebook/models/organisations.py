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


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(_("korte naam"), max_length=60, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=OrganisationKind.choices)
    is_active = models.BooleanField(_("actief"), default=True)
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
