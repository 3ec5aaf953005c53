# SPDX-License-Identifier: AGPL-3.0-or-later
"""The diagram in the docs is generated from the code and must match it."""

from __future__ import annotations

from pathlib import Path

from casebook.models import Case
from workflows.ladder.machine import ladder_mermaid

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_docs_diagram_matches_the_state_machine():
    docs = (DOCS / "ladder.md").read_text()
    assert ladder_mermaid(Case) in docs, (
        "run ./ijam.sh manage ladder_diagram and update docs/ladder.md"
    )


def test_diagram_shows_every_move():
    diagram = ladder_mermaid(Case)
    for line in [
        "awaiting_screening --> pga: screen_in",
        "awaiting_screening --> closed: screen_out",
        "netwerkoverleg --> pga: escalate",
        "pga --> netwerkoverleg: deescalate",
        "jonge_aanwas --> closed: close",
    ]:
        assert line in diagram
    assert "closed --> netwerkoverleg" not in diagram
