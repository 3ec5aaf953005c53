# SPDX-License-Identifier: AGPL-3.0-or-later
"""The case tables' PDF documents (WeasyPrint): agenda and minutes per recipient organisation.
Each recipient's copy holds only the cases it may see."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from casebook.models import Organisation
from casebook.services.processing import Code as Activity
from casebook.services.processing import log_subjects
from workflows.meetings.models import Meeting, Minutes
from workflows.meetings.selectors import agenda_items, invited_organisations, minutes_items


def agenda_html(meeting: Meeting, organisation: Organisation | None) -> str:
    items = list(agenda_items(meeting, organisation))
    for item in items:
        item.invited = invited_organisations(case=item.case, series=meeting.series)
    log_subjects(Activity.CASE_TABLES, [item.case.youth_id for item in items], "agenda_pdf.viewed")
    return render_to_string(
        "meetings/documents/agenda.html",
        {"meeting": meeting, "items": items, "recipient": organisation, "now": timezone.now()},
    )


def minutes_html(minutes: Minutes, organisation: Organisation | None) -> str:
    items = list(minutes_items(minutes, organisation))
    log_subjects(Activity.CASE_TABLES, [item.case.youth_id for item in items], "minutes_pdf.viewed")
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
