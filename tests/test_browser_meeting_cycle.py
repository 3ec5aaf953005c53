# SPDX-License-Identifier: AGPL-3.0-or-later
"""End to end in Chromium: a sitting from agenda to confirmed minutes whose decision moves the
case up the ladder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casebook.models import Case
from tests import factories
from tests.browser import log_in
from workflows.ladder import services as ladder
from workflows.meetings.models import Meeting, MeetingSeries
from workflows.meetings.services import sittings_plan_ahead

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_meeting_cycle_in_the_browser(page, director, police_officer):
    MeetingSeries.objects.filter(level="netwerkoverleg").update(is_active=False)
    series = MeetingSeries.objects.create(
        name="Netwerkoverleg Noord-Oost",
        level="netwerkoverleg",
        first_date=timezone.localdate() + dt.timedelta(days=14),
        location="Stadhuis",
    )
    series.member_organisations.add(police_officer.organisation)
    sittings_plan_ahead()  # as the worker (or the admin, saving a new series) does
    case = ladder.case_screen_in(
        case=factories.signal(police_officer).case,
        actor=director,
        target_level="netwerkoverleg",
        reason="Signalen politie",
        criteria=factories.criteria_for("netwerkoverleg"),
    )

    log_in(page, director)
    page.get_by_role("link", name="Overleggen").click()
    page.get_by_role("row", name="Netwerkoverleg Noord-Oost").first.get_by_role("link").click()
    page.get_by_role("button", name="Agenda opbouwen uit de casussen die aan de beurt zijn").click()
    assert page.get_by_text("1 casus(sen) op de agenda gezet.").is_visible()
    page.get_by_role("button", name="Agenda versturen").click()
    assert page.get_by_text("De agenda is verstuurd").is_visible()
    assert case.tasks.filter(task_type__code="informatie", organisation=police_officer.organisation)

    page.get_by_role("button", name="Verslag beginnen").click()
    page.get_by_text("Besluit toevoegen").click()
    form = page.locator("details", has_text="Besluit toevoegen")
    form.get_by_label("Besluit", exact=True).select_option("escalate")
    form.get_by_label("Naar niveau").select_option("jonge_aanwas")
    for box in form.locator("input[value^='jonge_aanwas:']").all():
        box.check()
    form.get_by_label("Onderbouwing / opdracht").fill("Benaderd voor klusjes; tafel schaalt op.")
    form.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_role("button", name="Verslag vaststellen en besluiten uitvoeren").click()
    assert page.get_by_text(
        "Het verslag is vastgesteld en de besluiten zijn uitgevoerd."
    ).is_visible()

    assert Case.objects.get(pk=case.pk).level == "jonge_aanwas"
    sitting = Meeting.objects.filter(series=series).order_by("starts_at").first()
    assert sitting.status == Meeting.Status.HELD
    response = page.request.get(f"/overleg/{sitting.pk}/agenda.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
