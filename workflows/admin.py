# SPDX-License-Identifier: AGPL-3.0-or-later
"""Functional administration of the workflow configuration (audited like the casebook's)."""

from django.contrib import admin

from casebook.admin import AuditedAdmin
from workflows.models import AttendanceRule, LevelSetting, MeetingSeries, TaskType


@admin.register(TaskType)
class TaskTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "norm_amount", "norm_unit", "result_required", "is_active"]
    list_filter = ["norm_unit", "is_active"]


@admin.register(LevelSetting)
class LevelSettingAdmin(AuditedAdmin):
    list_display = ["level", "evaluation_weeks"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(AuditedAdmin):
    list_display = ["name", "level", "first_date", "weekday_time", "every_weeks", "is_active"]
    filter_horizontal = ["member_organisations"]


@admin.register(AttendanceRule)
class AttendanceRuleAdmin(AuditedAdmin):
    list_display = ["organisation_kind", "condition", "is_active"]
