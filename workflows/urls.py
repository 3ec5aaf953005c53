# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from workflows import views

app_name = "workflows"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("overzicht/", views.overview_view, name="overview"),
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/<slug:action>/", views.task_action, name="task-action"),
    path("casus/<int:case_pk>/toewijzen/", views.task_assign_view, name="task-assign"),
    path("casus/<int:case_pk>/rio-traject/", views.rio_track_view, name="rio-track"),
]
