# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("pdf/", views.overview_pdf, name="overview-pdf"),
    path("export.<str:fmt>", views.overview_export, name="overview-export"),
]
