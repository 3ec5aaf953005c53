# SPDX-License-Identifier: AGPL-3.0-or-later
"""Functional administration of the case tables: series and attendance rules (audited)."""

from django.contrib import admin

from casebook.admin import AuditedAdmin
from workflows.meetings.models import AttendanceRule, MeetingSeries


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(AuditedAdmin):
    list_display = ["name", "level", "first_date", "weekday_time", "every_weeks", "is_active"]
    filter_horizontal = ["member_organisations"]


@admin.register(AttendanceRule)
class AttendanceRuleAdmin(AuditedAdmin):
    list_display = ["organisation_kind", "condition", "is_active"]
