# SPDX-License-Identifier: AGPL-3.0-or-later
"""Lift a lockout after failed log-ins from the command line, audited (ADR 0015)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from casebook.errors import IjamError
from casebook.services.accounts import login_unlock


class Command(BaseCommand):
    help = (
        "Hef de blokkering van inloggen op voor een gebruikersnaam en/of een IP-adres; de "
        "opheffing komt in de audittrail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--gebruikersnaam", dest="username", default="")
        parser.add_argument("--ip", dest="ip_address", default="")
        parser.add_argument("--reden", dest="reason", default="")

    def handle(self, *args, username, ip_address, reason, **options):
        try:
            removed = login_unlock(
                actor=None, username=username, ip_address=ip_address, reason=reason
            )
        except IjamError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Blokkering opgeheven ({removed} registraties van pogingen verwijderd).")
