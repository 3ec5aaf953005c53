# SPDX-License-Identifier: AGPL-3.0-or-later
"""Periodic jobs of the case tables (run by the procrastinate worker)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from workflows.meetings.services import involvements_sweep, sittings_plan_ahead


@app.periodic(cron="15 * * * *", periodic_id="generate-sittings")
@app.task(
    name="workflows.generate_sittings",
    aliases=["workflows.tasks.generate_sittings"],
    queue="default",
    queueing_lock="generate-sittings",
    pass_context=False,
)
def generate_sittings(timestamp: int) -> None:
    """Keep the sittings of every active case table planned twelve weeks ahead (hourly, so a
    series from a data migration is planned within the hour; mostly there is nothing to do)."""
    sittings_plan_ahead()


@app.periodic(cron="40 2 * * *", periodic_id="involvements-sweep")
@app.task(
    name="workflows.involvements_sweep",
    queue="default",
    queueing_lock="involvements-sweep",
    pass_context=False,
)
def end_finished_involvements(timestamp: int) -> None:
    """Nightly: end the involvement of organisations whose work in a case is over, so that
    their sight of it ends after the grace period (need-to-know that ends)."""
    involvements_sweep()
