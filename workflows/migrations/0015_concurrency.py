# SPDX-License-Identifier: AGPL-3.0-or-later
"""Correct under concurrency (ADR 0010).

* Sittings get the slot of the series' rhythm they fill, unique per series: the generator
  plans forward from the last slot and never plans a moved sitting again. Existing generated
  sittings get the rhythm moment on or before their start; moved ones the slot of the moment
  they were planned at (``fill_slots``).
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
    """Give every sitting the generator planned the slot of the rhythm it filled: the rhythm
    day on or before its start (a slot on a holiday is held on the next working day). A
    sitting moved since keeps the slot of the moment it was planned at, read from its first
    'zitting verplaatst' audit event; without a rhythm moment there it was scheduled by hand
    and has no slot."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from workflows.tasks.calendar import add_working_days

    Meeting = apps.get_model("workflows", "Meeting")
    AuditEvent = apps.get_model("casebook", "AuditEvent")
    planned_at: dict[int, dt.datetime] = {}
    moves = AuditEvent.objects.filter(action="meeting.moved", object_type="workflows.meeting")
    for object_id, before in moves.order_by("id").values_list("object_id", "before"):
        moment = parse_datetime(str((before or {}).get("aanvang") or ""))
        if moment is not None and object_id.isdecimal():
            planned_at.setdefault(int(object_id), moment)

    def slot_of(series, moment: dt.datetime, generated: bool) -> dt.datetime | None:
        local = timezone.localtime(moment)
        days = (local.date() - series.first_date).days
        rhythm = series.first_date + dt.timedelta(days=days - days % (7 * series.every_weeks))
        on_rhythm = add_working_days(rhythm, 0) == local.date()
        if not generated and not (on_rhythm and local.time() == series.weekday_time):
            return None  # not a moment of the rhythm: a sitting scheduled by hand
        return timezone.make_aware(dt.datetime.combine(rhythm, series.weekday_time))

    meetings = Meeting.objects.select_related("series").order_by("-generated", "starts_at")
    for meeting in meetings:
        moment = meeting.starts_at if meeting.generated else planned_at.get(meeting.pk)
        slot = moment and slot_of(meeting.series, moment, meeting.generated)
        if slot and not Meeting.objects.filter(series=meeting.series, slot=slot).exists():
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

    dependencies = [
        ("workflows", "0014_process_packages"),
        ("casebook", "0006_audit_chain_in_database"),  # the moves, in the audit trail
    ]

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
