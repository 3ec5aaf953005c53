# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from workflows.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("nieuw/", views.group_create, name="create"),
    path("signaal/", views.group_signal, name="signal"),
    path("<int:pk>/<slug:kind>.pdf", views.group_document, name="document"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.group_action, name="action"),
    path("lid/<int:pk>/", views.member_detail, name="member"),
    path("lid/<int:pk>/<slug:action>/", views.member_action, name="member-action"),
]
