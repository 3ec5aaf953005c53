# SPDX-License-Identifier: AGPL-3.0-or-later
"""Print the second-factor code of a demo user (``./ijam.sh manage demo_code regisseur``).
Only in the local demo: refuses with DEBUG off (ADR 0014)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ijam.demo.second_factor import DemoOnly, demo_code


class Command(BaseCommand):
    help = "Toont de code van de tweede factor van een demo-gebruiker (alleen met DEBUG=1)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="demo-gebruikersnaam, bijv. regisseur")

    def handle(self, *args, username: str, **options):
        try:
            code, seconds = demo_code(username)
        except DemoOnly as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(code)
        self.stderr.write(f"(code voor {username}, nog {seconds} seconden geldig)")
