# SPDX-License-Identifier: AGPL-3.0-or-later
"""Task permissions for the roles, and the starting set of task types (configuration)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "process_director": ["work_on_task", "assign_task"],
    "process_support": ["work_on_task"],
    "partner": ["work_on_task"],
}
ADMIN_MODELS = ["tasktype"]

# (code, name, default organisation kind, norm, unit, result required)
TASK_TYPES = [
    ("screening", "Signaal screenen", "zvh", 5, "working_days", True),
    ("informatie", "Informatie aanleveren voor casusoverleg", "", 5, "working_days", True),
    ("schoolgesprek", "Schoolgesprek voeren", "halt", 10, "working_days", True),
    ("voortgang", "Voortgangsrapportage leveren", "jeugdreclassering", 10, "working_days", True),
    ("interventie", "Interventie uitvoeren", "", 90, "calendar_days", True),
    ("terugkoppeling", "Terugkoppeling geven", "", 5, "working_days", True),
    ("reintegratieplan", "Re-integratieplan opstellen", "rio", 15, "working_days", True),
    ("basisvoorwaarden", "Basisvoorwaarden regelen (ID, inkomen, wonen, schulden, zorg)", "rio", 20,
     "working_days", True),
    ("overig", "Overige taak", "", 10, "working_days", False),
]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Role = apps.get_model("casebook", "Role")
    Permission = apps.get_model("auth", "Permission")
    for code, codenames in ROLE_PERMISSIONS.items():
        role = Role.objects.filter(code=code).first()
        if role:
            role.permissions.add(
                *Permission.objects.filter(content_type__app_label="workflows", codename__in=codenames)
            )
    admin = Role.objects.filter(code="functional_admin").first()
    if admin:
        admin.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="workflows",
                codename__in=[f"{a}_{m}" for m in ADMIN_MODELS for a in ("view", "add", "change")],
            )
        )
    TaskType = apps.get_model("workflows", "TaskType")
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


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_partner_tasks"),
        ("casebook", "0005_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
