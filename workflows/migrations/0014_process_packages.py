# SPDX-License-Identifier: AGPL-3.0-or-later
"""The restructure into one package per process (ADR 0009).

* Recording minutes gets a permission of its own (it borrowed ``casebook.view_all_cases``):
  every role that could see all cases keeps recording minutes.
* The partner-task flow moved from ``workflows/flows.py`` to ``workflows/tasks/flows.py``.
  viewflow stores a flow and its nodes by module path, so the stored references move with it.
  The task tables can hold millions of rows: the update runs in batches of primary keys, each
  its own short transaction (``atomic = False``), so no long lock is held.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OLD_FLOW, NEW_FLOW = "workflows/flows.PartnerTaskFlow", "workflows/tasks.flows.PartnerTaskFlow"
BATCH = 20_000


def _rewrite(schema_editor, table: str, column: str, old: str, new: str) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM {table}")  # noqa: S608
        low, high = cursor.fetchone()
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                f"UPDATE {table} SET {column} = %s || substr({column}, %s) "  # noqa: S608
                f"WHERE id >= %s AND id < %s AND {column} LIKE %s",
                [new, len(old) + 1, start, start + BATCH, old + "%"],
            )


def move_flow_references(apps, schema_editor):
    _rewrite(schema_editor, "viewflow_process", "flow_class", OLD_FLOW, NEW_FLOW)
    _rewrite(schema_editor, "viewflow_task", "flow_task", OLD_FLOW + ".", NEW_FLOW + ".")


def move_flow_references_back(apps, schema_editor):
    _rewrite(schema_editor, "viewflow_process", "flow_class", NEW_FLOW, OLD_FLOW)
    _rewrite(schema_editor, "viewflow_task", "flow_task", NEW_FLOW + ".", OLD_FLOW + ".")


def grant_record_minutes(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("casebook", "Role")
    new = Permission.objects.get(content_type__app_label="workflows", codename="record_minutes")
    for role in Role.objects.filter(
        permissions__content_type__app_label="casebook", permissions__codename="view_all_cases"
    ):
        role.permissions.add(new)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("workflows", "0013_group_task_constraints"),
        ("casebook", "0017_group_approach_permission"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="minutes",
            options={
                "ordering": ["meeting", "version"],
                "permissions": [
                    ("record_minutes", "Mag verslagen en besluiten van een zitting vastleggen")
                ],
                "verbose_name": "verslag",
                "verbose_name_plural": "verslagen",
            },
        ),
        migrations.RunPython(grant_record_minutes, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(move_flow_references, move_flow_references_back),
    ]
