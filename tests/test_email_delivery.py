# SPDX-License-Identifier: AGPL-3.0-or-later
"""The e-mail of a notification goes out at most once, whatever moment the worker dies
(issue 15, ADR 0019).

A real worker process (``manage.py procrastinate worker``, as ``./ijam.sh start`` runs it) is
killed with SIGKILL while it sends; the stalled-job recovery requeues its job (the command an
operator would run, the same function the worker runs every minute), and another worker
finishes the queue. The message is never sent twice, the notification says "bezorging
onzeker" where the outcome is unknown, and no job stays 'doing'.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client

from notifications.jobs import deliver_notification_email, message_id
from notifications.models import EmailState, Notification
from notifications.services import notify
from tests.processes import subprocess_database_url

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _env(folder: Path, pause: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.pausing_mail",
        "DATABASE_URL": subprocess_database_url(),
        "IJAM_TEST_MAIL_DIR": str(folder),
        "IJAM_TEST_MAIL_PAUSE": pause,
    }


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def _worker(folder: Path, pause: str = "", *, one_shot: bool = False) -> subprocess.Popen:
    command = _manage("procrastinate", "worker", "--queues", "notifications")
    if one_shot:
        command.append("--one-shot")
    return subprocess.Popen(  # noqa: S603 - our own command
        command, cwd=ROOT, env=_env(folder, pause), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _sent(folder: Path) -> list[str]:
    path = folder / "sent"
    return path.read_text().splitlines() if path.exists() else []


def _job_statuses(notification: Notification) -> list[str]:
    """The states of the e-mail jobs of one notification (procrastinate's table outlives
    the tests' flushes, so other tests' jobs may be there)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status FROM procrastinate_jobs WHERE queue_name = 'notifications' "
            "AND (args->>'notification_id')::bigint = %s",
            [notification.pk],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _kill_while_sending(folder: Path, pause: str, notification: Notification) -> None:
    worker = _worker(folder, pause)
    deadline = time.monotonic() + 60
    while not (folder / "started").exists():
        assert worker.poll() is None, worker.stdout.read()
        assert time.monotonic() < deadline, "the worker never began to send"
        time.sleep(0.1)
    time.sleep(0.2)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert _job_statuses(notification) == [
        "doing"
    ]  # what a killed worker leaves: stuck, until recovery


def _recover_and_finish(folder: Path) -> None:
    requeued = subprocess.run(  # noqa: S603 - our own command
        _manage("requeue_stalled_jobs", "--seconds", "0"), cwd=ROOT, env=_env(folder),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert requeued.returncode == 0, requeued.stderr
    assert "1 taak/taken opnieuw" in requeued.stdout
    finisher = _worker(folder, one_shot=True)
    output, _ = finisher.communicate(timeout=90)
    assert finisher.returncode == 0, output


@pytest.mark.parametrize("pause", ["before", "after"], ids=["before-it-went-out", "after"])
def test_a_worker_killed_while_sending_never_sends_twice(tmp_path, director, pause):
    (notification,) = notify(recipients=[director], message="Nieuwe taak", url="/taken/")

    _kill_while_sending(tmp_path, pause, notification)
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENDING

    _recover_and_finish(tmp_path)
    notification.refresh_from_db()
    expected = [message_id(notification)] if pause == "after" else []
    assert _sent(tmp_path) == expected  # at most once: never a second copy
    assert notification.email_state == EmailState.UNCERTAIN  # and that shows
    assert notification.emailed_at is None
    assert _job_statuses(notification) == ["succeeded"]  # nothing stays 'doing'
    health = Client().get("/healthz").json()  # the operator sees it, as a count
    assert (health["emails_uncertain"], health["emails_failed"]) == (1, 0)


def test_the_worker_sends_each_notification_once(tmp_path, director, support):
    notify(recipients=[director, support], message="Nieuwe taak", url="/taken/")
    finisher = _worker(tmp_path, one_shot=True)
    output, _ = finisher.communicate(timeout=90)
    assert finisher.returncode == 0, output
    assert len(_sent(tmp_path)) == 2
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


class _Refusing(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_refused_message_is_tried_again_and_at_last_marked_not_delivered(settings, director):
    settings.EMAIL_BACKEND = f"{__name__}._Refusing"
    (notification,) = notify(recipients=[director], message="Nieuwe taak", url="/taken/")
    with pytest.raises(ConnectionRefusedError):
        deliver_notification_email(notification.pk, attempt=1)
    notification.refresh_from_db()
    assert notification.email_state == EmailState.PENDING  # the retry may send it

    with pytest.raises(ConnectionRefusedError):
        deliver_notification_email(notification.pk, attempt=5)
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver_notification_email(notification.pk)  # a late retry of a given-up e-mail
    assert mail.outbox == []


def test_the_message_id_is_the_same_for_every_attempt_and_names_nobody(director):
    (notification,) = notify(recipients=[director], message="Nieuwe taak", url="/taken/")
    deliver_notification_email(notification.pk)
    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"] == message_id(notification)
    assert director.username not in sent.extra_headers["Message-ID"]
    assert director.email.split("@")[0] not in sent.extra_headers["Message-ID"]
