# SPDX-License-Identifier: AGPL-3.0-or-later
"""Load the demo data once (and, with --scale, bulk data for benchmarks)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection

from ijam.demo import scale as scale_data
from ijam.demo.generator import seed_demo
from ijam.demo.logins import DEMO_LOGINS
from ijam.demo.second_factor import DemoOnly, demo_otpauth_uris, seed_demo_apps


class Command(BaseCommand):
    help = (
        "Laadt eenmalig demo-gegevens: anderhalf jaar (zes kwartalen) IJAM in Maastricht, via "
        "de echte services."
    )

    def add_arguments(self, parser):
        parser.add_argument("--youths", type=int, default=150, help="aantal demo-jongeren")
        parser.add_argument("--seed", type=int, default=2026, help="startwaarde toeval")
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="voeg daarna N jongeren met casussen en historie toe via bulk-inserts "
            "(voor benchmarks, bijv. 100000)",
        )

    def handle(self, *args, youths, seed, scale: int, **options):
        started = time.monotonic()
        if seed_demo(youths=youths, seed=seed, log=self.stdout.write):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo-gegevens geladen in {time.monotonic() - started:.0f} s "
                    f"({youths} jongeren)."
                )
            )
        else:
            self.stdout.write("Er staan al gegevens in de database; demo-gegevens overgeslagen.")
        if scale:
            started = time.monotonic()
            scale_data.generate(scale, seed=seed, progress=self.stdout.write)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{scale} schaaljongeren toegevoegd in {time.monotonic() - started:.0f} s."
                )
            )
        # Planner statistics now, not whenever autovacuum comes by: the first pages after a
        # fresh start should not run on plans made for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for role, username, password in DEMO_LOGINS:
            self.stdout.write(f"  {role:45} {username:20} {password}")
        # The demo users' second factor: a known app secret each, only in the local demo.
        try:
            seeded = seed_demo_apps()
            uris = demo_otpauth_uris()
        except DemoOnly as exc:
            self.stderr.write(exc.message)
            return
        if seeded:
            self.stdout.write(
                f"Demo-app voor de tweede factor ingesteld voor {len(seeded)} gebruikers."
            )
        self.stdout.write(
            "Tweede factor (voeg toe aan een authenticator-app, of: manage demo_code <naam>):"
        )
        for username, uri in uris:
            self.stdout.write(f"  {username:20} {uri}")
