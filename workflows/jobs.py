# SPDX-License-Identifier: AGPL-3.0-or-later
"""The worker's own job, and the jobs of each process package.

procrastinate's Django integration imports ``jobs`` of every installed app
(``PROCRASTINATE_AUTODISCOVER_MODULE_NAME``); this module loads the process packages' jobs.
Every job has a fixed ``name``, independent of the module it lives in, so jobs already queued
survive a move of the code; ``aliases`` keep the names jobs were queued under before.
"""

from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from workflows.meetings import jobs as meetings_jobs  # noqa: F401
from workflows.models import WorkerHeartbeat
from workflows.tasks import jobs as tasks_jobs  # noqa: F401


@app.periodic(cron="* * * * *", periodic_id="heartbeat")
@app.task(
    name="workflows.heartbeat",
    aliases=["workflows.tasks.heartbeat"],
    queue="default",
    queueing_lock="heartbeat",
    pass_context=False,
)
def heartbeat(timestamp: int) -> None:
    """Prove every minute that the worker runs; /healthz reports its age."""
    WorkerHeartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})
