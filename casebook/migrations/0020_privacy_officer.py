# SPDX-License-Identifier: AGPL-3.0-or-later
"""The privacy officer (functionaris gegevensbescherming) as a sixth role, and the permissions of
need-to-know that holds: break the glass (partners), the processing log and the review of
emergency access (privacy officer), approving a role grant under four eyes (privacy officer and
functioneel beheerder; never one's own)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRIVACY_OFFICER = (
    "privacy_officer",
    "Privacy officer",
    "Ziet de audittrail, het verwerkingenlogboek, het toegangsoverzicht per jongere en de "
    "doorbraken ter beoordeling; keurt roltoekenningen goed. Ziet geen casusinhoud.",
)
GRANTS = {
    "privacy_officer": ["view_processing_log", "review_emergency_access", "approve_role_grant"],
    "functional_admin": ["approve_role_grant"],
    "partner": ["break_the_glass"],
}


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("casebook", "Role")
    code, name, description = PRIVACY_OFFICER
    Role.objects.update_or_create(code=code, defaults={"name": name, "description": description})
    for role in Role.objects.filter(code__in=GRANTS):
        role.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="casebook", codename__in=GRANTS[role.code]
            )
        )


def backwards(apps, schema_editor):
    Role = apps.get_model("casebook", "Role")
    Role.objects.filter(code=PRIVACY_OFFICER[0], users__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("casebook", "0019_versions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['id'], 'permissions': [('view_processing_log', 'Mag de audittrail, het verwerkingenlogboek en toegangsoverzichten inzien'), ('review_emergency_access', 'Mag doorbraken van de toegang beoordelen')], 'verbose_name': 'auditgebeurtenis', 'verbose_name_plural': 'audittrail'},
        ),
        migrations.AlterModelOptions(
            name='case',
            options={'ordering': ['-opened_at'], 'permissions': [('view_all_cases', 'Mag alle casussen en signalen inzien'), ('transition_case', 'Mag casussen screenen, op- en afschalen en afsluiten'), ('register_signal', 'Mag signalen melden'), ('view_aggregate_reports', 'Mag geaggregeerde rapportages inzien'), ('break_the_glass', 'Mag in spoed, met reden en tijdelijk, een casus buiten de regels openen')], 'verbose_name': 'casus', 'verbose_name_plural': 'casussen'},
        ),
        migrations.AlterModelOptions(
            name='role',
            options={'ordering': ['name'], 'permissions': [('approve_role_grant', 'Mag een roltoekenning met toegang tot personen goedkeuren (vier ogen)')], 'verbose_name': 'rol', 'verbose_name_plural': 'rollen'},
        ),
        migrations.RunPython(forwards, backwards),
    ]
