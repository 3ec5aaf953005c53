# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from casebook import views_accounts, views_second_factor

app_name = "accounts"
urlpatterns = [
    path("roltoekenningen/", views_accounts.role_grant_list, name="role-grants"),
    path(
        "roltoekenningen/<int:pk>/<slug:decision>/",
        views_accounts.role_grant_decide,
        name="role-grant-decide",
    ),
    # The second factor (ADR 0014): the log-in step, setting up the app, recovery codes.
    path("tweede-factor/", views_second_factor.second_factor_step, name="second-factor"),
    path(
        "tweede-factor/instellen/",
        views_second_factor.second_factor_enrol_page,
        name="second-factor-enrol",
    ),
    path("tweede-factor/herstelcodes/", views_second_factor.recovery_codes, name="recovery-codes"),
    # Its reset under four eyes: the beheerder asks, a second person decides.
    path(
        "tweede-factor/herstel/aanvragen/",
        views_second_factor.reset_request,
        name="second-factor-reset-request",
    ),
    path("tweede-factor/herstel/", views_second_factor.reset_list, name="second-factor-resets"),
    path(
        "tweede-factor/herstel/<int:pk>/<slug:decision>/",
        views_second_factor.reset_decide,
        name="second-factor-reset-decide",
    ),
]
