# SPDX-License-Identifier: AGPL-3.0-or-later
"""In-app notifications: the list, opening one, and the live count over the websocket."""

from __future__ import annotations

import pytest
from asgiref.testing import ApplicationCommunicator
from django.db import connections, transaction
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify


@pytest.mark.django_db
def test_director_sees_and_opens_the_new_signal_notification(client, director, case_awaiting):
    client.force_login(director)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"casus {case_awaiting.reference}" in page
    assert "Nieuw:" in page
    note = Notification.objects.get(recipient=director)
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response.url == reverse("casebook:case-detail", args=[case_awaiting.pk])
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.django_db
def test_someone_elses_notification_cannot_be_opened(
    client, director, police_officer, case_awaiting
):
    note = Notification.objects.get(recipient=director)
    client.force_login(police_officer)
    assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404


def websocket(user, session_key: str | None = None) -> ApplicationCommunicator:
    """A websocket client for /ws/meldingen/, logged in as ``user`` (channels' own test
    communicator needs daphne; asgiref's is the same thing underneath)."""
    from ijam.asgi import application

    headers = [(b"host", b"localhost"), (b"origin", b"http://localhost")]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    scope = {
        "type": "websocket",
        "path": "/ws/meldingen/",
        "query_string": b"",
        "headers": headers,
        "subprotocols": [],
        "user": user,
    }
    return ApplicationCommunicator(application, scope)


def run_in_own_thread(scenario) -> None:
    """Run an async test scenario on a fresh event loop in its own thread, as a server would:
    database calls then use their own connection instead of closing the test's."""
    import asyncio
    import threading

    errors: list[BaseException] = []

    def target():
        try:
            asyncio.run(scenario())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)
    if errors:
        raise errors[0]


async def receive_json(communicator) -> dict:
    import json

    message = await communicator.receive_output(timeout=5)
    assert message["type"] == "websocket.send", message
    return json.loads(message["text"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_unread_count_is_pushed_live(director):
    from channels.db import database_sync_to_async

    session_key = _verified_session(director)

    async def scenario():
        communicator = websocket(director, session_key)
        await communicator.send_input({"type": "websocket.connect"})
        assert (await communicator.receive_output(timeout=5))["type"] == "websocket.accept"
        assert await receive_json(communicator) == {"unread": 0}

        @database_sync_to_async
        def send():
            with transaction.atomic():
                notify(recipients=[director], message="Test", url="/")

        await send()
        assert await receive_json(communicator) == {"unread": 1}
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(timeout=5)

    run_in_own_thread(scenario)


def _verified_session(user) -> str:
    """A session that passed the second factor (the wrapped ``force_login``, conftest.py)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.session.session_key


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_without_the_second_factor_gets_no_websocket(director):
    """ADR 0014: signed in with the password only, no live count either."""
    from django.test import Client

    from tests.second_factor import login_without_second_factor

    client = Client()
    login_without_second_factor(client, director)
    session_key = client.session.session_key

    async def scenario():
        communicator = websocket(director, session_key)
        await communicator.send_input({"type": "websocket.connect"})
        assert (await communicator.receive_output(timeout=5))["type"] == "websocket.close"

    run_in_own_thread(scenario)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymous_websocket_is_refused():
    from django.contrib.auth.models import AnonymousUser

    async def scenario():
        communicator = websocket(AnonymousUser())
        await communicator.send_input({"type": "websocket.connect"})
        assert (await communicator.receive_output(timeout=5))["type"] == "websocket.close"

    run_in_own_thread(scenario)
