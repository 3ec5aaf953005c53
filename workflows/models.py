# SPDX-License-Identifier: AGPL-3.0-or-later
"""Bookkeeping of the background worker."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a worker ran its periodic heartbeat job; read by /healthz."""

    name = models.CharField(max_length=100, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
