# SPDX-License-Identifier: AGPL-3.0-or-later
"""Registering youths (who might already be registered: ``casebook.selectors.youths``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from casebook import bounds
from casebook.errors import ValidationFailed
from casebook.models import AuditAction, Neighbourhood, User, Youth
from casebook.models.youths import MAX_AGE, MIN_AGE, age_on, normalise_name
from casebook.services.audit import audit_record


@dataclass(frozen=True)
class YouthData:
    first_name: str
    last_name: str
    date_of_birth: dt.date
    neighbourhood: Neighbourhood
    last_name_prefix: str = ""


def validate_age(date_of_birth: dt.date, on: dt.date) -> None:
    age = age_on(date_of_birth, on)
    if date_of_birth > on:
        raise ValidationFailed(
            "De geboortedatum ligt in de toekomst.",
            field_errors={"date_of_birth": ["De geboortedatum ligt in de toekomst."]},
        )
    if not MIN_AGE <= age <= MAX_AGE:
        message = (
            f"IJAM is voor jongeren van {MIN_AGE} tot en met {MAX_AGE} jaar; "
            f"deze jongere is {age} jaar."
        )
        raise ValidationFailed(message, field_errors={"date_of_birth": [message]})


def youth_create(*, actor: User, data: YouthData) -> Youth:
    """Register a youth aged 8 to 27 inclusive today. Audited."""
    first_name = " ".join(data.first_name.split())
    last_name = " ".join(data.last_name.split())
    prefix = " ".join(data.last_name_prefix.split())
    if not first_name or not last_name:
        raise ValidationFailed("Vul de voornaam en de achternaam in.")
    for field, value in (
        ("first_name", first_name),
        ("last_name_prefix", prefix),
        ("last_name", last_name),
    ):
        if problem := bounds.name_problem(value):
            raise ValidationFailed(problem, field_errors={field: [problem]})
    today = timezone.localdate()
    validate_age(data.date_of_birth, today)
    with transaction.atomic():
        youth = Youth.objects.create(
            first_name=first_name,
            last_name_prefix=prefix,
            last_name=last_name,
            date_of_birth=data.date_of_birth,
            neighbourhood=data.neighbourhood,
            registered_on=today,
            search_name=normalise_name(first_name, prefix, last_name),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.YOUTH_REGISTERED,
            obj=youth,
            youth=youth,
            after=youth_snapshot(youth),
        )
    return youth


def youth_snapshot(youth: Youth) -> dict:
    return {
        "naam": youth.full_name,
        "geboortedatum": youth.date_of_birth,
        "buurt": youth.neighbourhood.name,
    }
