# SPDX-License-Identifier: AGPL-3.0-or-later
"""Create the owner and application roles and hand the database to the owner (ADR 0002).
Run once as a superuser of the database server; safe to run again."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand
from django.db import connection

from ijam.database_roles import APP_ROLE, OWNER_ROLE, setup_roles


class Command(BaseCommand):
    help = (
        "Maakt de eigenaarsrol en de applicatierol aan en maakt de eigenaar eigenaar van de "
        "database en alles erin. Draai als superuser; wachtwoorden uit IJAM_DB_OWNER_PASSWORD "
        "en IJAM_DB_APP_PASSWORD (leeg: geen wachtwoord)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default=OWNER_ROLE)
        parser.add_argument("--app", default=APP_ROLE)

    def handle(self, *args, owner: str, app: str, **options):
        with connection.cursor() as cursor:
            setup_roles(
                cursor,
                owner=owner,
                app=app,
                owner_password=os.environ.get("IJAM_DB_OWNER_PASSWORD") or None,
                app_password=os.environ.get("IJAM_DB_APP_PASSWORD") or None,
            )
        self.stdout.write(f"Rollen {owner} (eigenaar) en {app} (applicatie) ingericht.")
