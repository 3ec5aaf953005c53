# SPDX-License-Identifier: AGPL-3.0-or-later
"""Functional administration of the level flows' settings (audited like the casebook's)."""

from django.contrib import admin

from casebook.admin import AuditedAdmin
from workflows.ladder.models import LevelSetting


@admin.register(LevelSetting)
class LevelSettingAdmin(AuditedAdmin):
    list_display = ["level", "evaluation_weeks"]
