# SPDX-License-Identifier: AGPL-3.0-or-later
"""Recompute the audit trail's hash chain; exit 1 naming the first broken event."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from casebook.services.audit import ChainBreak, verify_chain


class Command(BaseCommand):
    help = "Controleert de hashketen van de audittrail."

    def handle(self, *args, **options):
        verified = 0
        for item in verify_chain():
            if isinstance(item, ChainBreak):
                raise CommandError(
                    f"Audittrail verbroken bij gebeurtenis {item.event_id}: {item.problem}. "
                    f"{verified} gebeurtenissen ervoor zijn in orde.",
                    returncode=1,
                )
            verified += 1
        self.stdout.write(self.style.SUCCESS(f"Audittrail in orde: {verified} gebeurtenissen."))
