# SPDX-License-Identifier: AGPL-3.0-or-later
"""The user's own notifications."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casebook.policy import Act, Subject
from casebook.services.processing import log_subjects
from casebook.web import requires
from notifications.forms import NotificationFilterForm, PreferencesForm
from notifications.models import Notification
from notifications.selectors import (
    delivery_preferences,
    digest_schedule,
    notifications_of,
    target_still_open,
)
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preferences_save,
)


@requires(Act.VIEW, Subject.NOTIFICATION)
@require_GET
def notification_list(request):
    form = NotificationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    notifications = notifications_of(
        request.user, kind=data.get("soort") or "", unread_only=bool(data.get("ongelezen"))
    )
    page = Paginator(notifications, 25).get_page(request.GET.get("pagina"))
    # A notification naming a youth's case or task is a processing of that youth (ADR 0017).
    by_activity = defaultdict(list)
    for notification in page:
        if notification.youth_id and notification.processing_activity:
            by_activity[notification.processing_activity].append(notification.youth_id)
    for activity, youth_ids in by_activity.items():
        log_subjects(activity, youth_ids, "notification_list.viewed")
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "form": form, "querystring": query.urlencode()},
    )


@requires(Act.VIEW, Subject.NOTIFICATION)
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go where it points (only within IJAM); when it
    points to a case the user may no longer see, say so instead of a bare 404."""
    try:
        notification = notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "/"
    if not target_still_open(request.user, target):
        return render(request, "notifications/access_ended.html", {"notification": notification})
    return redirect(target)


@requires(Act.VIEW, Subject.NOTIFICATION)
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    chosen = delivery_preferences(request.user)
    schedule = digest_schedule(request.user)
    initial = {"send_at": schedule.send_at, "time_zone": schedule.time_zone}
    form = PreferencesForm(request.POST or None, initial=initial, deliveries=chosen)
    if request.method == "POST" and form.is_valid():
        preferences_save(
            user=request.user,
            deliveries=form.deliveries(),
            send_at=form.cleaned_data["send_at"],
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, "Uw voorkeuren voor meldingen zijn opgeslagen.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@requires(Act.VIEW, Subject.NOTIFICATION)
@require_POST
def notification_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")
