# SPDX-License-Identifier: AGPL-3.0-or-later
"""The web server a user starts serves the live notifications (issue 15).

Every other live test talks to the consumer inside the test process; those passed for months
while the real server answered every websocket with a 404, because uvicorn had no websocket
library. Here the server is started as ``./ijam.sh start`` starts it
(``ijam.__main__.web_server_command``, with the production environment of the README), a
person logs in over HTTP with password and second factor, opens ``/ws/meldingen/`` and sees
the unread count, and the count changes live when they mark everything read in another tab.
"""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from notifications.services import notify
from tests.processes import PASSWORD, Browser, argon2_password, web_server
from tests.second_factor import app_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def server():
    """The real web server on a free port, as ``./ijam.sh start`` runs it, against the test
    database (one process: the in-memory channel layer is enough here)."""
    with web_server() as base:
        yield base


def _message(socket) -> dict:
    return json.loads(socket.recv(timeout=10))


def test_the_started_server_pushes_the_unread_count_over_a_websocket(server, director):
    app_of(director)
    for n in range(2):
        notify(recipients=[director], message=f"Nieuw {n}", url="/casussen/")
    browser = Browser(server)
    browser.log_in(director)

    with browser.websocket() as socket:
        assert _message(socket) == {"unread": 2}
        # Another tab marks everything read: this tab's count follows without a reload.
        other_tab = browser.post("/meldingen/alles-gelezen/", {})
        assert other_tab.status_code == 302
        assert _message(socket) == {"unread": 0}


def test_the_started_server_refuses_the_websocket_before_the_second_factor(server, halt_worker):
    partner = halt_worker
    app_of(partner)
    browser = Browser(server)
    argon2_password(partner)
    browser.get("/inloggen/")
    browser.post("/inloggen/", {"username": partner.username, "password": PASSWORD})

    with pytest.raises((InvalidStatus, ConnectionClosed)), browser.websocket() as socket:
        socket.recv(timeout=5)  # accepted and then closed would be a refusal too
