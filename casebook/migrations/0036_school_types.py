# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which school each school in the reference data is (the plan's K10 counts PO and VO schools).

The seed names secondary schools and one MBO; it names no primary school (seed gap): the
functioneel beheerder adds them as organisations of the kind school, type PO."""

from django.db import migrations

SCHOOL_TYPES = {
    "VMBO Maastricht": "vo",
    "Terra Nigra": "vo",
    "Bonnefantencollege": "vo",
    "St. Maartenscollege": "vo",
    "Porta Mosana": "vo",
    "Vista College": "mbo",
}


def forwards(apps, schema_editor):
    Organisation = apps.get_model("casebook", "Organisation")
    for short_name, school_type in SCHOOL_TYPES.items():
        Organisation.objects.filter(short_name=short_name, kind="school").update(
            school_type=school_type
        )


class Migration(migrations.Migration):
    dependencies = [("casebook", "0035_organisation_school_type")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
