# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from casebook import views

app_name = "reports"
urlpatterns = [path("", views.reports_overview, name="overview")]
