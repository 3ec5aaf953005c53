# SPDX-License-Identifier: AGPL-3.0-or-later
"""The user's own notifications."""

from __future__ import annotations

from collections import defaultdict

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from casebook.policy import Act, Subject
from casebook.services.processing import log_subjects
from casebook.web import requires
from notifications.models import Notification
from notifications.selectors import notifications_of
from notifications.services import notification_mark_read, notifications_mark_all_read


@requires(Act.VIEW, Subject.NOTIFICATION)
@require_GET
def notification_list(request):
    notifications = notifications_of(request.user)
    page = Paginator(notifications, 25).get_page(request.GET.get("pagina"))
    # A notification naming a youth's case or task is a processing of that youth (ADR 0017).
    by_activity = defaultdict(list)
    for notification in page:
        if notification.youth_id and notification.processing_activity:
            by_activity[notification.processing_activity].append(notification.youth_id)
    for activity, youth_ids in by_activity.items():
        log_subjects(activity, youth_ids, "notification_list.viewed")
    return render(request, "notifications/list.html", {"page_obj": page, "querystring": ""})


@requires(Act.VIEW, Subject.NOTIFICATION)
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go where it points (only within IJAM)."""
    try:
        notification = notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "/"
    return redirect(target)


@requires(Act.VIEW, Subject.NOTIFICATION)
@require_POST
def notification_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")
