# SPDX-License-Identifier: AGPL-3.0-or-later
"""Periodic jobs of the case tables (run by the procrastinate worker)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from workflows.meetings.services import sittings_plan_ahead


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
