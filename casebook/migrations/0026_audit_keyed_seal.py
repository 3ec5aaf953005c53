# SPDX-License-Identifier: AGPL-3.0-or-later
"""Seal audit events with a key (ADR 0002): which key sealed an event, the keyed digest of its
personal payload, and when that payload was removed (retention).

Adding a column with a constant default is a change of the catalogue only (PostgreSQL 11+):
no rewrite of the big table and only a moment's lock. Existing events keep an empty
``key_id``: they carry the plain SHA-256 of before keys and are verified that way, as the
start of the chain (nothing can be rechained here: migrations run without the audit key).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casebook", "0025_involvement_live_index")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, db_default="", default="", max_length=16),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_digest",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_removed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
