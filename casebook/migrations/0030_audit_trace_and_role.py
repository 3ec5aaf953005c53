# SPDX-License-Identifier: AGPL-3.0-or-later
"""Audit events carry the processing trace of their request and the actor's role (ADR 0019).

Both columns have a constant default, so adding them changes the catalogue only (no rewrite of
the big table). Existing events keep both empty, and the seal covers the two fields only when
set, so they verify as they were sealed. The index on ``trace_id`` (the access overview joins
the processing log to the trail on it) is built concurrently: the trail takes inserts all the
time, and a plain CREATE INDEX would block them while it runs.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casebook", "0029_processing_activities")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_role",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=200, verbose_name="in de rol van"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="trace_id",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=32, verbose_name="trace_id"
            ),
        ),
        AddIndexConcurrently(
            model_name="auditevent",
            index=models.Index(fields=["trace_id"], name="audit_trace_idx"),
        ),
    ]
