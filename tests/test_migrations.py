# SPDX-License-Identifier: AGPL-3.0-or-later
"""Migrations never hold a big table locked while they build or check something (ADR 0010):
on the tables that grow with use, an index is built concurrently, a constraint is added
NOT VALID and validated after, and a foreign key is added with ``AddForeignKeySafely``."""

from __future__ import annotations

from django.contrib.postgres.operations import (
    AddConstraintNotValid,
    AddIndexConcurrently,
    RemoveIndexConcurrently,
)
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from casebook.migration_operations import AddForeignKeySafely

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
    return ""


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
    assert not _unsafe(AddIndexConcurrently("partnertask", models.Index(fields=["x"], name="x")))
