# SPDX-License-Identifier: AGPL-3.0-or-later
"""For tests that start IJAM's real processes (web server, worker, commands) as subprocesses."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import requests
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from websockets.sync.client import connect

from ijam.__main__ import web_server_command
from tests.second_factor import app_of, current_code
from tests.test_secret_key import STRONG_KEY, free_port, production

PASSWORD = "geheim-wachtwoord-123"  # noqa: S105 - the test users' password (tests/factories.py)


def subprocess_database_url() -> str:
    """The test database as a ``DATABASE_URL``, for a process started by a test (the test
    settings name it; the tests' transactional data is committed there)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = quote(s.get("HOST") or "127.0.0.1", safe="")  # a socket folder: %2F…
    port = s.get("PORT") or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production process (README) against the test database."""
    env = production(
        STRONG_KEY,
        DATABASE_URL=subprocess_database_url(),
        IJAM_AUDIT_KEY="k" * 40,
        IJAM_PSEUDONYM_KEY="p" * 40,
        IJAM_SERVE_STATIC="1",
    )
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


@contextmanager
def web_server(**env: str) -> Iterator[str]:
    """The real web server on a free port, as ``./ijam.sh start`` runs it, against the test
    database; yields its base URL. ``env`` adds to the production environment. Its output
    goes to a file (a pipe nobody reads would block it once full) and is shown on failure."""
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command
            web_server_command("127.0.0.1", port),
            env=production_env(**env),
            stdout=log,
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
            assert process.poll() is None, _output(log)
            yield base
        except BaseException:
            print(f"--- uitvoer van de webserver op {base} ---\n{_output(log)}")  # noqa: T201
            raise
        finally:
            process.terminate()
            process.wait(timeout=15)


def _output(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-20000:]


def argon2_password(user) -> None:
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
        argon2_password(user)
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


def forget_queued_sweeps() -> None:
    """A real worker started by a test defers the periodic deadline sweep (queueing lock
    ``deadline-sweep``), and procrastinate's table outlives the tests' flushes: a test that
    defers the sweep itself clears such a leftover first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE queueing_lock = 'deadline-sweep' "
            "AND status = 'todo'"
        )
