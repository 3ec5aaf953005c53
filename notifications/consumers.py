# SPDX-License-Identifier: AGPL-3.0-or-later
"""Live notification count for the logged-in user."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from casebook import policy
from casebook.oidc import IDP_VERIFIED_SESSION_KEY
from casebook.policy import Act, Subject
from notifications.models import Notification
from notifications.services import (
    WORKLOAD_GROUP,
    case_group,
    organisation_work_group,
    user_group,
)

#: A page follows one case; a socket never joins more than this many groups.
MAX_GROUPS = 20


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not await self._verified(user):
            await self.close()
            return
        self.groups_joined = [user_group(user.pk), *await self._work_groups(user)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_count()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """A page asks to follow one case (``{"follow": "case", "id": 5}``): it joins the
        case's group only if the policy lets the user open that case; otherwise nothing
        happens, as if the case did not exist. Anything else is ignored."""
        if not isinstance(content, dict) or content.get("follow") != "case":
            return
        case_id = content.get("id")
        if not isinstance(case_id, int) or isinstance(case_id, bool) or case_id <= 0:
            return
        group = case_group(case_id)
        if group in self.groups_joined or len(self.groups_joined) > MAX_GROUPS:
            return
        if await self._may_see_case(case_id):
            self.groups_joined.append(group)
            await self.channel_layer.group_add(group, self.channel_name)

    async def notification_new(self, event):
        if isinstance(event.get("unread"), int):  # counted by the sender, for everyone at once
            await self.send_json({"unread": event["unread"]})
        else:
            await self.send_count()

    async def live_changed(self, event):
        await self.send_json({"changed": event["topic"]})

    async def send_count(self):
        await self.send_json({"unread": await self._unread()})

    @database_sync_to_async
    def _work_groups(self, user) -> list[str]:
        """The live lists the user's roles show: the organisation's inbox for its task
        workers, the work overview for those who may see it."""
        groups = []
        if user.organisation_id and policy.may(user, Act.WORK, Subject.TASK):
            groups.append(organisation_work_group(user.organisation_id))
        if policy.may(user, Act.VIEW, Subject.WORKLOAD):
            groups.append(WORKLOAD_GROUP)
        return groups

    @database_sync_to_async
    def _may_see_case(self, case_id: int) -> bool:
        return policy.cases(self.scope["user"]).filter(pk=case_id).exists()

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
