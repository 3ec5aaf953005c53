# SPDX-License-Identifier: AGPL-3.0-or-later
"""Linking a second registration to the known youth during screening: a youth record can be
marked as merged into another (it then never turns up as a possible match again), and the
closure reason IJAM gives the duplicate case ("Dubbele registratie"). The closure reason is not
offered when screening out by hand: linking moves the signals, screening out would decline them."""

import django.db.models.deletion
from django.db import migrations, models

from casebook.migration_operations import AddForeignKeySafely

DUPLICATE_REGISTRATION = {
    "code": "dubbele_registratie",
    "name": "Dubbele registratie (gekoppeld aan de bekende jongere)",
    "allowed_from_screening": False,
}


def add_closure_reason(apps, schema_editor):
    ClosureReason = apps.get_model("casebook", "ClosureReason")
    last = ClosureReason.objects.order_by("-order").values_list("order", flat=True).first() or 0
    ClosureReason.objects.get_or_create(
        code=DUPLICATE_REGISTRATION["code"],
        defaults={
            "name": DUPLICATE_REGISTRATION["name"],
            "allowed_from_screening": DUPLICATE_REGISTRATION["allowed_from_screening"],
            "order": last + 1,
        },
    )


def remove_closure_reason(apps, schema_editor):
    ClosureReason = apps.get_model("casebook", "ClosureReason")
    ClosureReason.objects.filter(code=DUPLICATE_REGISTRATION["code"], cases__isnull=True).delete()


class Migration(migrations.Migration):
    atomic = False  # the youth table grows with use: nothing here blocks it long

    dependencies = [
        ("casebook", "0022_role_grants"),
    ]

    operations = [
        AddForeignKeySafely(
            model_name="youth",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="casebook.youth",
                verbose_name="samengevoegd met",
            ),
        ),
        migrations.RunPython(add_closure_reason, remove_closure_reason, atomic=True),
    ]
