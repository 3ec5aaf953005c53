# SPDX-License-Identifier: AGPL-3.0-or-later
"""The three case tables of the IJAM ladder and the attendance rules (configuration).

The plan names the tables but not their rhythm or members (seed gap): these are sensible
starting values for the functioneel beheerder to adjust.
"""

import datetime as dt

from django.contrib.auth.management import create_permissions
from django.db import migrations

SERIES = [
    # name, level, first sitting, time, every N weeks, lead time, location, member short names
    ("Netwerkoverleg Risicojeugd", "netwerkoverleg", dt.date(2026, 1, 6), dt.time(13, 30), 2, 3,
     "Stadhuis Maastricht", ["Politie", "Gemeente", "Trajekt", "Halt", "Leerplicht"]),
    ("Overleg Jonge Aanwas", "jonge_aanwas", dt.date(2026, 1, 8), dt.time(10, 0), 2, 3,
     "Stadhuis Maastricht", ["Politie", "Gemeente", "Jeugdreclassering", "RvdK"]),
    ("PGA-casusoverleg ZVH", "pga", dt.date(2026, 1, 7), dt.time(9, 30), 1, 2,
     "Zorg- en Veiligheidshuis", ["Politie", "Gemeente", "Jeugdreclassering", "RN", "RIO"]),
]
RULES = [("om", "criminal_law"), ("halt", "school_signal")]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    MeetingSeries = apps.get_model("workflows", "MeetingSeries")
    AttendanceRule = apps.get_model("workflows", "AttendanceRule")
    Organisation = apps.get_model("casebook", "Organisation")
    for name, level, first, time, weeks, lead, location, members in SERIES:
        series, created = MeetingSeries.objects.get_or_create(
            name=name,
            defaults={
                "level": level, "first_date": first, "weekday_time": time, "every_weeks": weeks,
                "preparation_working_days": lead, "location": location,
            },
        )
        if created:
            series.member_organisations.set(Organisation.objects.filter(short_name__in=members))
    for kind, condition in RULES:
        AttendanceRule.objects.get_or_create(organisation_kind=kind, condition=condition)
    Role = apps.get_model("casebook", "Role")
    Permission = apps.get_model("auth", "Permission")
    admin = Role.objects.filter(code="functional_admin").first()
    if admin:
        admin.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="workflows",
                codename__in=[
                    f"{a}_{m}"
                    for m in ("meetingseries", "attendancerule")
                    for a in ("view", "add", "change")
                ],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0007_case_tables")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
