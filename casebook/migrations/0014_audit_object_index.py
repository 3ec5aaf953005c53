# SPDX-License-Identifier: AGPL-3.0-or-later
"""A group's timeline: the audit events about one object, built without blocking the audit
table (every write and every logged read inserts into it)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("casebook", "0013_group_plan_participants_notes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="auditevent",
            index=models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
        ),
    ]
