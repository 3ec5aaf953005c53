# SPDX-License-Identifier: AGPL-3.0-or-later
"""Correct under concurrency (ADR 0010).

* Sittings get the slot of the series' rhythm they fill, unique per series: the generator
  plans forward from the last slot and never plans a moved sitting again. Existing generated
  sittings get the rhythm moment on or before their start.
* Minutes and their items get a ``revision`` for optimistic locking; at most one draft per
  sitting (a partial unique constraint).
* A decision must fit its kind (CHECK, added NOT VALID and then validated after the fields a
  kind does not use are emptied).
* The deadline sweep's partial index matches its query: open work not yet overdue. Built
  concurrently (``atomic = False``), then the old index is dropped concurrently.
"""

import datetime as dt

from django.contrib.postgres.operations import (
    AddConstraintNotValid,
    AddIndexConcurrently,
    RemoveIndexConcurrently,
    ValidateConstraint,
)
from django.db import migrations, models


def fill_slots(apps, schema_editor):
    Meeting = apps.get_model("workflows", "Meeting")
    from django.utils import timezone

    for meeting in Meeting.objects.filter(generated=True).select_related("series"):
        series = meeting.series
        local = timezone.localtime(meeting.starts_at)
        days = (local.date() - series.first_date).days
        rhythm = series.first_date + dt.timedelta(days=days - days % (7 * series.every_weeks))
        slot = timezone.make_aware(dt.datetime.combine(rhythm, series.weekday_time))
        if not Meeting.objects.filter(series=series, slot=slot).exists():
            Meeting.objects.filter(pk=meeting.pk).update(slot=slot)


def empty_fields_a_kind_does_not_use(apps, schema_editor):
    Decision = apps.get_model("workflows", "Decision")
    moves = ["escalate", "deescalate"]
    Decision.objects.filter(kind__in=moves).update(
        closure_reason=None, task_type=None, organisation=None
    )
    Decision.objects.filter(kind="close").update(
        target_level="", criteria=[], task_type=None, organisation=None
    )
    Decision.objects.filter(kind="task").update(target_level="", criteria=[], closure_reason=None)
    Decision.objects.filter(kind__in=["continue", "plan"]).update(
        target_level="", criteria=[], closure_reason=None, task_type=None, organisation=None
    )


DECISION_FITS = models.CheckConstraint(
    condition=(
        models.Q(kind__in=["escalate", "deescalate"])
        & ~models.Q(target_level="")
        & models.Q(closure_reason__isnull=True, task_type__isnull=True)
        & models.Q(organisation__isnull=True)
    )
    | (
        models.Q(kind="close", closure_reason__isnull=False, target_level="")
        & models.Q(task_type__isnull=True, organisation__isnull=True)
    )
    | (
        models.Q(kind="task", task_type__isnull=False, organisation__isnull=False)
        & models.Q(target_level="", closure_reason__isnull=True)
    )
    | (
        models.Q(kind__in=["continue", "plan"], target_level="")
        & models.Q(closure_reason__isnull=True, task_type__isnull=True)
        & models.Q(organisation__isnull=True)
    ),
    name="decision_fits_its_kind",
)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("workflows", "0014_process_packages")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="slot",
            field=models.DateTimeField(blank=True, null=True, verbose_name="plek in het ritme"),
        ),
        migrations.RunPython(fill_slots, migrations.RunPython.noop, atomic=True),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("series", "slot"), name="meeting_unique_slot"
            ),
        ),
        migrations.AddField(
            model_name="minutes",
            name="revision",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="minutesitem",
            name="revision",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddConstraint(
            model_name="minutes",
            constraint=models.UniqueConstraint(
                condition=models.Q(confirmed_at__isnull=True),
                fields=("meeting",),
                name="minutes_one_draft",
            ),
        ),
        migrations.RunPython(
            empty_fields_a_kind_does_not_use, migrations.RunPython.noop, atomic=True
        ),
        AddConstraintNotValid(model_name="decision", constraint=DECISION_FITS),
        ValidateConstraint(model_name="decision", name="decision_fits_its_kind"),
        AddIndexConcurrently(
            model_name="partnertask",
            index=models.Index(
                condition=models.Q(("overdue_at__isnull", True), ("state__in", ["open", "claimed"])),
                fields=["deadline"],
                name="task_due_idx",
            ),
        ),
        RemoveIndexConcurrently(model_name="partnertask", name="task_open_deadline_idx"),
    ]
