# SPDX-License-Identifier: AGPL-3.0-or-later
"""The procesondersteuner reads the aggregate reports (DESIGN §3a: reports, all)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("casebook", "Role")
    reports = Permission.objects.get(
        content_type__app_label="casebook", codename="view_aggregate_reports"
    )
    for role in Role.objects.filter(code="process_support"):
        role.permissions.add(reports)


class Migration(migrations.Migration):
    dependencies = [("casebook", "0023_signal_links")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
