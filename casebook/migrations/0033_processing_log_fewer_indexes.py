# SPDX-License-Identifier: AGPL-3.0-or-later
"""The processing log keeps only the indexes it is read by (ADR 0017): the trace_id index and
the activity foreign key's index go, each dropped CONCURRENTLY (the table is the biggest)."""

import django.db.models.deletion
from django.contrib.postgres.operations import RemoveIndexConcurrently
from django.db import migrations, models

#: The name Django gave the foreign key's index (a hash of table and column: the same on every
#: database).
ACTIVITY_INDEX = "casebook_processinglogline_processing_activity_id_a38eebb3"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("casebook", "0032_audit_payload_removal"),
    ]

    operations = [
        RemoveIndexConcurrently(
            model_name="processinglogline",
            name="processing_log_trace_idx",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="processinglogline",
                    name="processing_activity",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casebook.processingactivity",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX CONCURRENTLY IF EXISTS "{ACTIVITY_INDEX}"',
                    reverse_sql=f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{ACTIVITY_INDEX}" '
                    'ON "casebook_processinglogline" ("processing_activity_id")',
                ),
            ],
        ),
    ]
