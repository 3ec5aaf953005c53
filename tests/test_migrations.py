# SPDX-License-Identifier: AGPL-3.0-or-later
"""Migrations never hold a big table locked while they build or check something (ADR 0010):
on the tables that grow with use, an index is built concurrently, a constraint is added
NOT VALID and validated after, and a foreign key is added with ``AddForeignKeySafely``."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.contrib.postgres.operations import (
    AddConstraintNotValid,
    AddIndexConcurrently,
    RemoveIndexConcurrently,
)
from django.db import connection, migrations, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from casebook.migration_operations import AddForeignKeySafely
from casebook.models import AuditChainLink, AuditEvent
from casebook.services.audit import ChainBreak, audit_record, verify_chain

#: The tables that grow with use (hundreds of thousands to millions of rows).
BIG = {
    ("casebook", "auditchainlink"),
    ("casebook", "auditevent"),
    ("casebook", "case"),
    ("casebook", "caseinvolvement"),
    ("casebook", "signal"),
    ("casebook", "youth"),
    ("notifications", "notification"),
    ("workflows", "partnertask"),
}
OURS = {"casebook", "workflows", "notifications"}


def _unsafe(operation) -> str:
    """Why ``operation`` would hold its table locked, or ''."""
    if isinstance(operation, (AddIndexConcurrently, RemoveIndexConcurrently)):
        return ""
    if isinstance(operation, migrations.AddIndex):
        return "builds an index under a write lock: use AddIndexConcurrently"
    if isinstance(operation, migrations.RemoveIndex):
        return "drops an index under an exclusive lock: use RemoveIndexConcurrently"
    if isinstance(operation, AddConstraintNotValid):
        return ""
    if isinstance(operation, migrations.AddConstraint):
        return "checks every row under a lock: AddConstraintNotValid, then ValidateConstraint"
    if isinstance(operation, AddForeignKeySafely):
        return ""
    if isinstance(operation, migrations.AddField) and isinstance(
        operation.field, models.ForeignKey
    ):
        return "adds a foreign key and its index under a lock: use AddForeignKeySafely"
    if isinstance(operation, migrations.AlterField):
        return (
            "may rewrite the table, drop or build an index or check every row under a lock: "
            "split it (SeparateDatabaseAndState with concurrent SQL), or list it in "
            "HARMLESS_ALTERATIONS with the reason it takes no long lock"
        )
    return ""


#: AlterField operations on big tables that were read and found to take no long lock.
HARMLESS_ALTERATIONS = {
    # Only the field's Python options changed: no SQL at all (sqlmigrate: no-op).
    ("casebook", "0007_audit_chain_fields", "auditevent", "hash"),
    ("casebook", "0007_audit_chain_fields", "auditevent", "prev_hash"),
    # New choices only (digest states): sqlmigrate prints the comment and no statement.
    ("notifications", "0003_kinds_preferences_digest", "notification", "email_state"),
}


def _database_operations(operation):
    if isinstance(operation, migrations.SeparateDatabaseAndState):
        yield from operation.database_operations
    else:
        yield operation


def unsafe_operations() -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for key in sorted(k for k in loader.graph.nodes if k[0] in OURS):
        migration = loader.graph.nodes[key]
        new_here = {
            (key[0], op.name.lower())
            for op in migration.operations
            if isinstance(op, migrations.CreateModel)
        }
        for operation in migration.operations:
            for database_operation in _database_operations(operation):
                model = (key[0], getattr(database_operation, "model_name", "").lower())
                if model not in BIG or model in new_here:
                    continue
                alteration = (*key, model[1], getattr(database_operation, "name", ""))
                if alteration in HARMLESS_ALTERATIONS:
                    continue
                why = _unsafe(database_operation)
                if why:
                    found.append(f"{key[0]}.{key[1]}: {database_operation.describe()}: {why}")
    return found


def test_no_migration_locks_a_big_table_while_it_builds_or_checks():
    assert unsafe_operations() == []


def test_the_check_sees_an_unsafe_operation():
    assert _unsafe(migrations.AddIndex("partnertask", models.Index(fields=["x"], name="x")))
    assert _unsafe(
        migrations.AddConstraint(
            "partnertask", models.CheckConstraint(condition=models.Q(x=1), name="x")
        )
    )
    assert _unsafe(
        migrations.AddField(
            "partnertask", "x", models.ForeignKey("casebook.Case", models.PROTECT, null=True)
        )
    )
    assert _unsafe(migrations.AlterField("partnertask", "case", models.IntegerField(null=True)))
    assert not _unsafe(AddIndexConcurrently("partnertask", models.Index(fields=["x"], name="x")))


# --- the audit chain's move to links at commit (casebook 0018), forwards and back ---

BEFORE_LINKS = [("casebook", "0017_group_approach_permission")]


#: What migrations 0001–0017 leave on a fresh database (read there with pg_indexes,
#: pg_trigger and information_schema), and what going back from 0018 must restore.
ORIGINAL_0017 = {
    (
        "casebook_auditevent_hash_key",
        "CREATE UNIQUE INDEX casebook_auditevent_hash_key ON public.casebook_auditevent "
        "USING btree (hash)",
    ),
    (
        "casebook_auditevent_hash_b233bb81_like",
        "CREATE INDEX casebook_auditevent_hash_b233bb81_like ON public.casebook_auditevent "
        "USING btree (hash varchar_pattern_ops)",
    ),
    (
        "casebook_auditevent_chain",
        "CREATE TRIGGER casebook_auditevent_chain BEFORE INSERT ON public.casebook_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION ijam_audit_chain()",
    ),
    ("prev_hash", "character varying", "NO", None),
    ("hash", "character varying", "NO", None),
}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _auditevent_schema() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'casebook_auditevent'"
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = 'casebook_auditevent'::regclass AND NOT tgisinternal"
        )
        triggers = set(cursor.fetchall())
        cursor.execute(
            "SELECT column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_name = 'casebook_auditevent'"
        )
        columns = set(cursor.fetchall())
    return indexes | triggers | columns


def _insert_with_the_old_trigger(object_ids) -> None:
    """As IJAM wrote events before 0018: the content hash in ``hash``, the trigger chains."""
    with connection.cursor() as cursor:
        for object_id in object_ids:
            event = AuditEvent(
                occurred_at=dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC),
                kind="write",
                actor_label="Procesregisseur",
                action="case.close",
                object_type="casebook.case",
                object_id=object_id,
            )
            cursor.execute(
                "INSERT INTO casebook_auditevent (occurred_at, kind, actor_label, action, "
                "object_type, object_id, reason, prev_hash, hash) "
                "VALUES (%s, 'write', 'Procesregisseur', 'case.close', 'casebook.case', %s, '', "
                "'', %s)",
                [event.occurred_at, object_id, event.legacy_digest()],
            )


def _old_chain() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, prev_hash, hash FROM casebook_auditevent ORDER BY id")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_audit_chain_survives_its_move_to_links_and_back(monkeypatch):
    """Events chained by the old trigger (whose ids have gaps) verify after 0018, copied in
    batches, new events continue their chain, and going back restores the old columns, hashes
    and trigger."""
    monkeypatch.setattr(import_module("casebook.migrations.0018_audit_chain_at_commit"), "BATCH", 2)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE_LINKS)
        assert ORIGINAL_0017.issubset(_auditevent_schema())
        _insert_with_the_old_trigger(["1", "2", "3", "4", "5"])
        old_chain = _old_chain()
        assert old_chain[-1][0] > len(old_chain)  # the old trigger left gaps in the ids

        _migrate(latest)
        links = list(AuditChainLink.objects.order_by("position"))
        assert [link.position for link in links] == list(range(1, len(old_chain) + 1))
        assert [(link.event_id, link.prev_hash, link.hash) for link in links] == old_chain
        with transaction.atomic():
            audit_record(
                actor=None,
                action="case.close",
                obj=None,
                object_type="casebook.case",
                object_id="6",
            )
        results = list(verify_chain())
        assert not [item for item in results if isinstance(item, ChainBreak)]
        assert len(results) == len(old_chain) + 1

        _migrate(BEFORE_LINKS)
        assert ORIGINAL_0017.issubset(_auditevent_schema())
        assert not {row for row in _auditevent_schema() if row[0] == "digest"}
        assert _old_chain()[: len(old_chain)] == old_chain
        _insert_with_the_old_trigger(["7"])
        chain = _old_chain()
        links = zip(chain, chain[1:], strict=False)
        assert all(prev == before[2] for before, (_, prev, _) in links)
    finally:
        _migrate(latest)
