# SPDX-License-Identifier: AGPL-3.0-or-later
"""A mail backend for the kill test (tests/test_email_delivery.py), for a worker process
started with ``DJANGO_SETTINGS_MODULE=tests.pausing_mail``: every message it takes is one
line in ``$IJAM_TEST_MAIL_DIR/sent`` ("the mail server has it"); with ``IJAM_TEST_MAIL_PAUSE``
``before`` or ``after`` it first writes ``started`` and then waits, before or after the
message goes out, so the test can kill the worker at that moment."""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

from ijam.settings_test import *  # noqa: F403

EMAIL_BACKEND = "tests.pausing_mail.PausingBackend"


class PausingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["IJAM_TEST_MAIL_DIR"])
        pause = os.environ.get("IJAM_TEST_MAIL_PAUSE", "")
        for message in messages:
            if pause:
                (folder / "started").write_text(pause)
            if pause == "before":
                time.sleep(120)
            with (folder / "sent").open("a") as sent:
                sent.write(f"{message.extra_headers.get('Message-ID', '')}\n")
            if pause == "after":
                time.sleep(120)
        return len(messages)
