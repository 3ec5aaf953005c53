# SPDX-License-Identifier: AGPL-3.0-or-later
"""Case-table pages: the calendar of sittings and a sitting with its agenda."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from casebook.errors import IjamError
from casebook.selectors.cases import VIEW_ALL, visible_cases
from casebook.services.audit import audit_read
from workflows.models import AgendaItem, Meeting, MeetingSeries
from workflows.services import meetings as services
from workflows.services.tasks import ASSIGN_PERMISSION

CALENDAR_WEEKS = 8


def _may_see_meetings(user) -> bool:
    return user.has_perm(VIEW_ALL) or user.has_perm("workflows.work_on_task")


@login_required
@require_GET
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    if not _may_see_meetings(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    until = today + dt.timedelta(weeks=CALENDAR_WEEKS)
    for series in MeetingSeries.objects.filter(is_active=True):
        services.sittings_generate(series=series, until=until)
    start = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    sittings = (
        Meeting.objects.filter(
            starts_at__gte=start, starts_at__lte=start + dt.timedelta(weeks=CALENDAR_WEEKS)
        )
        .select_related("series")
        .order_by("starts_at")
    )
    return render(request, "workflows/meeting_calendar.html", {"sittings": sittings})


def _meeting_context(request, meeting: Meeting) -> dict:
    is_director = request.user.has_perm(ASSIGN_PERMISSION)
    items = list(services.agenda_for_user(meeting=meeting, user=request.user))
    if is_director:
        for item in items:
            item.invited = services.invited_organisations(case=item.case, series=meeting.series)
    return {
        "meeting": meeting,
        "items": items,
        "is_director": is_director,
        "can_edit": is_director and meeting.status == Meeting.Status.PLANNED,
    }


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_see_meetings(request.user):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("series"), pk=pk)
    audit_read(actor=request.user, obj=meeting, what="meeting")
    return render(request, "workflows/meeting_detail.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not request.user.has_perm(ASSIGN_PERMISSION):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("series"), pk=pk)
    try:
        if action == "agenda-opbouwen":
            added = services.agenda_build(meeting=meeting, actor=request.user)
            messages.success(request, f"{added} casus(sen) op de agenda gezet.")
        elif action == "casus-toevoegen":
            reference = request.POST.get("case", "").strip().upper().removeprefix("IJAM-")
            case = (
                visible_cases(request.user).filter(pk=int(reference)).first()
                if reference.isdigit()
                else None
            )
            if case is None:
                raise IjamError("Geen casus gevonden met dit nummer.")
            services.agenda_add(meeting=meeting, actor=request.user, case=case)
            messages.success(request, f"{case.reference} staat op de agenda.")
        elif action == "versturen":
            tasks = services.agenda_publish(meeting=meeting, actor=request.user)
            messages.success(
                request, f"De agenda is verstuurd; {len(tasks)} informatieverzoek(en) uitgezet."
            )
        else:
            raise Http404
    except IjamError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def agenda_item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not request.user.has_perm(ASSIGN_PERMISSION):
        raise PermissionDenied
    item = get_object_or_404(AgendaItem.objects.select_related("case", "case__youth"), pk=pk)
    try:
        if action in ("omhoog", "omlaag"):
            services.agenda_move(item=item, actor=request.user, up=action == "omhoog")
        elif action == "verwijderen":
            services.agenda_remove(item=item, actor=request.user)
            messages.success(request, f"{item.case.reference} is van de agenda gehaald.")
        else:
            raise Http404
    except IjamError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:detail", pk=item.meeting_id)
