# SPDX-License-Identifier: AGPL-3.0-or-later
"""The worker's own job, and the jobs of each process package.

procrastinate's Django integration imports ``jobs`` of every installed app
(``PROCRASTINATE_AUTODISCOVER_MODULE_NAME``); this module loads the process packages' jobs.
Every job has a fixed ``name``, independent of the module it lives in, so jobs already queued
survive a move of the code; ``aliases`` keep the names jobs were queued under before.
"""

from __future__ import annotations

from django.utils import timezone
from procrastinate import App
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


#: A worker that has not sent its heartbeat for this long is dead (procrastinate's workers
#: beat every 10 seconds); the jobs it was doing are requeued.
STALLED_WORKER_SECONDS = 60


async def requeue_stalled_jobs(on: App, seconds_since_heartbeat: float) -> list[int]:
    """Requeue the jobs that a dead worker (killed, out of memory, machine gone) left
    'doing' for ever, and forget the dead workers; returns the job ids. Each job then runs
    again; the e-mail job knows an attempt that may have been half-done (ADR 0024)."""
    jobs = await on.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat)
    for job in jobs:
        await on.job_manager.retry_job(job)
    await on.job_manager.prune_stalled_workers(seconds_since_heartbeat=seconds_since_heartbeat)
    return [job.id for job in jobs]


@app.periodic(cron="* * * * *", periodic_id="requeue-stalled-jobs")
@app.task(
    name="workflows.requeue_stalled_jobs",
    queue="default",
    queueing_lock="requeue-stalled-jobs",
    pass_context=True,
)
async def requeue_stalled_jobs_job(context, timestamp: int) -> None:
    """Every minute: nothing a dead worker was doing stays undone."""
    await requeue_stalled_jobs(context.app, STALLED_WORKER_SECONDS)
