# SPDX-License-Identifier: AGPL-3.0-or-later
"""Periodic jobs of the case tables (run by the procrastinate worker)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from procrastinate.contrib.django import app

from workflows.meetings.models import MeetingSeries
from workflows.meetings.services import sittings_generate


@app.periodic(cron="15 2 * * *", periodic_id="generate-sittings")
@app.task(
    name="workflows.generate_sittings",
    aliases=["workflows.tasks.generate_sittings"],
    queue="default",
    queueing_lock="generate-sittings",
    pass_context=False,
)
def generate_sittings(timestamp: int) -> None:
    """Keep the sittings of every active case table planned twelve weeks ahead."""
    until = timezone.localdate() + dt.timedelta(weeks=12)
    for series in MeetingSeries.objects.filter(is_active=True):
        sittings_generate(series=series, until=until)
