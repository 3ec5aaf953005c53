# SPDX-License-Identifier: AGPL-3.0-or-later
"""Optimistic versions for signals and group members (ADR 0010): every form that changes one
carries the version it was made from; a stale one is a visible conflict. (A column with a
constant default is added without rewriting the table.)"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casebook", "0018_audit_chain_at_commit")]

    operations = [
        migrations.AddField(
            model_name="groupmember",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="signal",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
    ]
