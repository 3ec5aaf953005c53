# SPDX-License-Identifier: AGPL-3.0-or-later
"""Live notifications cross processes through Redis (issue 15): two real web servers and a
real worker against the same Redis; a browser connected to one server hears what happens in
the other and in the worker. Without REDIS_URL there is nothing to test (one process)."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.processes import Browser, forget_queued_sweeps, production_env, web_server
from tests.second_factor import app_of
from workflows.tasks import services as tasks
from workflows.tasks.models import TaskType

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="zonder REDIS_URL is er één proces"),
]


@pytest.fixture
def redis_env() -> dict[str, str]:
    """Both servers and the worker on the test run's Redis, with a prefix of their own."""
    return {"REDIS_URL": os.environ["REDIS_URL"], "IJAM_CHANNEL_PREFIX": secrets.token_hex(6)}


def _message(socket) -> dict:
    return json.loads(socket.recv(timeout=10))


def test_a_change_in_one_web_process_and_in_the_worker_reaches_a_socket_on_another(
    redis_env, director, case_awaiting, halt, halt_worker
):
    app_of(halt_worker)
    task = tasks.task_assign(
        case=case_awaiting,
        actor=director,
        task_type=TaskType.objects.get(code="schoolgesprek"),
        organisation=halt,
        instruction="Schoolgesprek",
    )
    with web_server(**redis_env) as first, web_server(**redis_env) as second:
        on_first, on_second = Browser(first), Browser(second)
        on_first.log_in(halt_worker)
        on_second.cookies = dict(on_first.cookies)  # the same person, another server
        with on_second.websocket() as socket:
            unread = _message(socket)["unread"]
            assert unread >= 1  # the assignment

            # Marked read through the first server: the socket on the second hears it.
            assert on_first.post("/meldingen/alles-gelezen/", {}).status_code == 302
            assert _message(socket) == {"unread": 0}

            # The worker's deadline sweep reminds the organisation: the socket hears that too.
            type(task).objects.filter(pk=task.pk).update(
                remind_at=timezone.now() - dt.timedelta(minutes=1)
            )
            from workflows.tasks.jobs import deadline_sweep

            forget_queued_sweeps()
            deadline_sweep.defer(timestamp=0)
            worker = subprocess.run(  # noqa: S603 - our own command
                [sys.executable, str(ROOT / "manage.py"), "procrastinate", "worker",
                 "--one-shot", "--queues", "default"],
                cwd=ROOT, env=production_env(**redis_env), capture_output=True, text=True,
                timeout=120,
            )  # fmt: skip
            assert worker.returncode == 0, worker.stderr
            assert _message(socket) == {"unread": 1}
