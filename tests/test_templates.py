# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template hygiene: a Django ``{# … #}`` comment ends on its own line; one that spans lines is
shown to the user as text."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_comment_spans_lines():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not offenders, "use {% comment %} for comments over several lines: " + ", ".join(
        offenders
    )


def test_an_empty_required_textarea_is_not_shown_as_invalid_before_submitting():
    from workflows.groups.forms import GroupSignalForm

    html = str(GroupSignalForm()["text"])
    assert 'aria-required="true"' in html
    assert " required" not in html  # :invalid would paint it red on an untouched form
    bound = GroupSignalForm(data={"text": ""})
    bound.is_valid()
    assert 'aria-invalid="true"' in str(bound["text"])
