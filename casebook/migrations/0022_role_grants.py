# SPDX-License-Identifier: AGPL-3.0-or-later
"""Role grants under four eyes (ADR 0011): a role that reaches persons, asked for in the admin,
waits for a second person's approval. The functioneel beheerder sees the requests in the admin."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models




def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("casebook", "Role")
    admin = Role.objects.filter(code="functional_admin").first()
    if admin:
        admin.permissions.add(
            *Permission.objects.filter(content_type__app_label="casebook", codename="view_rolegrant")
        )


class Migration(migrations.Migration):

    dependencies = [
        ('casebook', '0021_access_ends'),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(verbose_name='aangevraagd op')),
                ('decision', models.CharField(choices=[('pending', 'wacht op goedkeuring'), ('approved', 'goedgekeurd'), ('rejected', 'afgewezen')], default='pending', max_length=10, verbose_name='besluit')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='beoordeeld op')),
                ('reason', models.TextField(blank=True, verbose_name='toelichting')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='beoordeeld door')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='aangevraagd door')),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='grants', to='casebook.role', verbose_name='rol')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='role_grants', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
            ],
            options={
                'verbose_name': 'roltoekenning',
                'verbose_name_plural': 'roltoekenningen',
                'ordering': ['-requested_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('decision', 'pending')), fields=('user', 'role'), name='rolegrant_one_pending_per_user_role'), models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', True), ('decided_by__isnull', True), ('decision', 'pending')), models.Q(models.Q(('decision', 'pending'), _negated=True), ('decided_at__isnull', False), ('decided_by__isnull', False)), _connector='OR'), name='rolegrant_decided_has_decider'), models.CheckConstraint(condition=models.Q(models.Q(('decided_by', models.F('requested_by')), _negated=True), models.Q(('decided_by', models.F('user')), _negated=True)), name='rolegrant_four_eyes')],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
