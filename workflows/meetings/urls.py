# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from workflows.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_calendar, name="calendar"),
    path("plannen/", views.meeting_schedule, name="schedule"),
    path("casus/<int:case_pk>/voorstel-<slug:direction>/", views.case_propose, name="propose"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("<int:pk>/verslag-<int:version>.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("<int:pk>/verslag/<slug:action>/", views.minutes_action, name="minutes-action"),
    path("verslagpunt/<int:pk>/<slug:action>/", views.minutes_item_action, name="minutes-item"),
    path("<int:pk>/<slug:action>/", views.meeting_action, name="action"),
    path("agendapunt/<int:pk>/<slug:action>/", views.agenda_item_action, name="item-action"),
]
