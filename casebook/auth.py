# SPDX-License-Identifier: AGPL-3.0-or-later
"""Permissions come from the user's roles (database rows), on top of Django's own."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q

from casebook.models.organisations import Organisation, Role
from casebook.permissions import WORK_ON_TASK


class RoleBackend(ModelBackend):
    """Django's model backend, plus role permissions, in one query per request."""

    def get_user(self, user_id):
        """The request's user with its organisation and, in the same query, the names of its
        roles (``acting_role_names``): the audit trail's snapshot of the role it acts in."""
        user_model = get_user_model()
        roles = Role.objects.filter(users=OuterRef("pk")).order_by("name").values("name")
        user = (
            user_model._default_manager.select_related("organisation")
            .annotate(acting_role_names=ArraySubquery(roles))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        """Object permission for organisation work: a user may work on tasks of their own
        organisation only (viewflow asks this with the task's organisation as ``obj``)."""
        if obj is not None and perm == WORK_ON_TASK:
            return (
                isinstance(obj, Organisation)
                and user_obj.is_active
                and user_obj.organisation_id == obj.pk
                and super().has_perm(user_obj, perm)
            )
        return super().has_perm(user_obj, perm, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                # Three semi-joins, not one OR over three joins: the joined form multiplies
                # every permission by the users of each role and took ~0.3 s per request.
                perms = Permission.objects.filter(
                    Q(pk__in=Permission.objects.filter(user=user_obj).values("pk"))
                    | Q(pk__in=Permission.objects.filter(group__user=user_obj).values("pk"))
                    | Q(pk__in=Permission.objects.filter(roles__users=user_obj).values("pk"))
                )
            rows = perms.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
