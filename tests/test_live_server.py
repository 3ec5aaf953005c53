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
import subprocess
import time

import pytest
import requests
from django.contrib.auth.hashers import Argon2PasswordHasher
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from ijam.__main__ import web_server_command
from notifications.services import notify
from tests.processes import subprocess_database_url
from tests.second_factor import app_of, current_code
from tests.test_secret_key import STRONG_KEY, free_port, production

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "geheim-wachtwoord-123"  # noqa: S105 - the test users' password (tests/factories.py)


@pytest.fixture
def server():
    """The real web server on a free port, as ``./ijam.sh start`` runs it, against the test
    database; its output is kept for the assertion messages."""
    port = free_port()
    env = production(
        STRONG_KEY,
        DATABASE_URL=subprocess_database_url(),
        IJAM_AUDIT_KEY="k" * 40,
        IJAM_PSEUDONYM_KEY="p" * 40,
        IJAM_SERVE_STATIC="1",
    )
    env.pop("REDIS_URL", None)  # one process: the in-memory channel layer is enough here
    process = subprocess.Popen(  # noqa: S603 - a fixed command
        web_server_command("127.0.0.1", port),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(f"{base}/inloggen/", timeout=5)
            break
        except requests.ConnectionError:
            time.sleep(0.3)
    try:
        assert process.poll() is None, process.stdout.read()
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def _argon2_password(user) -> None:
    """The test settings hash with MD5 (fast); the production server knows only the real
    hashers, so the user gets the password hashed as production hashes it."""
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])


class Browser:
    """Just enough of a browser: it keeps the cookies (Secure ones too: the server is behind
    a TLS proxy in production, here it is plain HTTP on 127.0.0.1) and sends the CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, data: dict | None = None) -> requests.Response:
        headers = {"Cookie": self.cookie_header()}
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            headers["Referer"] = self.base + path
        response = requests.request(
            method, self.base + path, data=data, headers=headers, allow_redirects=False, timeout=20
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path: str) -> requests.Response:
        return self._send("GET", path)

    def post(self, path: str, data: dict) -> requests.Response:
        return self._send("POST", path, data)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def log_in(self, user) -> None:
        _argon2_password(user)
        self.get("/inloggen/")
        step = self.post("/inloggen/", {"username": user.username, "password": PASSWORD})
        assert step.status_code == 302, "het wachtwoord werd niet aanvaard"
        # The password is right: wherever the log-in sends us, the second factor comes first.
        landing = self.get(step.headers["Location"])
        assert landing.status_code == 302 and "/tweede-factor/" in landing.headers["Location"]
        self.get(landing.headers["Location"])
        done = self.post("/tweede-factor/", {"code": current_code(app_of(user))})
        assert done.status_code == 302, done.text
        assert "/tweede-factor/" not in done.headers["Location"]

    def websocket(self):
        return connect(
            self.base.replace("http://", "ws://") + "/ws/meldingen/",
            additional_headers={"Cookie": self.cookie_header(), "Origin": self.base},
            open_timeout=10,
        )


def _message(socket) -> dict:
    return json.loads(socket.recv(timeout=5))


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
    _argon2_password(partner)
    browser.get("/inloggen/")
    browser.post("/inloggen/", {"username": partner.username, "password": PASSWORD})

    with pytest.raises((InvalidStatus, ConnectionClosed)), browser.websocket() as socket:
        socket.recv(timeout=5)  # accepted and then closed would be a refusal too
