# SPDX-License-Identifier: AGPL-3.0-or-later
"""Functional administration of the kinds of partner work (audited like the casebook's)."""

from django.contrib import admin

from casebook.admin import AuditedAdmin
from workflows.tasks.models import TaskType


@admin.register(TaskType)
class TaskTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "norm_amount", "norm_unit", "result_required", "is_active"]
    list_filter = ["norm_unit", "is_active"]
