# SPDX-License-Identifier: AGPL-3.0-or-later
"""Live notification count for the logged-in user."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from casebook.oidc import IDP_VERIFIED_SESSION_KEY
from notifications.models import Notification
from notifications.services import user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not await self._verified(user):
            await self.close()
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_count()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notification_new(self, event):
        await self.send_count()

    async def send_count(self):
        await self.send_json({"unread": await self._unread()})

    @database_sync_to_async
    def _verified(self, user) -> bool:
        """Whether a second factor verified the session, as ``OTPMiddleware`` decides for a
        page (ADR 0014): a session that stopped at the second-factor step gets no socket."""
        if self.scope["session"].get(IDP_VERIFIED_SESSION_KEY) == user.pk:
            return True  # the municipality's IdP verified a second factor (ADR 0018)
        persistent_id = self.scope["session"].get(DEVICE_ID_SESSION_KEY)
        device = Device.from_persistent_id(persistent_id) if persistent_id else None
        return device is not None and device.user_id == user.pk and device.confirmed

    @database_sync_to_async
    def _unread(self) -> int:
        return Notification.objects.filter(
            recipient=self.scope["user"], read_at__isnull=True
        ).count()
