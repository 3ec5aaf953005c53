# SPDX-License-Identifier: AGPL-3.0-or-later
"""Production refuses to start with a weak or default SECRET_KEY (ijam/secret_key.py): the web
server and the worker as the README starts them, and every management command, each exit with
a Dutch message; a strong key starts. With DEBUG on (the demo) the development key is fine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from ijam.__main__ import web_server_command
from ijam.secret_key import DEVELOPMENT_SECRET_KEY, weaknesses

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "Vq3p_Zr8-Lw2Nx7cT4kJm9Hs6Ga1Ye5Ub0Oi~Rf.Ed3Wq8Tz2Xn7Cv4Bm9Kl6Jh1"


def production(secret_key: str | None, **extra: str) -> dict[str, str]:
    """The environment of a production process (README, "Production")."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijam.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,ijam.maastricht.example",
        "SECURE_SSL_REDIRECT": "0",
        **extra,
    }
    env.pop("SECRET_KEY", None)  # the test settings put theirs into this process's environment
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    return env


def uvicorn(port: int) -> list[str]:
    return web_server_command("127.0.0.1", port)  # as ./ijam.sh start runs it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


WEAK_KEYS = {
    "one character": "x",
    "an obvious word": "changeme",
    "Django's generated development key": "django-insecure-" + "k3j4h5g6f7d8s9a0" * 3,
    "IJAM's development key": DEVELOPMENT_SECRET_KEY,
    "49 characters": "Vq3p_Zr8-Lw2Nx7cT4kJm9Hs6Ga1Ye5Ub0Oi~Rf.Ed3Wq8Tz2",
    "four different characters": "abcd" * 20,
}


@pytest.mark.parametrize("name", list(WEAK_KEYS))
def test_weak_keys_are_named_weak_and_a_strong_one_not(name):
    assert weaknesses(WEAK_KEYS[name]), name
    assert weaknesses(STRONG_KEY) == []


@pytest.mark.parametrize("name", ["one character", "IJAM's development key"])
def test_the_web_server_refuses_to_start_with_a_weak_key(name):
    result = subprocess.run(  # noqa: S603 - a fixed command
        uvicorn(free_port()),
        cwd=ROOT,
        env=production(WEAK_KEYS[name]),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is te zwak voor productie" in result.stderr, result.stderr[-2000:]


def test_the_worker_and_management_commands_refuse_a_weak_key():
    for command in (["procrastinate", "worker"], ["migrate", "--check"], ["check", "--deploy"]):
        result = subprocess.run(  # noqa: S603 - a fixed command
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=production("changeme"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0, command
        assert "SECRET_KEY is te zwak voor productie" in result.stderr, command


def test_the_web_server_starts_and_answers_with_a_strong_key():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed command
        uvicorn(port),
        cwd=ROOT,
        env=production(STRONG_KEY),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while status is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen/", timeout=5) as r:  # noqa: S310
                    status = r.status
            except OSError:
                time.sleep(0.3)
        assert status == 200, server.stderr.read() if server.poll() is not None else "no answer"
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_the_system_check_refuses_a_weak_key_set_by_a_deployments_own_settings(tmp_path):
    """A deployment may keep its own settings module that imports ours and sets the key
    afterwards; then the check (run by every management command) refuses it."""
    (tmp_path / "deployment_settings.py").write_text(
        "from ijam.settings import *  # noqa\nSECRET_KEY = 'secret'\n"
    )
    env = production(
        STRONG_KEY,
        DJANGO_SETTINGS_MODULE="deployment_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
    )
    result = subprocess.run(  # noqa: S603 - a fixed command
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ijam.E001" in result.stderr and "te zwak" in result.stderr, result.stderr


def ijam_errors() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.id == "ijam.E001"]


def test_the_system_check_passes_a_strong_key_and_the_demo():
    with override_settings(DEBUG=False, SECRET_KEY=STRONG_KEY):
        assert ijam_errors() == []
    with override_settings(DEBUG=True, SECRET_KEY=DEVELOPMENT_SECRET_KEY):
        assert ijam_errors() == []  # the demo (./ijam.sh start sets DEBUG=1) keeps working
    with override_settings(DEBUG=False, SECRET_KEY=DEVELOPMENT_SECRET_KEY):
        assert [e.level for e in ijam_errors()] == [checks.ERROR]
