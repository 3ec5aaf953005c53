# SPDX-License-Identifier: AGPL-3.0-or-later
"""Youths (jongeren) and the family links used by the system approach."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebook.models.geography import Neighbourhood

MIN_AGE = 8
MAX_AGE = 27


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years between date_of_birth and on (a birthday on 29 February counts on 1 March)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def normalise_name(*parts: str) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip()).lower()


class Youth(models.Model):
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name_prefix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"))
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("buurt"), on_delete=models.PROTECT, related_name="youths"
    )
    registered_on = models.DateField(_("geregistreerd op"))
    # Lower-cased "voornaam tussenvoegsel achternaam": the target of name search and the
    # duplicate check (trigram index). Kept by the youth service, never edited by hand.
    search_name = models.CharField(max_length=300, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the procesregisseur found this record to be a second registration of another
    # youth and linked its signals there (``case_link_duplicate``). The record stays (the audit
    # trail refers to it, the retention term applies) but is never offered as a match again.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd met"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the retention job anonymised the record (ADR 0020); it is never filled again.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("jongere")
        verbose_name_plural = _("jongeren")
        ordering = ["last_name", "first_name"]
        indexes = [
            GinIndex(fields=["search_name"], opclasses=["gin_trgm_ops"], name="youth_name_trgm"),
            models.Index(fields=["date_of_birth"], name="youth_dob_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name_prefix, self.last_name) if p)

    def age(self, on: dt.date | None = None) -> int:
        from django.utils import timezone

        return age_on(self.date_of_birth, on or timezone.localdate())


class FamilyLink(models.Model):
    """A relative of a youth: another youth in IJAM, or a named person outside it."""

    class Relation(models.TextChoices):
        SIBLING = "sibling", _("broer/zus")
        PARENT = "parent", _("ouder/verzorger")
        CHILD = "child", _("kind")
        OTHER = "other", _("ander familielid")

    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="family_links")
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)
    related_youth = models.ForeignKey(
        Youth,
        verbose_name=_("familielid in IJAM"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    related_name = models.CharField(_("naam familielid"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("familierelatie")
        verbose_name_plural = _("familierelaties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(related_youth__isnull=False) | ~models.Q(related_name=""),
                name="familylink_names_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.related_youth or self.related_name}"
