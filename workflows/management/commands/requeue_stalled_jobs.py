# SPDX-License-Identifier: AGPL-3.0-or-later
"""Requeue what a dead worker left 'doing' (the worker does this every minute by itself)."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app

from workflows.jobs import STALLED_WORKER_SECONDS, requeue_stalled_jobs


class Command(BaseCommand):
    help = "Zet taken opnieuw in de wachtrij die een gestopte worker onaf liet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seconds",
            type=float,
            default=STALLED_WORKER_SECONDS,
            help="Een worker zonder hartslag sinds zoveel seconden geldt als gestopt.",
        )

    def handle(self, *args, seconds: float, **options):
        with app.replace_connector(app.connector.get_worker_connector()):
            ids = async_to_sync(self._requeue)(seconds)
        self.stdout.write(f"{len(ids)} taak/taken opnieuw in de wachtrij.")

    async def _requeue(self, seconds: float) -> list[int]:
        async with app.open_async():
            return await requeue_stalled_jobs(app, seconds)
