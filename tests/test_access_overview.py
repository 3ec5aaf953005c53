# SPDX-License-Identifier: AGPL-3.0-or-later
"""The privacy officer's access overview per youth (for a subject-access request): who could
see the data and who did, without case content; nobody else reaches it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casebook.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_case(police_officer):
    return factories.signal(police_officer, description="Politie: geheime omschrijving").case


def _query(case) -> dict:
    youth = case.youth
    return {"last_name": youth.last_name.upper(), "date_of_birth": youth.date_of_birth.isoformat()}


def test_the_privacy_officer_sees_who_could_and_who_did_see_a_youth(
    client, privacy_officer, police_officer, police_case
):
    client.force_login(police_officer)
    client.get(reverse("casebook:case-detail", args=[police_case.pk]))
    client.force_login(privacy_officer)
    response = client.get(reverse("casebook:access-overview"), _query(police_case))
    page = response.content.decode()
    assert response.status_code == 200
    assert police_case.reference in page
    assert police_officer.organisation.name in page  # could see it: the reporter
    assert "melder van een signaal" in page
    assert police_officer.get_full_name() in page  # did see it
    assert "Politie: geheime omschrijving" not in page  # no case content
    logged = AuditEvent.objects.get(action="access_overview.viewed", actor=privacy_officer)
    assert logged.youth == police_case.youth


def test_no_match_says_so_and_shows_nobody(client, privacy_officer, police_case):
    client.force_login(privacy_officer)
    query = {**_query(police_case), "date_of_birth": "2001-01-01"}
    page = client.get(reverse("casebook:access-overview"), query).content.decode()
    assert "Geen jongere" in page and police_case.reference not in page


@pytest.mark.parametrize("who", ["director", "police_officer", "steering_member"])
def test_nobody_else_reaches_the_overview(client, request, who, police_case):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("casebook:access-overview"), _query(police_case))
    assert response.status_code == 403
    assert police_case.youth.last_name not in response.content.decode()
