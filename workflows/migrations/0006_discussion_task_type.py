# SPDX-License-Identifier: AGPL-3.0-or-later
"""The discussion (bespreking) of a case at its table, as a task of the level flow."""

from django.db import migrations


def forwards(apps, schema_editor):
    TaskType = apps.get_model("workflows", "TaskType")
    TaskType.objects.get_or_create(
        code="bespreking",
        defaults={
            "name": "Bespreking aan de casustafel",
            "default_organisation_kind": "zvh",
            "norm_amount": 10,
            "norm_unit": "working_days",
            "result_required": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_level_flow_configuration")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
