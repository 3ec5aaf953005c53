# SPDX-License-Identifier: AGPL-3.0-or-later
"""Periodic jobs of the workflow engine (run by the procrastinate worker)."""

from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from workflows.models import WorkerHeartbeat


@app.periodic(cron="* * * * *", periodic_id="heartbeat")
@app.task(queue="default", queueing_lock="heartbeat", pass_context=False)
def heartbeat(timestamp: int) -> None:
    """Prove every minute that the worker runs; /healthz reports its age."""
    WorkerHeartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})


@app.periodic(cron="*/5 * * * *", periodic_id="deadline-sweep")
@app.task(queue="default", queueing_lock="deadline-sweep", pass_context=False)
def deadline_sweep(timestamp: int) -> None:
    """Remind, mark overdue and escalate partner tasks whose moment has come (exactly once)."""
    from workflows.services.deadlines import sweep_deadlines

    sweep_deadlines()


@app.periodic(cron="15 2 * * *", periodic_id="generate-sittings")
@app.task(queue="default", queueing_lock="generate-sittings", pass_context=False)
def generate_sittings(timestamp: int) -> None:
    """Keep the sittings of every active case table planned twelve weeks ahead."""
    import datetime as dt

    from workflows.models import MeetingSeries
    from workflows.services.meetings import sittings_generate

    until = timezone.localdate() + dt.timedelta(weeks=12)
    for series in MeetingSeries.objects.filter(is_active=True):
        sittings_generate(series=series, until=until)
