# SPDX-License-Identifier: AGPL-3.0-or-later
"""Youths who live outside Maastricht, in the Heuvelland municipalities the ZVH Maastricht-
Heuvelland also serves: the plan's worked example (Mosae Forum) has members "mostly from
Maastricht, some from nearby municipalities". One place of residence per municipality, in a
district of its own, so reports per wijk show them apart; risk weight 0 (the demo's ladder
cases stay in Maastricht)."""

from django.db import migrations

DISTRICT = ("HEUVELLAND", "Buiten Maastricht (Heuvelland)")
MUNICIPALITIES = [
    # (CBS gemeentecode, name)
    ("GM1903", "Gemeente Eijsden-Margraten"),
    ("GM1729", "Gemeente Gulpen-Wittem"),
    ("GM0938", "Gemeente Meerssen"),
    ("GM0981", "Gemeente Vaals"),
    ("GM0994", "Gemeente Valkenburg aan de Geul"),
]


def forwards(apps, schema_editor):
    District = apps.get_model("casebook", "District")
    Neighbourhood = apps.get_model("casebook", "Neighbourhood")
    district, _created = District.objects.get_or_create(
        code=DISTRICT[0], defaults={"name": DISTRICT[1]}
    )
    for code, name in MUNICIPALITIES:
        Neighbourhood.objects.get_or_create(
            code=code, defaults={"name": name, "district": district, "risk_weight": 0}
        )


class Migration(migrations.Migration):
    dependencies = [("casebook", "0015_group_core_partners")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
