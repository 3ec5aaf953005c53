# SPDX-License-Identifier: AGPL-3.0-or-later
"""Running a group approach gets a permission of its own (it borrowed ``transition_case``):
every role that may move cases on the ladder keeps running group approaches."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("casebook", "Role")
    new = Permission.objects.get(content_type__app_label="casebook", codename="run_group_approach")
    for role in Role.objects.filter(
        permissions__content_type__app_label="casebook", permissions__codename="transition_case"
    ):
        role.permissions.add(new)


class Migration(migrations.Migration):
    dependencies = [
        ("casebook", "0016_heuvelland_municipalities"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="group",
            options={
                "ordering": ["name"],
                "permissions": [
                    ("run_group_approach", "Mag de groepsaanpak voeren (stappen, leden, plan)")
                ],
                "verbose_name": "jeugdgroep",
                "verbose_name_plural": "jeugdgroepen",
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
