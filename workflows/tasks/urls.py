# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from workflows.tasks import views

app_name = "workflows"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("overzicht/", views.overview_view, name="overview"),
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/<slug:action>/", views.task_action, name="task-action"),
]
