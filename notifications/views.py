# SPDX-License-Identifier: AGPL-3.0-or-later
"""The user's own notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from notifications.models import Notification


@login_required
@require_GET
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created_at")
    page = Paginator(notifications, 25).get_page(request.GET.get("pagina"))
    return render(request, "notifications/list.html", {"page_obj": page, "querystring": ""})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go where it points (only within IJAM)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "/"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:list")
