# SPDX-License-Identifier: AGPL-3.0-or-later
"""Migration operations that change a big table without holding it locked (ADR 0010).

Django's own safe operations cover indexes (``AddIndexConcurrently``) and CHECK constraints
(``AddConstraintNotValid`` + ``ValidateConstraint``). A new nullable foreign key is the third
case: Django adds the column, the constraint (validated at once, under a lock that blocks
writes) and its index (``CREATE INDEX``, blocking writes while it builds) in one go.
``AddForeignKeySafely`` does the same in steps that block nothing for long. Use these in a
migration with ``atomic = False``; ``tests/test_migrations.py`` refuses the unsafe forms on
the big tables.
"""

from __future__ import annotations

from django.db import migrations


class AddForeignKeySafely(migrations.AddField):
    """``AddField`` of a nullable ``ForeignKey``: the column (metadata only), the constraint
    ``NOT VALID``, then ``VALIDATE CONSTRAINT`` (which lets writes through), then the index
    ``CONCURRENTLY``. The names are the ones Django itself would have given."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        if not field.null or not field.remote_field:
            raise ValueError("AddForeignKeySafely is for nullable foreign keys only")
        quote = schema_editor.quote_name
        table = model._meta.db_table
        target = field.target_field
        column_type = field.db_parameters(connection=schema_editor.connection)["type"]
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(field.column)} {column_type} NULL"
        )
        constraint = schema_editor._fk_constraint_name(
            model, field, "_fk_%(to_table)s_%(to_column)s"
        )
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {constraint} "
            f"FOREIGN KEY ({quote(field.column)}) "
            f"REFERENCES {quote(target.model._meta.db_table)} ({quote(target.column)}) "
            "DEFERRABLE INITIALLY DEFERRED NOT VALID"
        )
        schema_editor.execute(f"ALTER TABLE {quote(table)} VALIDATE CONSTRAINT {constraint}")
        if field.db_index:
            index = schema_editor._create_index_name(table, [field.column])
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(index)} "
                f"ON {quote(table)} ({quote(field.column)})"
            )

    def describe(self) -> str:
        return f"Add foreign key {self.name} to {self.model_name} without blocking writes"
