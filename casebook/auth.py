# SPDX-License-Identifier: AGPL-3.0-or-later
"""Permissions come from the user's roles (database rows), on top of Django's own."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleBackend(ModelBackend):
    """Django's model backend, plus role permissions, in one query per request."""

    def get_user(self, user_id):
        user_model = get_user_model()
        user = user_model._default_manager.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                perms = Permission.objects.filter(
                    Q(user=user_obj) | Q(group__user=user_obj) | Q(roles__users=user_obj)
                )
            rows = perms.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
