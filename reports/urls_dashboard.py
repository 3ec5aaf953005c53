# SPDX-License-Identifier: AGPL-3.0-or-later
"""The stuurgroep's pages, under /stuurgroep/."""

from django.urls import path

from reports import views_dashboard

app_name = "stuurgroep"
urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("export.<str:fmt>", views_dashboard.dashboard_export, name="dashboard-export"),
    path("kpi-waarde/", views_dashboard.kpi_value_record, name="kpi-value"),
]
