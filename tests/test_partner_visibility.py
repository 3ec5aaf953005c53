# SPDX-License-Identifier: AGPL-3.0-or-later
"""Need-to-know: a partner sees only cases its organisation is involved in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casebook.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_case(police_officer):
    return factories.signal(police_officer, description="Politie: betrokken bij vechtpartij").case


@pytest.fixture
def halt_case(halt_worker):
    return factories.signal(halt_worker, description="Halt: spijbelen en winkeldiefstal").case


def test_partner_case_list_shows_only_involved_cases(
    client, police_officer, police_case, halt_case
):
    client.force_login(police_officer)
    response = client.get(reverse("casebook:case-list"))
    assert response.status_code == 200
    assert police_case.reference in response.content.decode()
    assert halt_case.reference not in response.content.decode()


def test_partner_gets_404_for_a_case_of_another_organisation(client, police_officer, halt_case):
    client.force_login(police_officer)
    response = client.get(reverse("casebook:case-detail", args=[halt_case.pk]))
    assert response.status_code == 404
    assert halt_case.youth.last_name not in response.content.decode()


def test_partner_sees_only_its_own_signals_on_a_shared_case(
    client, police_officer, halt_worker, police_case
):
    factories.signal(halt_worker, youth=police_case.youth, description="Halt: geheime notitie")
    client.force_login(police_officer)
    page = client.get(reverse("casebook:case-detail", args=[police_case.pk])).content.decode()
    assert "Politie: betrokken bij vechtpartij" in page
    assert "Halt: geheime notitie" not in page
    assert "Tijdlijn" not in page  # the audit timeline is for the ZVH only


def test_process_director_sees_every_case(client, director, police_case, halt_case):
    client.force_login(director)
    page = client.get(reverse("casebook:case-list")).content.decode()
    assert police_case.reference in page and halt_case.reference in page


def test_steering_group_sees_no_cases_only_aggregates(client, steering_member, police_case):
    client.force_login(steering_member)
    assert client.get(reverse("casebook:case-list")).status_code == 403
    assert client.get(reverse("casebook:case-detail", args=[police_case.pk])).status_code == 404
    report = client.get(reverse("reports:overview"))
    assert report.status_code == 200
    assert police_case.youth.last_name not in report.content.decode()
    assert "&lt; 5" in report.content.decode()  # one case: suppressed


def test_my_signals_shows_only_my_own(client, police_officer, halt_worker, police_case, halt_case):
    client.force_login(police_officer)
    page = client.get(reverse("casebook:my-signals")).content.decode()
    assert police_case.youth.full_name in page
    assert halt_case.youth.full_name not in page


def test_reading_a_case_is_logged(client, police_officer, police_case):
    client.force_login(police_officer)
    client.get(reverse("casebook:case-detail", args=[police_case.pk]))
    read = AuditEvent.objects.filter(kind=AuditEvent.Kind.READ, case=police_case).get()
    assert read.actor == police_officer
    assert read.action == "case.viewed"
