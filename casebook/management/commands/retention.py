# SPDX-License-Identifier: AGPL-3.0-or-later
"""Apply the retention terms (ADR 0020): without options a dry run that only shows what would
go; with ``--apply`` it is done, as the daily job does."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from casebook.models import RetentionRun
from casebook.selectors.retention import record_types, retention_plan
from casebook.services.retention import retention_run


class Command(BaseCommand):
    help = (
        "Bewaartermijnen: toont wat de volgende run zou anonimiseren of verwijderen "
        "(standaard, --dry-run), of voert het uit (--apply)."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen tonen wat zou verdwijnen; er verandert niets (standaard).",
        )
        mode.add_argument(
            "--apply",
            action="store_true",
            help="Verlopen gegevens nu anonimiseren of verwijderen (zoals de dagelijkse taak).",
        )

    def handle(self, *args, apply: bool = False, **options):
        now = timezone.now()
        if not apply:
            plan = retention_plan(now, with_ids=False)
            self.stdout.write(
                f"Proefrun op {timezone.localtime(now):%d-%m-%Y %H:%M}: er verandert niets."
            )
            for line in plan.lines:
                self.stdout.write(
                    f"  {line.record_type.label}: {line.count} (termijn: {line.record_type.term})"
                )
            self.stdout.write(f"Totaal {plan.total}. Voer uit met: manage.py retention --apply")
            return
        run = retention_run(now=now, trigger=RetentionRun.Trigger.COMMAND)
        self.stdout.write(f"Bewaartermijnen toegepast op {timezone.localtime(now):%d-%m-%Y %H:%M}:")
        labels = {rt.code: rt.label for rt in record_types()}
        for code, count in run.counts.items():
            self.stdout.write(f"  {labels.get(code, code)}: {count}")
        self.stdout.write("Controleer de audittrail met: manage.py verify_audit_chain")
