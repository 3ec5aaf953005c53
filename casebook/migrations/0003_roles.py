# SPDX-License-Identifier: AGPL-3.0-or-later
"""The five roles of IJAM and the permissions each grants."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_PERMISSIONS = {
    "process_director": [
        "view_all_cases", "transition_case", "register_signal", "view_aggregate_reports",
    ],
    "process_support": ["view_all_cases", "register_signal"],
    "partner": ["register_signal"],
    "steering_group": ["view_aggregate_reports"],
    "functional_admin": [],
}
CONFIGURATION_MODELS = [
    "organisation", "user", "role", "district", "neighbourhood", "areateam", "signalcategory",
    "closurereason", "levelcriterion", "intervention",
]
ROLES = [
    ("process_director", "Procesregisseur",
     "Screent signalen, voert de casustafels, schaalt op en af, wijst werk toe en sluit af."),
    ("process_support", "Procesondersteuner",
     "Bereidt agenda's voor, legt verslagen en besluiten vast en houdt gegevens op orde."),
    ("partner", "Partnerprofessional",
     "Ziet alleen casussen waarbij de eigen organisatie betrokken is; meldt signalen."),
    ("steering_group", "Stuurgroeplid",
     "Leest doorstroomrapportages: alleen geaggregeerde cijfers, nooit personen."),
    ("functional_admin", "Functioneel beheerder",
     "Beheert organisaties, gebruikers, criteria en catalogi; ziet geen casusinhoud."),
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so roles can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Role = apps.get_model("casebook", "Role")
    Permission = apps.get_model("auth", "Permission")
    for code, name, description in ROLES:
        role, _ = Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        perms = list(
            Permission.objects.filter(
                content_type__app_label="casebook", codename__in=CASE_PERMISSIONS[code]
            )
        )
        if code == "functional_admin":
            codenames = [
                f"{action}_{model}"
                for model in CONFIGURATION_MODELS
                for action in ("view", "add", "change")
            ]
            perms = list(
                Permission.objects.filter(content_type__app_label="casebook", codename__in=codenames)
            )
        role.permissions.set(perms)


class Migration(migrations.Migration):
    dependencies = [("casebook", "0002_audit_append_only")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
