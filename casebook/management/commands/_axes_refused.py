# SPDX-License-Identifier: AGPL-3.0-or-later
"""django-axes' own reset commands delete attempts without an audit event; IJAM's commands of
the same names (casebook comes before axes in INSTALLED_APPS) refuse and name the audited one."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class RefusedAxesCommand(BaseCommand):
    help = "Vervangen door manage.py login_unlock (met audittrail)."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")

    def handle(self, *args, **options):
        raise CommandError(
            "Deze opdracht van django-axes schrijft niets in de audittrail. Gebruik "
            "manage.py login_unlock --gebruikersnaam NAAM of --ip ADRES."
        )
