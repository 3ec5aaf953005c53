# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casebook import oidc
from casebook import views as casebook_views
from ijam import health, sessions

admin.site.site_header = "IJAM — functioneel beheer"
admin.site.site_title = "IJAM beheer"
admin.site.index_title = "Configuratie"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # Sign-in through the municipality's IdP (404 unless OIDC_RP_CLIENT_ID is set).
    path("inloggen/idp/", oidc.SignInView.as_view(), name="oidc-sign-in"),
    path("inloggen/idp/terug/", oidc.CallbackView.as_view(), name="oidc-callback"),
    # The session's time left (not activity) and "Ingelogd blijven" (ijam/sessions.py).
    path("sessie/status/", sessions.session_status, name="session-status"),
    path("sessie/verlengen/", sessions.session_renew, name="session-renew"),
    # The link a user gets to set their own password (nobody sets it for them; ADR 0011).
    path(
        "wachtwoord/instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("casebook.urls_accounts")),
    path("beheer/", admin.site.urls),
    path("rapportages/", include("reports.urls")),
    path("stuurgroep/", include("reports.urls_dashboard")),
    path("meldingen/", include("notifications.urls")),
    path("taken/", include("workflows.tasks.urls")),
    path("overleg/", include("workflows.meetings.urls")),
    path("groepen/", include("workflows.groups.urls")),
    path("", include("casebook.urls")),
    path("", casebook_views.home, name="home"),
]
