# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from casebook import views

app_name = "casebook"
urlpatterns = [
    path("casussen/", views.case_list_view, name="case-list"),
    path("casussen/<int:pk>/", views.case_detail, name="case-detail"),
    path("casussen/<int:pk>/samenvatting.pdf", views.case_summary_pdf, name="case-summary-pdf"),
    path("casussen/<int:pk>/gegevens/", views.case_details, name="case-details"),
    path("casussen/<int:pk>/familie/", views.case_family_add, name="case-family-add"),
    path("casussen/<int:pk>/plan/doel/", views.case_plan_goal, name="case-plan-goal"),
    path(
        "casussen/<int:pk>/plan/interventie/",
        views.case_plan_intervention,
        name="case-plan-intervention",
    ),
    path("casussen/<int:pk>/taak/", views.case_task_assign, name="case-task-assign"),
    path(
        "casussen/<int:pk>/betrokkenheid/<int:organisation_pk>/beeindigen/",
        views.case_involvement_end,
        name="case-involvement-end",
    ),
    path("casussen/spoedtoegang/", views.emergency_access, name="emergency-access"),
    path("privacy/doorbraken/", views.emergency_queue, name="emergency-queue"),
    path("privacy/toegang/", views.access_overview_view, name="access-overview"),
    path("privacy/toegang/pdf/", views.access_overview_pdf, name="access-overview-pdf"),
    path("privacy/bewaartermijnen/", views.retention_plan_view, name="retention-plan"),
    path(
        "privacy/doorbraken/<int:pk>/beoordelen/",
        views.emergency_review,
        name="emergency-review",
    ),
    path("casussen/<int:pk>/rio-traject/", views.case_rio_track, name="case-rio-track"),
    path("casussen/<int:pk>/koppelen/", views.case_link_duplicate, name="case-link-duplicate"),
    path(
        "casussen/<int:pk>/<slug:move>/",
        views.case_transition,
        name="case-transition",
    ),
    path("signalen/melden/", views.signal_register_view, name="signal-register"),
    path("signalen/mogelijke-dubbelen/", views.signal_duplicates, name="signal-duplicates"),
    path("signalen/mijn/", views.my_signals_view, name="my-signals"),
    path("signalen/<int:pk>/<slug:action>/", views.signal_action, name="signal-action"),
]
