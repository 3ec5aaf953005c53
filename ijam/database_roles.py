# SPDX-License-Identifier: AGPL-3.0-or-later
"""IJAM's two database roles (ADR 0002): an owner that runs migrations, and the application.

* The **owner** (``ijam_owner``) owns the database, the ``public`` schema and every object in
  it; only it runs ``migrate``. It is not a superuser.
* The **application** (``ijam_app``: web server and worker) owns nothing, may not create
  anything in the schema, is not a superuser (so it cannot set ``session_replication_role``
  and switch triggers off), and holds on the audit tables only ``INSERT`` and ``SELECT``:
  no ``UPDATE``, ``DELETE`` or ``TRUNCATE``, except ``UPDATE`` of the four payload columns of
  the events, which a trigger allows only as the retention job's removal of a payload
  (``AUDIT_PAYLOAD_COLUMNS``, ADR 0020). On the other tables it reads and writes rows; on
  sequences ``USAGE, SELECT, UPDATE``; functions (procrastinate's) it may execute.

``setup_roles`` runs as a superuser (the start command with the embedded PostgreSQL or a
superuser ``DATABASE_URL``, or an administrator by hand: the README's SQL).
``grant_app_role`` runs as the owner after every ``migrate`` (``manage.py grant_app_role``;
the start command does it), and also sets default privileges, so a table a later migration
creates is usable at once; the audit tables get their narrow grant again each time.
``role_problems`` is what the system check and ``/healthz`` report.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from psycopg import sql

OWNER_ROLE = "ijam_owner"
APP_ROLE = "ijam_app"
#: The append-only tables: the application may only add and read rows.
AUDIT_TABLES = ("casebook_auditevent", "casebook_auditchainlink")
#: The one exception (ADR 0020): the retention job empties an event's personal payload and
#: marks it removed. The application may UPDATE these columns of the audit events and no
#: other; a trigger (migration 0031) lets through only that removal, once.
AUDIT_PAYLOAD_COLUMNS = ("reason", "before", "after", "payload_removed_at")


def url_user(url: str) -> str:
    """The user name in a database URL."""
    return urlsplit(url).username or ""


def url_with_user(url: str, user: str) -> str:
    """``url`` with its user name replaced by ``user`` (and no password)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


class _Cursor:
    """A cursor (psycopg's or Django's) that also takes ``psycopg.sql`` compositions."""

    def __init__(self, cursor):
        self._cursor = cursor
        self._connection = getattr(cursor, "cursor", cursor).connection

    def execute(self, statement, params=None):
        if isinstance(statement, sql.Composable):
            statement = statement.as_string(self._connection)
        return self._cursor.execute(statement, params)

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()


def _create_role(cursor, role: str, password: str | None) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone() is None:
        try:
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        except Exception as error:  # another process created it meanwhile
            if getattr(error, "sqlstate", None) != "42710":  # duplicate_object
                raise
    cursor.execute(
        sql.SQL(
            "ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        ).format(sql.Identifier(role))
    )
    if password is not None:
        cursor.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password))
        )


def setup_roles(
    cursor,
    *,
    owner: str = OWNER_ROLE,
    app: str = APP_ROLE,
    owner_password: str | None = None,
    app_password: str | None = None,
) -> None:
    """As a superuser, connected to IJAM's database: create both roles if missing and make
    ``owner`` the owner of the database, its ``public`` schema and every object in it (a
    database that IJAM used as the superuser before is handed over, so migrations keep
    working as the owner). Safe to run again."""
    _create_role(cursor, owner, owner_password)
    _create_role(cursor, app, app_password)
    ident = sql.Identifier
    cursor.execute("SELECT current_database()")
    database = cursor.fetchone()[0]
    cursor.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(ident(database), ident(owner)))
    cursor.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(ident(owner)))
    cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    cursor.execute(
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(ident(database), ident(app))
    )
    # Tables, views and free-standing sequences (identity sequences follow their table).
    cursor.execute(
        """
        SELECT c.relname, c.relkind FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           AND c.relowner <> %s::regrole
           AND NOT (c.relkind = 'S' AND EXISTS (
                   SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        """,
        [owner],
    )
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    for name, kind in cursor.fetchall():
        statement = f"ALTER {kinds.get(kind, 'FOREIGN TABLE')} {{}} OWNER TO {{}}"
        cursor.execute(sql.SQL(statement).format(ident(name), ident(owner)))
    cursor.execute(
        """
        SELECT p.oid::regprocedure::text FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.proowner <> %s::regrole
        """,
        [owner],
    )
    for (signature,) in cursor.fetchall():
        cursor.execute(sql.SQL(f"ALTER ROUTINE {signature} OWNER TO {{}}").format(ident(owner)))
    # Enums, domains, ranges and free-standing composite types (procrastinate's).
    cursor.execute(
        """
        SELECT t.typname FROM pg_type t
          JOIN pg_namespace n ON n.oid = t.typnamespace
          LEFT JOIN pg_class c ON c.oid = t.typrelid
         WHERE n.nspname = 'public' AND t.typowner <> %s::regrole
           AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
        """,
        [owner],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(sql.SQL("ALTER TYPE {} OWNER TO {}").format(ident(name), ident(owner)))


def grant_app_role(cursor, app: str = APP_ROLE) -> None:
    """As the owner, after every migrate: give ``app`` exactly what the application needs."""
    cursor = _Cursor(cursor)
    role = sql.Identifier(app)
    statements = [
        "GRANT USAGE ON SCHEMA public TO {role}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}",
        # Tables a later migration creates get the same grants at once.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        "GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO {role}",
    ]
    for statement in statements:
        cursor.execute(sql.SQL(statement).format(role=role))
    for table in AUDIT_TABLES:
        cursor.execute(
            sql.SQL("REVOKE ALL ON TABLE {table} FROM {role}").format(
                table=sql.Identifier(table), role=role
            )
        )
        cursor.execute(
            sql.SQL("GRANT SELECT, INSERT ON TABLE {table} TO {role}").format(
                table=sql.Identifier(table), role=role
            )
        )
    cursor.execute(
        sql.SQL("GRANT UPDATE ({columns}) ON TABLE casebook_auditevent TO {role}").format(
            columns=sql.SQL(", ").join(sql.Identifier(c) for c in AUDIT_PAYLOAD_COLUMNS),
            role=role,
        )
    )


@dataclass(frozen=True)
class RoleProblem:
    code: str  # "superuser", "owner" or "privileges": what /healthz shows publicly
    message: str  # for the system check: names the role and the table


def role_problems(cursor) -> list[RoleProblem]:
    """What is wrong with the role this connection runs as, for an application process: a
    superuser, the owner (or a member of the owner) of an audit table, or a role that may
    change or empty it. Empty: nothing wrong."""
    problems = []
    cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    user, superuser = cursor.fetchone()
    if superuser:
        problems.append(
            RoleProblem(
                "superuser",
                f"IJAM draait als superuser {user!r}: die kan de audittrail herschrijven en de "
                "triggers uitschakelen. Gebruik een eigen applicatierol (README, Productie).",
            )
        )
        return problems
    for table in AUDIT_TABLES:
        cursor.execute(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE'), "
            "has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'DELETE'), "
            "has_table_privilege(c.oid, 'TRUNCATE') "
            "FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [table],
        )
        row = cursor.fetchone()
        if row is None:
            continue
        owns, *may_change = row
        cursor.execute(
            "SELECT count(*) FROM pg_attribute a WHERE a.attrelid = to_regclass(%s) "
            "AND a.attnum > 0 AND NOT a.attisdropped AND NOT (a.attname = ANY(%s)) "
            "AND has_column_privilege(a.attrelid, a.attnum, 'UPDATE')",
            [table, list(AUDIT_PAYLOAD_COLUMNS) if table == "casebook_auditevent" else []],
        )
        may_change.append(cursor.fetchone()[0] > 0)
        if owns:
            problems.append(
                RoleProblem(
                    "owner",
                    f"IJAM draait als eigenaar van {table} ({user!r}): die kan de tabel legen en "
                    "de triggers verwijderen. Draai de applicatie als een rol zonder eigendom.",
                )
            )
        elif any(may_change):
            problems.append(
                RoleProblem(
                    "privileges",
                    f"De rol {user!r} mag {table} wijzigen, verwijderen of legen; geef alleen "
                    "INSERT en SELECT, en UPDATE van alleen de payloadkolommen van de "
                    "gebeurtenissen (manage.py grant_app_role).",
                )
            )
    return problems
