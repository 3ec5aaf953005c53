# SPDX-License-Identifier: AGPL-3.0-or-later
"""Functional administration of the case tables: series and attendance rules (audited)."""

from django.contrib import admin
from django.utils import timezone

from casebook.admin import AuditedAdmin
from workflows.meetings.models import AttendanceRule, MeetingSeries
from workflows.meetings.services import PLANNING_HORIZON, sittings_generate


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(AuditedAdmin):
    list_display = ["name", "level", "first_date", "weekday_time", "every_weeks", "is_active"]
    filter_horizontal = ["member_organisations"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_active:  # a new series is planned at once; a changed one from its next slot
            sittings_generate(series=obj, until=timezone.localdate() + PLANNING_HORIZON)


@admin.register(AttendanceRule)
class AttendanceRuleAdmin(AuditedAdmin):
    list_display = ["organisation_kind", "condition", "is_active"]
