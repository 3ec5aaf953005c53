# SPDX-License-Identifier: AGPL-3.0-or-later
"""The KPIs as configuration for the functioneel beheerder: name, code, measure (from the
registry, never a query), target, dates, pillar. Every change is audited (``AuditedAdmin``);
a KPI is deactivated, not deleted. The manual values are the programme manager's, entered on
the dashboard: not here."""

from django.contrib import admin

from casebook.admin import AuditedAdmin
from reports.models import Kpi


@admin.register(Kpi)
class KpiAdmin(AuditedAdmin):
    list_display = ["code", "name", "pillar", "measure", "target_value", "target_date", "is_active"]
    list_filter = ["pillar", "measure", "is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["neighbourhoods"]
    fieldsets = [
        (None, {"fields": ["code", "name", "target_text", "pillar", "order", "is_active"]}),
        (
            "Meting en streefwaarde",
            {
                "fields": [
                    "measure",
                    "target_value",
                    "unit",
                    "direction",
                    "start_date",
                    "target_date",
                ]
            },
        ),
        ("Instellingen van de meting", {"fields": ["meeting_series", "neighbourhoods"]}),
    ]
