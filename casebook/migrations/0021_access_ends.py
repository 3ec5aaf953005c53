# SPDX-License-Identifier: AGPL-3.0-or-later
"""Access that ends (an involvement's end) and emergency access (break the glass).

The involvements of cases closed before this migration end when their case closed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casebook', '0020_privacy_officer'),
    ]

    operations = [
        migrations.AddField(
            model_name='caseinvolvement',
            name='end_reason',
            field=models.CharField(blank=True, choices=[('case_closed', 'casus afgesloten'), ('work_done', 'geen taak en geen uitnodiging meer'), ('ended', 'beëindigd door de procesregisseur')], default='', max_length=20, verbose_name='reden van beëindigen'),
        ),
        migrations.AddField(
            model_name='caseinvolvement',
            name='ended_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='beëindigd op'),
        ),
        migrations.CreateModel(
            name='EmergencyAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='reden')),
                ('opened_at', models.DateTimeField(verbose_name='geopend op')),
                ('expires_at', models.DateTimeField(verbose_name='verloopt op')),
                ('review', models.CharField(choices=[('pending', 'te beoordelen'), ('justified', 'terecht'), ('unjustified', 'onterecht')], default='pending', max_length=20, verbose_name='beoordeling')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='beoordeeld op')),
                ('review_note', models.TextField(blank=True, verbose_name='toelichting bij de beoordeling')),
                ('version', models.PositiveIntegerField(default=1)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='emergency_accesses', to='casebook.case', verbose_name='casus')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='beoordeeld door')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='emergency_accesses', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
            ],
            options={
                'verbose_name': 'doorbraak',
                'verbose_name_plural': 'doorbraken',
                'indexes': [models.Index(fields=['user', 'case', 'expires_at'], name='emergency_user_case_idx'), models.Index(fields=['review', '-opened_at'], name='emergency_review_idx')],
            },
        ),
        migrations.RunSQL(
            """
            UPDATE casebook_caseinvolvement AS i
               SET ended_at = c.closed_at, end_reason = 'case_closed'
              FROM casebook_case AS c
             WHERE c.id = i.case_id AND c.closed_at IS NOT NULL AND i.ended_at IS NULL
            """,
            migrations.RunSQL.noop,
        ),
    ]
