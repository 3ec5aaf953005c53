# SPDX-License-Identifier: AGPL-3.0-or-later
"""Write a signed checkpoint of the audit chain's head outside the database, now (the worker
does it every hour)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from casebook.services.audit_anchor import anchor_path, write_checkpoint


class Command(BaseCommand):
    help = "Legt de kop van de audittrail vast buiten de database (ondertekend ankerpunt)."

    def handle(self, *args, **options):
        checkpoint = write_checkpoint()
        self.stdout.write(
            f"Ankerpunt vastgelegd in {anchor_path()}: positie {checkpoint.position}, "
            f"hash {checkpoint.hash}."
        )
