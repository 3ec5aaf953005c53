# SPDX-License-Identifier: AGPL-3.0-or-later
"""The 7-stappenmodel diagram in the docs is generated from the code and must match it."""

from __future__ import annotations

from pathlib import Path

from casebook.models import Group
from workflows.groups.steps import steps_mermaid

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_docs_group_steps_diagram_matches_the_state_machine():
    docs = (DOCS / "group-steps.md").read_text()
    diagram = steps_mermaid(Group)
    assert diagram in docs, "update the diagram in docs/group-steps.md from steps_mermaid"
    assert "s2 --> gesloten: not_problematic" in diagram
    assert "s7 --> gesloten: close" in diagram
    assert "gesloten --> s" not in diagram  # a closed approach does not reopen
