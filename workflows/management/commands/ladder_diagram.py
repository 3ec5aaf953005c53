# SPDX-License-Identifier: AGPL-3.0-or-later
"""Print the ladder's state diagram (Mermaid), generated from the transitions in the code."""

from django.core.management.base import BaseCommand

from casebook.models import Case
from workflows.ladder.machine import ladder_mermaid


class Command(BaseCommand):
    help = "Toont het toestandsdiagram van de IJAM-ladder (Mermaid), gegenereerd uit de code."

    def handle(self, *args, **options):
        self.stdout.write(ladder_mermaid(Case), ending="")
