# SPDX-License-Identifier: AGPL-3.0-or-later
"""The case tables' PDF documents (WeasyPrint): agenda and minutes per recipient organisation.
Each recipient's copy holds only the cases it may see."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from casebook.models import CaseInvolvement, Organisation
from workflows.meetings.models import Meeting, Minutes
from workflows.meetings.services import invited_organisations


def _visible_case_ids(organisation: Organisation | None) -> set[int] | None:
    """None means all cases (the ZVH's own copy)."""
    if organisation is None:
        return None
    return set(
        CaseInvolvement.objects.filter(organisation=organisation).values_list("case_id", flat=True)
    )


def agenda_html(meeting: Meeting, organisation: Organisation | None) -> str:
    visible = _visible_case_ids(organisation)
    items = [
        item
        for item in meeting.items.select_related(
            "case", "case__youth", "case__youth__neighbourhood"
        )
        if visible is None or item.case_id in visible
    ]
    for item in items:
        item.invited = invited_organisations(case=item.case, series=meeting.series)
    return render_to_string(
        "meetings/documents/agenda.html",
        {"meeting": meeting, "items": items, "recipient": organisation, "now": timezone.now()},
    )


def minutes_html(minutes: Minutes, organisation: Organisation | None) -> str:
    visible = _visible_case_ids(organisation)
    items = [
        item
        for item in minutes.items.select_related("case", "case__youth").prefetch_related(
            "attendees", "decisions__closure_reason"
        )
        if visible is None or item.case_id in visible
    ]
    return render_to_string(
        "meetings/documents/minutes.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "items": items,
            "recipient": organisation,
            "now": timezone.now(),
        },
    )
