# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from casebook import views_accounts

app_name = "accounts"
urlpatterns = [
    path("roltoekenningen/", views_accounts.role_grant_list, name="role-grants"),
    path(
        "roltoekenningen/<int:pk>/<slug:decision>/",
        views_accounts.role_grant_decide,
        name="role-grant-decide",
    ),
]
