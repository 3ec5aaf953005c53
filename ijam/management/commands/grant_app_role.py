# SPDX-License-Identifier: AGPL-3.0-or-later
"""Give the application's database role what it needs, and on the audit trail no more than
INSERT and SELECT (ADR 0002). Run as the owner role after every migrate."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection

from ijam.database_roles import APP_ROLE, grant_app_role


class Command(BaseCommand):
    help = (
        "Geeft de applicatierol de rechten die IJAM nodig heeft; op de audittrail alleen "
        "INSERT en SELECT. Draai als eigenaar, na elke migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", default=APP_ROLE, help=f"default {APP_ROLE}")

    def handle(self, *args, role: str, **options):
        with connection.cursor() as cursor:
            grant_app_role(cursor, role)
        self.stdout.write(f"Rechten van {role} bijgewerkt.")
