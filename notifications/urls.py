# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/openen/", views.notification_open, name="open"),
    path("alles-gelezen/", views.notification_read_all, name="read-all"),
    path("voorkeuren/", views.notification_preferences, name="preferences"),
]
