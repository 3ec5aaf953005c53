# SPDX-License-Identifier: AGPL-3.0-or-later
"""The policy adds no query per row: a partner's case list and inbox cost the same number of
queries for 2 or 12 cases, with or without an emergency access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casebook.models import EmergencyAccess
from tests import factories
from workflows.tasks.models import TaskType, TaskTypeCode
from workflows.tasks.services import task_assign

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _cases(reporter, n: int) -> list:
    return [factories.signal(reporter).case for _ in range(n)]


def test_a_partners_case_list_costs_the_same_for_more_cases(
    client, police_officer, halt_worker, director
):
    client.force_login(police_officer)
    url = reverse("casebook:case-list")
    _cases(police_officer, 2)
    few, _ = _queries(client, url)
    _cases(police_officer, 10)
    many, page = _queries(client, url)
    assert many == few
    # An emergency access adds its case, not queries.
    foreign = _cases(halt_worker, 1)[0]
    EmergencyAccess.objects.create(
        user=police_officer,
        case=foreign,
        reason="Spoed, ouders onbereikbaar en jongere aan de balie",
        opened_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=24),
    )
    with_glass, page = _queries(client, url)
    assert with_glass == many
    assert foreign.reference in page


def test_the_inbox_costs_the_same_for_more_tasks(client, police_officer, director):
    information = TaskType.objects.get(code=TaskTypeCode.INFORMATION)
    url = reverse("workflows:inbox")
    client.force_login(police_officer)

    def assign(n):
        for case in _cases(police_officer, n):
            task_assign(
                case=case,
                actor=director,
                task_type=information,
                organisation=police_officer.organisation,
                instruction="Lever informatie aan.",
            )

    assign(2)
    few, _ = _queries(client, url)
    assign(10)
    many, _ = _queries(client, url)
    assert many == few
