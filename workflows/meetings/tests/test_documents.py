# SPDX-License-Identifier: AGPL-3.0-or-later
"""Agenda, minutes and case summary as PDF, per recipient only what it may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.documents import case_summary_html
from workflows.meetings import services as meeting_services
from workflows.meetings.documents import agenda_html, minutes_html
from workflows.meetings.minutes import decision_add, minutes_confirm, minutes_draft
from workflows.meetings.models import Meeting, MeetingSeries

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(zvh, director, police_officer, halt_worker):
    series = MeetingSeries.objects.create(
        name="Overleg Jonge Aanwas (test)",
        level="netwerkoverleg",
        first_date=timezone.localdate() + dt.timedelta(days=14),
        location="Stadhuis",
    )
    meeting_services.sittings_generate(series=series, until=series.first_date)
    meeting = Meeting.objects.get(series=series)
    cases = []
    for reporter in (police_officer, halt_worker):
        case = ladder.case_screen_in(
            case=factories.signal(reporter).case,
            actor=director,
            target_level="netwerkoverleg",
            reason="in",
            criteria=factories.criteria_for("netwerkoverleg"),
        )
        meeting_services.agenda_add(meeting=meeting, actor=director, case=case)
        cases.append(case)
    return meeting, cases


def test_each_recipient_gets_only_its_own_cases(agenda, police, halt):
    meeting, (police_case, halt_case) = agenda
    for_police = agenda_html(meeting, police)
    assert police_case.youth.full_name in for_police
    assert halt_case.youth.full_name not in for_police
    assert "VERTROUWELIJK" in for_police and "Exemplaar voor" in for_police
    full = agenda_html(meeting, None)
    assert police_case.youth.full_name in full and halt_case.youth.full_name in full


def test_agenda_pdf_for_a_partner_is_its_own_copy(client, agenda, police_officer):
    meeting, _cases = agenda
    client.force_login(police_officer)
    response = client.get(reverse("meetings:agenda-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_minutes_pdf_and_case_summary(client, agenda, director, support, police):
    meeting, (police_case, halt_case) = agenda
    minutes = minutes_draft(meeting=meeting, actor=support)
    decision_add(
        item=minutes.items.get(case=police_case),
        actor=support,
        kind="continue",
        reason="Afspraken lopen goed",
    )
    minutes_confirm(minutes=minutes, actor=director)
    html = minutes_html(minutes, police)
    assert "Afspraken lopen goed" in html and halt_case.youth.full_name not in html
    client.force_login(director)
    response = client.get(reverse("meetings:minutes-pdf", args=[meeting.pk, 1]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    summary = case_summary_html(police_case)
    assert "Ingestroomd na screening" in summary and police_case.reference in summary
    response = client.get(reverse("casebook:case-summary-pdf", args=[police_case.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_partners_cannot_get_the_case_summary(client, agenda, police_officer):
    _meeting, (police_case, _halt_case) = agenda
    client.force_login(police_officer)
    assert (
        client.get(reverse("casebook:case-summary-pdf", args=[police_case.pk])).status_code == 403
    )
