# SPDX-License-Identifier: AGPL-3.0-or-later
"""Access that ends: an involvement ends (case closed, work done, ended by the procesregisseur)
and a grace period later the organisation no longer sees the case, except its own tasks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from casebook.models import AuditEvent, CaseInvolvement
from tests import factories
from workflows.ladder.services import case_close
from workflows.meetings.services import involvements_sweep
from workflows.tasks.models import TaskType, TaskTypeCode
from workflows.tasks.services import task_assign, task_claim, task_complete

pytestmark = pytest.mark.django_db

GRACE = dt.timedelta(days=30)


@pytest.fixture
def police_case(police_officer):
    return factories.signal(police_officer, description="Politie: vechtpartij").case


def _status(client, user, case) -> int:
    client.force_login(user)
    return client.get(reverse("casebook:case-detail", args=[case.pk])).status_code


def _close(case, director):
    case_close(
        case=case,
        actor=director,
        closure_reason=factories.closure_reason(from_screening=True),
        reason="Geen zorgen meer na screening.",
    )


def _task(case, director, organisation):
    return task_assign(
        case=case,
        actor=director,
        task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
        organisation=organisation,
        instruction="Lever informatie aan over de thuissituatie.",
    )


def test_a_closed_case_is_seen_for_the_grace_period_and_then_no_more(
    client, police_officer, director, police_case
):
    _close(police_case, director)
    involvement = police_case.involvements.get(organisation=police_officer.organisation)
    assert involvement.end_reason == CaseInvolvement.EndReason.CASE_CLOSED
    assert _status(client, police_officer, police_case) == 200
    with time_machine.travel(involvement.ended_at + GRACE - dt.timedelta(hours=1), tick=False):
        assert _status(client, police_officer, police_case) == 200
    with time_machine.travel(involvement.ended_at + GRACE + dt.timedelta(hours=1), tick=False):
        assert _status(client, police_officer, police_case) == 404
        client.force_login(police_officer)
        listing = client.get(reverse("casebook:case-list") + "?status=all").content.decode()
        assert police_case.reference not in listing
        # The ZVH keeps every case.
        assert _status(client, director, police_case) == 200


def test_the_grace_period_is_a_setting(client, settings, police_officer, director, police_case):
    settings.IJAM_INVOLVEMENT_GRACE_DAYS = 2
    _close(police_case, director)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        assert _status(client, police_officer, police_case) == 404


def test_the_procesregisseur_ends_an_involvement(client, police_officer, director, police_case):
    police_case.refresh_from_db()
    client.force_login(director)
    url = reverse(
        "casebook:case-involvement-end", args=[police_case.pk, police_officer.organisation_id]
    )
    response = client.post(url, {"version": police_case.version})
    assert response.status_code == 302
    involvement = police_case.involvements.get(organisation=police_officer.organisation)
    assert involvement.end_reason == CaseInvolvement.EndReason.ENDED
    event = AuditEvent.objects.filter(action="case.involvement_ended", case=police_case).get()
    assert event.after["organisatie"] == police_officer.organisation.name
    assert event.actor == director
    with time_machine.travel(involvement.ended_at + GRACE + dt.timedelta(minutes=1), tick=False):
        assert _status(client, police_officer, police_case) == 404


def test_the_coordinator_stays_and_a_partner_cannot_end_involvements(
    client, police_officer, director, police_case, zvh
):
    police_case.refresh_from_db()
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-involvement-end", args=[police_case.pk, zvh.pk]),
        {"version": police_case.version},
        follow=True,
    )
    assert "casusregie kan niet worden beëindigd" in response.content.decode()
    assert not police_case.involvements.filter(organisation=zvh).exclude(ended_at=None).exists()
    client.force_login(police_officer)
    response = client.post(
        reverse(
            "casebook:case-involvement-end", args=[police_case.pk, police_officer.organisation_id]
        ),
        {"version": police_case.version},
    )
    assert response.status_code == 403
    assert not police_case.involvements.exclude(ended_at=None).exists()


def test_a_stale_page_cannot_end_an_involvement(client, police_officer, director, police_case):
    stale = police_case.version - 1
    client.force_login(director)
    response = client.post(
        reverse(
            "casebook:case-involvement-end", args=[police_case.pk, police_officer.organisation_id]
        ),
        {"version": stale},
    )
    assert response.status_code == 409
    assert police_case.involvements.get(organisation=police_officer.organisation).ended_at is None


def test_new_work_gives_sight_again(client, police_officer, director, police_case):
    police_case.refresh_from_db()
    client.force_login(director)
    client.post(
        reverse(
            "casebook:case-involvement-end", args=[police_case.pk, police_officer.organisation_id]
        ),
        {"version": police_case.version},
    )
    later = timezone.now() + GRACE + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        assert _status(client, police_officer, police_case) == 404
        _task(police_case, director, police_officer.organisation)
        assert _status(client, police_officer, police_case) == 200


def test_own_completed_task_stays_readable_after_the_case_is_out_of_sight(
    client, police_officer, director, police_case
):
    task = _task(police_case, director, police_officer.organisation)
    task_claim(task=task, actor=police_officer)
    task_complete(task=task, actor=police_officer, result="Informatie geleverd: twee incidenten.")
    _close(police_case, director)
    with time_machine.travel(timezone.now() + GRACE + dt.timedelta(days=1), tick=False):
        assert _status(client, police_officer, police_case) == 404
        page = client.get(reverse("workflows:task-detail", args=[task.pk]))
        assert page.status_code == 200
        assert "twee incidenten" in page.content.decode()


def test_the_sweep_ends_the_involvement_of_an_organisation_whose_work_is_done(
    police_officer, halt_worker, director, police_case
):
    halt = halt_worker.organisation
    task = _task(police_case, director, halt)
    assert involvements_sweep() == 0  # its task is still open
    task_claim(task=task, actor=halt_worker)
    task_complete(task=task, actor=halt_worker, result="Gesprek gevoerd.")
    assert involvements_sweep() == 1
    assert police_case.involvements.get(organisation=halt).end_reason == "work_done"
    # The reporter (no task) and the coordinator stay involved.
    others = police_case.involvements.exclude(organisation=halt)
    assert others.count() >= 2
    assert not others.exclude(ended_at=None).exists()
    assert AuditEvent.objects.filter(action="case.involvement_ended", case=police_case).count() == 1
    assert involvements_sweep() == 0  # idempotent
