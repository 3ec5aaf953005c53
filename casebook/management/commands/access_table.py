# SPDX-License-Identifier: AGPL-3.0-or-later
"""Print the access policy's table of roles × objects × actions (for ``docs/access.md``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from casebook.policy import rules_table


class Command(BaseCommand):
    help = "Toon de tabel van het toegangsbeleid (rollen × objecten × handelingen)."

    def handle(self, *args, **options):
        self.stdout.write(rules_table(), ending="")
