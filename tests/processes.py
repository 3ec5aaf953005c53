# SPDX-License-Identifier: AGPL-3.0-or-later
"""For tests that start IJAM's real processes (web server, worker, commands) as subprocesses."""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection


def subprocess_database_url() -> str:
    """The test database as a ``DATABASE_URL``, for a process started by a test (the test
    settings name it; the tests' transactional data is committed there)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = quote(s.get("HOST") or "127.0.0.1", safe="")  # a socket folder: %2F…
    port = s.get("PORT") or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"
