# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Rapportages voor de stuurgroep"
    default_auto_field = "django.db.models.BigAutoField"
