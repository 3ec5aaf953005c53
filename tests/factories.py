# SPDX-License-Identifier: AGPL-3.0-or-later
"""Builders for test data. They use the real services wherever a service exists."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from casebook.models import (
    ClosureReason,
    District,
    LevelCriterion,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Role,
    SignalCategory,
    User,
)
from casebook.services.signals import signal_register
from casebook.services.youths import YouthData

_seq = itertools.count(1)


def organisation(kind: str = OrganisationKind.POLITIE, name: str | None = None) -> Organisation:
    n = next(_seq)
    name = name or f"Organisatie {kind} {n}"
    return Organisation.objects.create(
        name=name,
        short_name=f"{kind[:10]}-{n}",
        kind=kind,
        # As the reference data: police and OM are core partners of every group approach.
        is_group_core_partner=kind in (OrganisationKind.POLITIE, OrganisationKind.OM),
    )


def staffed_organisation(
    kind: str, name: str | None = None, *, worker: tuple[str, str] = ("Partner", "Tester")
) -> Organisation:
    """An organisation with one task worker (a partner professional named ``worker``), so work
    can be sent to it: IJAM refuses work for an organisation where nobody picks it up."""
    org = organisation(kind, name)
    user(Role.PARTNER, org, first_name=worker[0], last_name=worker[1])
    return org


def task_worker(org: Organisation) -> User:
    """The (first) user of ``org`` with a task-working role; one is made when it has none."""
    from casebook.selectors.people import task_workers

    return task_workers().filter(organisation=org).order_by("pk").first() or user(Role.PARTNER, org)


def zvh() -> Organisation:
    existing = Organisation.objects.filter(kind=OrganisationKind.ZVH).first()
    return existing or organisation(OrganisationKind.ZVH, "Test-ZVH")


def user(role: str, org: Organisation | None = None, **extra) -> User:
    n = next(_seq)
    u = User.objects.create_user(
        username=f"{role}-{n}",
        password="geheim-wachtwoord-123",
        first_name=extra.pop("first_name", role.title()),
        last_name=extra.pop("last_name", f"Tester {n}"),
        email=f"{role}-{n}@example.org",
        organisation=org,
        **extra,
    )
    u.roles.add(Role.objects.get(code=role))
    return u


def neighbourhood(name: str | None = None) -> Neighbourhood:
    n = next(_seq)
    district, _ = District.objects.get_or_create(code="TEST-WK", defaults={"name": "Testwijk"})
    return Neighbourhood.objects.create(
        code=f"TEST-BU-{n}", name=name or f"Testbuurt {n}", district=district
    )


def category(name: str = "Overlast op straat", *, school: bool = False) -> SignalCategory:
    n = next(_seq)
    return SignalCategory.objects.create(
        code=f"cat-{n}", name=name, group=SignalCategory.Group.NUISANCE, is_school_signal=school
    )


def closure_reason(*, from_screening: bool = False, name: str | None = None) -> ClosureReason:
    n = next(_seq)
    return ClosureReason.objects.create(
        code=f"reden-{n}", name=name or f"Reden {n}", allowed_from_screening=from_screening
    )


def birth_date(age: int, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today.replace(year=today.year - age) - dt.timedelta(days=30)


def letters(n: int) -> str:
    """``n`` written in letters (1 → "a", 27 → "ba"): unique parts of names, which hold no
    digits (``casebook.bounds.name_problem``)."""
    word = ""
    while True:
        n, rest = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[rest] + word
        if n == 0:
            return word


def youth_data(age: int = 16, **overrides) -> YouthData:
    n = next(_seq)
    values = {
        "first_name": overrides.pop("first_name", f"Jongere{letters(n)}"),
        "last_name": overrides.pop("last_name", f"Achternaam{letters(n)}"),
        "date_of_birth": overrides.pop("date_of_birth", birth_date(age)),
        "neighbourhood": overrides.pop("neighbourhood", None) or neighbourhood(),
    }
    return YouthData(**values, **overrides)


def signal(reporter: User, *, youth=None, cat=None, description: str = "Zorgelijk gedrag"):
    """A signal through the real intake service (opens or joins a case)."""
    return signal_register(
        reporter=reporter,
        category=cat or category(),
        description=description,
        youth=youth,
        new_youth=None if youth else youth_data(),
    )


def criteria_for(level: str) -> list[str]:
    """Codes that satisfy the level's checklist as configured (all of them)."""
    return list(
        LevelCriterion.objects.filter(level=level, is_active=True).values_list("code", flat=True)
    )


def youth_group(director: User, name: str):
    """A group at step 1 with three members of 16, through the real services: Ayoub (red),
    Bram (orange) and Chayenne (yellow), all "Lid", role kern."""
    from casebook.models import GroupRole
    from workflows.groups.services.members import group_member_add
    from workflows.groups.services.steps import group_create

    group = group_create(actor=director, name=name, kind="fluid")
    role = GroupRole.objects.get(code="kern")
    for first, tier in (("Ayoub", "red"), ("Bram", "orange"), ("Chayenne", "yellow")):
        group_member_add(
            group=group,
            actor=director,
            role=role,
            tier=tier,
            reason="Groepsscan politie",
            new_youth=youth_data(age=16, first_name=first, last_name="Lid"),
        )
    group.refresh_from_db()
    return group


def version(obj) -> int:
    """The object's version as a page would show it now (what its forms post back)."""
    field = "revision" if hasattr(obj, "revision") else "version"
    return type(obj).objects.values_list(field, flat=True).get(pk=obj.pk)
