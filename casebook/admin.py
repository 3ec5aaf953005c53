# SPDX-License-Identifier: AGPL-3.0-or-later
"""Functional administration: configuration only. Case content is not in the admin at all.

Every change made here is written to the audit trail like any other change.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.forms.models import model_to_dict

from casebook.models import (
    AreaTeam,
    ClosureReason,
    District,
    GroupRole,
    Intervention,
    LevelCriterion,
    Neighbourhood,
    Organisation,
    Role,
    SignalCategory,
    User,
)
from casebook.services.audit import audit_record

SECRET_FIELDS = {"password"}


def _snapshot(obj) -> dict:
    data = model_to_dict(obj)
    return {
        key: (f"[{len(value)}]" if isinstance(value, list) else value)
        for key, value in data.items()
        if key not in SECRET_FIELDS
    }


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit event for every addition and change through the admin; nothing is
    deleted there (configuration is deactivated instead)."""

    def save_model(self, request, obj, form, change):
        before = _snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"admin.{'changed' if change else 'added'}",
                obj=obj,
                before=before,
                after=_snapshot(obj),
                reason="via functioneel beheer",
            )

    def has_delete_permission(self, request, obj=None):
        # Configuration is deactivated, not deleted, so history keeps its meaning.
        return False


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "is_group_core_partner", "is_active"]
    list_filter = ["kind", "is_group_core_partner", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    filter_horizontal = ["permissions"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "roles", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        ("Persoon", {"fields": ("first_name", "last_name", "email")}),
        ("Organisatie en rollen", {"fields": ("organisation", "roles", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "organisation", "roles")}),
    )
    filter_horizontal = ["roles"]


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["name", "code"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(AuditedAdmin):
    list_display = ["name", "code", "district", "social_area_team", "lwa_area_team"]
    list_filter = ["district"]
    search_fields = ["name", "code"]


@admin.register(AreaTeam)
class AreaTeamAdmin(AuditedAdmin):
    list_display = ["name", "kind"]


@admin.register(SignalCategory)
class SignalCategoryAdmin(AuditedAdmin):
    list_display = ["name", "group", "is_school_signal", "is_active"]
    list_filter = ["group", "is_active"]


@admin.register(ClosureReason)
class ClosureReasonAdmin(AuditedAdmin):
    list_display = ["name", "allowed_from_screening", "is_active", "order"]


@admin.register(LevelCriterion)
class LevelCriterionAdmin(AuditedAdmin):
    list_display = ["level", "order", "text", "any_of_group", "is_active"]
    list_filter = ["level", "is_active"]


@admin.register(Intervention)
class InterventionAdmin(AuditedAdmin):
    list_display = ["name", "provider", "min_age", "max_age", "default_duration_days", "cost_eur"]
    list_filter = ["provider", "is_active"]
    search_fields = ["name"]


@admin.register(GroupRole)
class GroupRoleAdmin(AuditedAdmin):
    list_display = ["name", "code", "order"]
