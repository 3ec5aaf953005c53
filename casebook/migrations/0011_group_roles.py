# SPDX-License-Identifier: AGPL-3.0-or-later
"""Member roles in a youth group (configuration) and their admin rights."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = [("leider", "Leider"), ("kern", "Kern"), ("meeloper", "Meeloper"), ("periferie", "Periferie")]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    GroupRole = apps.get_model("casebook", "GroupRole")
    for order, (code, name) in enumerate(ROLES):
        GroupRole.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    Role = apps.get_model("casebook", "Role")
    Permission = apps.get_model("auth", "Permission")
    admin = Role.objects.filter(code="functional_admin").first()
    if admin:
        admin.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="casebook",
                codename__in=["view_grouprole", "add_grouprole", "change_grouprole"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("casebook", "0010_youth_groups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
