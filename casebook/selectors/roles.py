# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which roles and permissions reach persons, and the role grants waiting for a second person.

The list of permissions that reach persons is ``casebook.permissions.REACHES_PERSONS``; these
functions are the only place that turns it into rows (ADR 0011)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from casebook.models import Role, RoleGrant, User
from casebook.permissions import REACHES_PERSONS


def permission_name(permission: Permission) -> str:
    """``app_label.codename``, as code asks for it (``user.has_perm``)."""
    return f"{permission.content_type.app_label}.{permission.codename}"


def person_reaching_permissions() -> QuerySet[Permission]:
    """The permission rows of ``REACHES_PERSONS``."""
    condition = Q(pk__in=[])
    for name in REACHES_PERSONS:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(condition)


def person_reaching_roles() -> QuerySet[Role]:
    """Every role that holds at least one permission that reaches persons."""
    return Role.objects.filter(
        pk__in=Role.permissions.through.objects.filter(
            permission__in=person_reaching_permissions()
        ).values("role_id")
    )


def reaching_persons(roles: Iterable[Role]) -> set[int]:
    """The ids of those of ``roles`` that reach persons (one query)."""
    ids = {role.pk for role in roles}
    if not ids:
        return set()
    return set(person_reaching_roles().filter(pk__in=ids).values_list("pk", flat=True))


def user_reaches_persons(user: User) -> bool:
    """Whether the account can reach persons: a superuser, or a holder of such a role."""
    return user.is_superuser or person_reaching_roles().filter(users=user).exists()


def pending_role_grants() -> QuerySet[RoleGrant]:
    """The requests waiting for a second person, oldest first, with who asked what for whom."""
    return (
        RoleGrant.objects.filter(decision=RoleGrant.Decision.PENDING)
        .select_related("user__organisation", "role", "requested_by")
        .order_by("requested_at", "id")
    )


def decided_role_grants(*, limit: int = 25) -> QuerySet[RoleGrant]:
    """The most recent decisions, newest first."""
    return (
        RoleGrant.objects.exclude(decision=RoleGrant.Decision.PENDING)
        .select_related("user__organisation", "role", "requested_by", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )
