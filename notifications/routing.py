# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from notifications.consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/meldingen/", NotificationConsumer.as_asgi())]
