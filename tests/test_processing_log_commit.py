# SPDX-License-Identifier: AGPL-3.0-or-later
"""The processing log's optional asynchronous commit (IJAM_PROCESSING_LOG_ASYNC_COMMIT,
ADR 0017), in a module of its own: it needs a real commit, which the shared world of
``tests/test_processing_log.py`` (one open transaction) cannot give."""

from __future__ import annotations

import pytest
from django.db import connection

from casebook.models import ProcessingActivity, ProcessingLogLine
from casebook.services import processing
from casebook.services.processing import log_subjects

Code = ProcessingActivity.Code


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_asynchronous_commit_writes_the_same_lines_and_leaves_the_session_alone(settings):
    """IJAM_PROCESSING_LOG_ASYNC_COMMIT: synchronous_commit is off for the log's own statement
    only; the connection's other transactions still wait for the disk."""
    settings.IJAM_PROCESSING_LOG_ASYNC_COMMIT = True
    processing.forget_register()
    statements = []

    def remember(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        log_subjects(Code.SIGNAL, [1, 2, 3], "signal.reminded")
    assert ProcessingLogLine.objects.count() == 3
    (insert,) = [sql for sql in statements if "INSERT INTO casebook_processinglogline" in sql]
    assert "set_config('synchronous_commit', 'off', true)" in insert
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
