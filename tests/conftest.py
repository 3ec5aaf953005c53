# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the end-to-end tests (the shared ones live in the root conftest.py)."""

import pytest
from django.db import OperationalError, connection, connections

from tests.browser import page  # noqa: F401 - the Playwright page fixture


@pytest.fixture(scope="session", autouse=True)
def _end_leftover_sessions(django_db_setup, django_db_blocker):
    """Browser tests query the database from inside Playwright's event loop, where Django keeps
    separate connections that outlive the test. After the last test, end them so the test
    database can be dropped."""
    yield
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        except OperationalError:
            pass  # a run without database tests never had a test database to clean up
        connections.close_all()
