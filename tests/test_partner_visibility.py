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
    """The stuurgroep's lists of cases are closed; its report is in tests/test_report_page.py."""
    client.force_login(steering_member)
    assert client.get(reverse("casebook:case-list")).status_code == 403
    assert client.get(reverse("casebook:case-detail", args=[police_case.pk])).status_code == 404
    report = client.get(reverse("reports:overview"))
    assert report.status_code == 200
    assert police_case.youth.last_name not in report.content.decode()


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


@pytest.mark.parametrize("role", ["steering_group", "functional_admin"])
def test_a_task_of_the_organisation_stays_hidden_from_who_does_not_work_tasks(
    client, role, director, police, police_officer, police_case
):
    """The stuurgroep member and the functioneel beheerder of an organisation that gets a task:
    no notification, no e-mail, an empty inbox and a 404 for the task page. Only the
    organisation's task workers hear of it and see it."""
    from notifications.models import Notification
    from workflows.tasks.models import TaskType, TaskTypeCode
    from workflows.tasks.services import task_assign

    outsider = factories.user(role, police)
    task = task_assign(
        case=police_case,
        actor=director,
        task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
        organisation=police,
        instruction="Lever informatie aan.",
    )
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert Notification.objects.filter(recipient=police_officer).exists()
    client.force_login(outsider)
    response = client.get(reverse("workflows:task-detail", args=[task.pk]))
    assert response.status_code == 404
    assert police_case.youth.last_name not in response.content.decode()
    inbox = client.get(reverse("workflows:inbox"))
    assert police_case.youth.last_name not in inbox.content.decode()
    assert f"/taken/{task.pk}/" not in inbox.content.decode()
