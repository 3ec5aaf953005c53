# SPDX-License-Identifier: AGPL-3.0-or-later
"""Permissions come from the user's roles (database rows), on top of Django's own."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(roles__users=user_obj) | super()._get_group_permissions(
            user_obj
        )
