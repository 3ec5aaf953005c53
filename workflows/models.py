# SPDX-License-Identifier: AGPL-3.0-or-later
"""The models of the ``workflows`` app (app label ``workflows``).

Each process keeps its records in its own package (``workflows.tasks.models``,
``workflows.ladder.models``, ``workflows.meetings.models``); Django registers the models of an
app from this module, so it imports them all. Code imports a model from its process package,
never from here. The worker's heartbeat belongs to no process and lives here.
"""

from __future__ import annotations

from django.db import models

from workflows.ladder.models import LevelSetting
from workflows.meetings.models import (
    AgendaItem,
    AttendanceRule,
    Decision,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesItem,
)
from workflows.tasks.models import PartnerTask, TaskType

__all__ = [
    "AgendaItem",
    "AttendanceRule",
    "Decision",
    "LevelSetting",
    "Meeting",
    "MeetingSeries",
    "Minutes",
    "MinutesItem",
    "PartnerTask",
    "TaskType",
    "WorkerHeartbeat",
]


class WorkerHeartbeat(models.Model):
    """The last time a worker ran its periodic heartbeat job; read by /healthz."""

    name = models.CharField(max_length=100, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
