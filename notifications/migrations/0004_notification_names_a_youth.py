# SPDX-License-Identifier: AGPL-3.0-or-later
"""A notification names the youth its case or task is about, and the processing activity, so
the notification list can log the youths it shows (ADR 0017)."""

import django.db.models.deletion
from django.db import migrations, models

from casebook.migration_operations import AddForeignKeySafely


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("casebook", "0033_processing_log_fewer_indexes"),
        ("notifications", "0003_kinds_preferences_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="processing_activity",
            field=models.CharField(
                blank=True, default="", max_length=40, verbose_name="verwerkingsactiviteit"
            ),
            preserve_default=False,
        ),
        AddForeignKeySafely(
            model_name="notification",
            name="youth",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="casebook.youth",
            ),
        ),
    ]
