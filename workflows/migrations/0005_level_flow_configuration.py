# SPDX-License-Identifier: AGPL-3.0-or-later
"""Level settings (evaluation rhythm) and the task types of the level flows."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EVALUATION_WEEKS = {"netwerkoverleg": 8, "jonge_aanwas": 6, "pga": 4}
TASK_TYPES = [
    # (code, name, default organisation kind, norm, unit, result required)
    ("intake", "Intake op niveau: bepaal welke partners informatie aanleveren", "zvh", 5,
     "working_days", False),
    ("evaluatie", "Evaluatie van de aanpak", "zvh", 5, "working_days", True),
    ("nazorg", "Nazorg na detentie beoordelen", "rio", 10, "working_days", True),
]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    LevelSetting = apps.get_model("workflows", "LevelSetting")
    TaskType = apps.get_model("workflows", "TaskType")
    for level, weeks in EVALUATION_WEEKS.items():
        LevelSetting.objects.get_or_create(level=level, defaults={"evaluation_weeks": weeks})
    for code, name, kind, amount, unit, result_required in TASK_TYPES:
        TaskType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_organisation_kind": kind,
                "norm_amount": amount,
                "norm_unit": unit,
                "result_required": result_required,
            },
        )
    Role = apps.get_model("casebook", "Role")
    Permission = apps.get_model("auth", "Permission")
    admin = Role.objects.filter(code="functional_admin").first()
    if admin:
        admin.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="workflows",
                codename__in=["view_levelsetting", "change_levelsetting"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_level_flows")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
