# SPDX-License-Identifier: AGPL-3.0-or-later
"""The application's database role cannot rewrite the audit trail (ADR 0002).

The test database gets the two roles as ``./ijam.sh start`` makes them (``setup_roles``, then
``grant_app_role``), named after the test database so parallel runs never share them. Then a
real connection as the application role tries each attack of issue 13 and is refused by
PostgreSQL itself; what the application needs still works. The system check and /healthz warn
when IJAM runs as a superuser or as the owner.
"""

from __future__ import annotations

import secrets

import psycopg
import pytest
from django.db import connection

from ijam.checks import database_role_check
from ijam.database_roles import AUDIT_TABLES, grant_app_role, role_problems, setup_roles

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def roles(django_db_setup, django_db_blocker) -> dict[str, str]:
    """Owner and application roles in the test database, set up as the start command does:
    as the superuser the tests connect as, then the grants as the owner."""
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                pytest.skip("de tests draaien niet als superuser: geen rollen aan te maken")
        database = connection.settings_dict["NAME"]
        names = {"owner": f"{database}_owner"[:63], "app": f"{database}_app"[:63]}
        password = secrets.token_urlsafe(16)
        with connection.cursor() as cursor:
            setup_roles(cursor, owner=names["owner"], app=names["app"], app_password=password)
            cursor.execute(f'SET ROLE "{names["owner"]}"')
            grant_app_role(cursor, names["app"])
            cursor.execute("RESET ROLE")
        connection.close()
    return {**names, "password": password}


@pytest.fixture
def app_connection(roles):
    """A connection as the application role, in a transaction that is rolled back."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.update(user=roles["app"], password=roles["password"])
    params.pop("context", None)
    with psycopg.connect(**params) as app:
        yield app
        app.rollback()


def _app_event(app, *, key_id: str = "", reason: str = "") -> int:
    """An event inserted as the application role, and chained as at commit."""
    row = app.execute(
        "INSERT INTO casebook_auditevent (occurred_at, kind, actor_label, action, object_type, "
        "object_id, reason, after, digest, key_id) VALUES (now(), 'write', 'IJAM', "
        "'case.opened', 'casebook.case', '1', %s, %s, %s, %s) RETURNING id",
        [reason, '{"naam": "Anouk"}' if reason else None, "a" * 64, key_id],
    ).fetchone()
    app.execute("SET CONSTRAINTS casebook_auditevent_chain IMMEDIATE")
    return row[0]


def _refused(app, statement: str, match: str, params: list | None = None) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=match), app.transaction():
        app.execute(statement, params)


def test_the_application_role_appends_to_the_audit_trail_and_reads_it(app_connection):
    event_id = _app_event(app_connection)
    link = app_connection.execute(
        "SELECT position FROM casebook_auditchainlink WHERE event_id = %s", [event_id]
    ).fetchone()
    assert link is not None  # the chain trigger ran as the application role


@pytest.mark.parametrize("table", AUDIT_TABLES)
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET {column} = {column}", "DELETE FROM {table}", "TRUNCATE {table}"],
)
def test_the_application_role_may_not_change_delete_or_empty_the_audit_trail(
    app_connection, table, statement
):
    """Refused for want of the privilege, before any trigger is asked ("permission denied
    for table", not the trigger's "alleen-toevoegen")."""
    _app_event(app_connection)
    # ``action``: a column outside the payload, on which the application has no UPDATE.
    column = "action" if table == "casebook_auditevent" else "hash"
    _refused(
        app_connection,
        statement.format(table=table, column=column),
        f"permission denied for table {table}",
    )


@pytest.mark.parametrize("scope", ["", "LOCAL "])
def test_the_application_role_cannot_switch_the_triggers_off_by_replication_role(
    app_connection, scope
):
    _refused(
        app_connection,
        f"SET {scope}session_replication_role = replica",
        'permission denied to set parameter "session_replication_role"',
    )


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TRIGGER casebook_auditevent_append_only ON casebook_auditevent",
        "DROP TRIGGER casebook_auditevent_chain ON casebook_auditevent",
        "ALTER TABLE casebook_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE casebook_auditchainlink DISABLE TRIGGER casebook_auditchainlink_append_only",
        "DROP TABLE casebook_auditchainlink",
    ],
)
def test_the_application_role_cannot_drop_or_disable_the_triggers(app_connection, statement):
    _refused(app_connection, statement, "must be owner")


def test_the_application_role_cannot_create_anything_in_the_schema(app_connection):
    _refused(app_connection, "CREATE TABLE ijam_shadow (id int)", "permission denied for schema")
    _refused(
        app_connection,
        "CREATE FUNCTION ijam_audit_append_only_x() RETURNS int AS 'SELECT 1' LANGUAGE sql",
        "permission denied for schema",
    )


def test_the_application_role_cannot_become_the_owner_or_a_superuser(app_connection, roles):
    for target in (roles["owner"], "postgres"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), app_connection.transaction():
            app_connection.execute(f'SET ROLE "{target}"')


def test_the_application_role_is_no_superuser_and_owns_nothing(app_connection, roles):
    superuser, creates = app_connection.execute(
        "SELECT rolsuper, has_schema_privilege(current_user, 'public', 'CREATE') "
        "FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert (superuser, creates) == (False, False)
    owned = app_connection.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relowner = current_user::regrole"
    ).fetchone()[0]
    assert owned == 0
    others = app_connection.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
        "AND pg_get_userbyid(c.relowner) <> %s",
        [roles["owner"]],
    ).fetchone()[0]
    assert others == 0  # every table went to the owner
    assert role_problems(app_connection.cursor()) == []


def test_the_application_role_reads_and_writes_the_other_tables_and_queues_jobs(app_connection):
    app_connection.execute(
        "INSERT INTO workflows_workerheartbeat (name, beat_at) VALUES ('test', now())"
    )
    app_connection.execute("UPDATE workflows_workerheartbeat SET beat_at = now()")
    app_connection.execute("DELETE FROM workflows_workerheartbeat WHERE name = 'test'")
    job = app_connection.execute(
        "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW('default', 'casebook.audit_anchor', 0, "
        "NULL, NULL, '{}'::jsonb, now())::procrastinate_job_to_defer_v1])"
    ).fetchone()
    assert job[0]


def test_a_table_a_later_migration_creates_is_usable_by_the_application(app_connection, roles):
    """Default privileges: what the owner creates later, the application may use at once."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{roles["owner"]}"')
        cursor.execute("CREATE TABLE ijam_later_table (id bigserial PRIMARY KEY, note text)")
        cursor.execute("RESET ROLE")
    # The application role sees it once the owner's transaction commits; here it runs in the
    # test's transaction, so ask the catalogue what the application may do with it.
    cursor = connection.cursor()
    cursor.execute(
        "SELECT has_table_privilege(%s, 'ijam_later_table', 'INSERT'), "
        "has_table_privilege(%s, 'ijam_later_table', 'UPDATE'), "
        "has_sequence_privilege(%s, 'ijam_later_table_id_seq', 'USAGE')",
        [roles["app"]] * 3,
    )
    assert cursor.fetchone() == (True, True, True)


def test_ijam_does_its_work_as_the_application_role(roles, director, client):
    """The services as the application role: a signal, a ladder move, logged reads, the
    chain at commit, verification and an anchor; nothing needs more than its grants."""
    from casebook.services.audit import ChainBreak, verify_chain
    from casebook.services.audit_anchor import write_checkpoint
    from tests import factories
    from workflows.ladder import services as ladder
    from workflows.ladder.machine import NETWERKOVERLEG

    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{roles["app"]}"')
    case = factories.signal(director).case
    ladder.case_screen_in(
        case=case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    client.force_login(director)
    assert client.get(f"/casussen/{case.pk}/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == roles["app"]
    results = list(verify_chain())
    assert results and not [r for r in results if isinstance(r, ChainBreak)]
    assert write_checkpoint().position == len(results)


# --- Retention: the one change the application may make (ADR 0020) -----------------------------

REMOVE_PAYLOAD = (
    "UPDATE casebook_auditevent SET reason = '', before = NULL, after = NULL, "
    "payload_removed_at = now() WHERE id = %s"
)
TRIGGER_REFUSES = "alleen-toevoegen"


def test_the_application_role_may_remove_a_sealed_events_payload_once(app_connection):
    event_id = _app_event(app_connection, key_id="abc123", reason="Anouk de Vries")
    app_connection.execute(REMOVE_PAYLOAD, [event_id])
    row = app_connection.execute(
        "SELECT reason, before, after, payload_removed_at IS NOT NULL, digest, action "
        "FROM casebook_auditevent WHERE id = %s",
        [event_id],
    ).fetchone()
    assert row == ("", None, None, True, "a" * 64, "case.opened")
    # Once removed, never again, and never filled again.
    _refused(app_connection, REMOVE_PAYLOAD, TRIGGER_REFUSES, [event_id])
    for refill in ("reason = 'verzonnen'", "payload_removed_at = NULL"):
        statement = f"UPDATE casebook_auditevent SET {refill} WHERE id = %s"  # noqa: S608
        _refused(app_connection, statement, TRIGGER_REFUSES, [event_id])


@pytest.mark.parametrize(
    "statement",
    [
        # A payload changed, not removed.
        "UPDATE casebook_auditevent SET reason = 'anders' WHERE id = %s",
        "UPDATE casebook_auditevent SET reason = reason WHERE id = %s",
        # Emptied but not marked, or marked but not emptied.
        "UPDATE casebook_auditevent SET reason = '', after = NULL WHERE id = %s",
        "UPDATE casebook_auditevent SET payload_removed_at = now() WHERE id = %s",
        "UPDATE casebook_auditevent SET after = '{}'::jsonb, reason = '', "
        "payload_removed_at = now() WHERE id = %s",
        "UPDATE casebook_auditevent SET after = 'null'::jsonb, reason = '', "
        "payload_removed_at = now() WHERE id = %s",
    ],
    ids=["changed", "unchanged", "not marked", "not emptied", "empty object", "json null"],
)
def test_any_other_change_of_the_payload_columns_is_refused_by_the_trigger(
    app_connection, statement
):
    event_id = _app_event(app_connection, key_id="abc123", reason="Anouk de Vries")
    _refused(app_connection, statement, TRIGGER_REFUSES, [event_id])


def test_the_payload_of_an_event_from_before_keys_cannot_be_removed(app_connection):
    """Its plain hash covers the payload: removing it would break the chain."""
    event_id = _app_event(app_connection, reason="Anouk de Vries")
    _refused(app_connection, REMOVE_PAYLOAD, TRIGGER_REFUSES, [event_id])


@pytest.mark.parametrize(
    "change", ["action = 'case.close'", "digest = repeat('b', 64)", "key_id = 'other'"]
)
def test_a_removal_that_changes_anything_else_is_refused_even_for_the_owner(change):
    """The owner (here: the superuser, with every column privilege) is held by the trigger."""
    from casebook.services.audit import audit_record

    event = audit_record(
        actor=None,
        action="case.details_changed",
        obj=None,
        object_type="casebook.case",
        object_id="1",
        reason="Anouk de Vries",
    )
    with pytest.raises(Exception, match=TRIGGER_REFUSES), connection.cursor() as cursor:
        statement = (
            "UPDATE casebook_auditevent SET reason = '', before = NULL, after = NULL, "  # noqa: S608
            f"payload_removed_at = now(), {change} WHERE id = %s"
        )
        cursor.execute(statement, [event.pk])


def test_the_application_role_still_cannot_delete_a_removed_event(app_connection):
    event_id = _app_event(app_connection, key_id="abc123", reason="Anouk de Vries")
    app_connection.execute(REMOVE_PAYLOAD, [event_id])
    _refused(
        app_connection,
        "DELETE FROM casebook_auditevent WHERE id = %s",
        "permission denied for table casebook_auditevent",
        [event_id],
    )


def test_the_retention_job_runs_as_the_application_role_and_the_chain_verifies(roles, director):
    """The whole run with only the application's grants: anonymising, the payloads through
    the narrow path, the log, the run's own audit event; then the chain verifies."""
    import datetime as dt

    import time_machine

    from casebook.models import AuditEvent, Case
    from casebook.services.audit import ChainBreak, verify_chain
    from casebook.services.retention import retention_run
    from tests import factories
    from workflows.ladder import services as ladder

    start = dt.datetime(2020, 3, 10, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        case = factories.signal(director).case
        ladder.case_close(
            case=case,
            actor=director,
            closure_reason=factories.closure_reason(from_screening=True),
            reason="Geen grond",
        )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS casebook_auditevent_chain IMMEDIATE")
        cursor.execute(f'SET LOCAL ROLE "{roles["app"]}"')
    moment = start + dt.timedelta(days=400)
    with time_machine.travel(moment, tick=False):
        run = retention_run(now=moment)
    assert run.counts["closed_case"] == 1 and run.counts["audit_payload"] > 0
    assert Case.objects.get(pk=case.pk).anonymised_at is not None
    assert all(e.payload_is_empty for e in AuditEvent.objects.filter(case=case))
    results = list(verify_chain())
    assert results and not [r for r in results if isinstance(r, ChainBreak)]


def test_the_system_check_warns_when_the_application_may_update_another_audit_column(roles):
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE (action) ON casebook_auditevent TO "{roles["app"]}"')
        cursor.execute(f'SET LOCAL ROLE "{roles["app"]}"')
    warnings = database_role_check(None, databases=["default"])
    assert [w.id for w in warnings] == ["ijam.W001"]
    assert "casebook_auditevent" in warnings[0].msg


# --- The warnings: a superuser or an owner -----------------------------------------------------


def test_the_system_check_warns_when_ijam_runs_as_a_superuser():
    warnings = database_role_check(None, databases=["default"])
    assert [w.id for w in warnings] == ["ijam.W001"]
    assert "superuser" in warnings[0].msg


def test_the_system_check_warns_when_ijam_runs_as_the_owner(roles):
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{roles["owner"]}"')
    warnings = database_role_check(None, databases=["default"])
    assert {w.id for w in warnings} == {"ijam.W001"}
    assert all("eigenaar" in w.msg for w in warnings)
    assert len(warnings) == len(AUDIT_TABLES)


def test_the_system_check_is_quiet_for_the_application_role(roles):
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{roles["app"]}"')
    assert database_role_check(None, databases=["default"]) == []


def test_the_system_check_warns_when_the_application_may_change_the_audit_trail(roles):
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE ON casebook_auditevent TO "{roles["app"]}"')
        cursor.execute(f'SET LOCAL ROLE "{roles["app"]}"')
    warnings = database_role_check(None, databases=["default"])
    assert [w.id for w in warnings] == ["ijam.W001"]
    assert "casebook_auditevent" in warnings[0].msg


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, ["superuser"]), ("owner", ["owner"]), ("app", None)],
)
def test_healthz_warns_about_a_superuser_or_owner_without_naming_it(client, roles, role, expected):
    if role is not None:
        with connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{roles[role]}"')
    body = client.get("/healthz").json()
    assert body.get("database_role_warnings") == expected
    assert body["database_role"] == ("ok" if expected is None else "waarschuwing")
    assert roles["owner"] not in str(body) and "postgres" not in str(body)
