# SPDX-License-Identifier: AGPL-3.0-or-later
"""Recompute the audit trail's seals and hash chain and check it against the latest anchor;
exit 1 naming the first problem."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from casebook.services.audit import ChainBreak, verify_chain
from casebook.services.audit_anchor import AnchorInvalid, anchor_path, latest_checkpoint


class Command(BaseCommand):
    help = (
        "Controleert de zegels en de hashketen van de audittrail, en de keten tegen het "
        "laatste ankerpunt buiten de database."
    )

    def handle(self, *args, **options):
        try:
            checkpoint = latest_checkpoint()
        except AnchorInvalid as invalid:
            raise CommandError(
                f"Audittrail niet te vertrouwen: het ankerbestand is gemanipuleerd ({invalid}).",
                returncode=1,
            ) from invalid
        verified = 0
        for item in verify_chain(anchor=checkpoint.point() if checkpoint else None):
            if isinstance(item, ChainBreak):
                where = (
                    f"bij gebeurtenis {item.event_id}"
                    if item.event_id is not None
                    else "na het einde"
                )
                raise CommandError(
                    f"Audittrail gemanipuleerd of verbroken {where}: {item.problem}. "
                    f"{verified} gebeurtenissen ervoor zijn in orde.",
                    returncode=1,
                )
            verified += 1
        if checkpoint is None:
            anchored = f"nog geen ankerpunt in {anchor_path()}"
        else:
            anchored = (
                f"het ankerpunt van {checkpoint.anchored_at} (positie {checkpoint.position}) klopt"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audittrail in orde: {verified} gebeurtenissen; {anchored}.")
        )
