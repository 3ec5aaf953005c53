# SPDX-License-Identifier: AGPL-3.0-or-later
"""The involvement index carries ``ended_at``: a partner's case list asks for the cases whose
involvement still gives sight, and answers it from the index alone. Built and dropped
concurrently (the table is big: ADR 0010)."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casebook", "0024_support_reads_reports")]

    operations = [
        AddIndexConcurrently(
            model_name="caseinvolvement",
            index=models.Index(
                fields=["organisation", "case"],
                include=["ended_at"],
                name="involvement_org_live_idx",
            ),
        ),
        RemoveIndexConcurrently(model_name="caseinvolvement", name="involvement_org_case_idx"),
    ]
