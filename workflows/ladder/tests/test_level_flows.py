# SPDX-License-Identifier: AGPL-3.0-or-later
"""Level flows: intake, information requests, recurring evaluation, ending on a move; RIO."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casebook.errors import TransitionRefused
from notifications.models import Notification
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.level_flows import intake_request_information
from workflows.ladder.models import LevelSetting
from workflows.ladder.rio import rio_track_start
from workflows.tasks import services as services
from workflows.tasks.models import TaskState, TaskType

pytestmark = pytest.mark.django_db


def move(case, director, service, level):
    return service(
        case=case,
        actor=director,
        target_level=level,
        reason="besluit tafel",
        criteria=factories.criteria_for(level),
    )


def level_tasks(case, level, code=None):
    tasks = case.tasks.filter(level_flow=level)
    return tasks.filter(task_type__code=code) if code else tasks


def test_entering_a_level_starts_intake_and_evaluation(case_awaiting, director):
    case = move(case_awaiting, director, ladder.case_screen_in, "jonge_aanwas")
    intake = level_tasks(case, "jonge_aanwas", "intake").get()
    evaluation = level_tasks(case, "jonge_aanwas", "evaluatie").get()
    assert intake.organisation == case.coordinator_organisation
    weeks = LevelSetting.objects.get(level="jonge_aanwas").evaluation_weeks
    expected = timezone.localdate() + dt.timedelta(weeks=weeks)
    assert abs((timezone.localtime(evaluation.deadline).date() - expected).days) <= 4


def test_intake_asks_partners_for_information(case_awaiting, director, police, halt, halt_worker):
    case = move(case_awaiting, director, ladder.case_screen_in, "netwerkoverleg")
    intake = level_tasks(case, "netwerkoverleg", "intake").get()
    due = timezone.now() + dt.timedelta(days=7)
    requests = intake_request_information(
        task=intake,
        actor=director,
        organisations=[police, halt],
        deadline=due,
        instruction="Wat weet u over school en vrienden?",
    )
    assert {r.organisation for r in requests} == {police, halt}
    assert all(r.level_flow == "netwerkoverleg" and r.deadline == due for r in requests)
    intake.refresh_from_db()
    assert intake.state == TaskState.DONE
    assert "Halt Limburg" in intake.result
    discussion = level_tasks(case, "netwerkoverleg", "bespreking").get()
    from workflows.tasks import calendar

    assert timezone.localtime(discussion.deadline).date() == calendar.add_working_days(
        timezone.localtime(due).date(), 2
    )
    assert Notification.objects.filter(recipient=halt_worker, message__startswith="Nieuwe taak")


def test_moving_up_ends_the_old_flow_but_keeps_ad_hoc_work(
    case_awaiting, director, halt, halt_worker
):
    case = move(case_awaiting, director, ladder.case_screen_in, "netwerkoverleg")
    intake = level_tasks(case, "netwerkoverleg", "intake").get()
    [request] = intake_request_information(
        task=intake,
        actor=director,
        organisations=[halt],
        deadline=timezone.now() + dt.timedelta(days=7),
        instruction="",
    )
    ad_hoc = services.task_assign(
        case=case,
        actor=director,
        organisation=halt,
        instruction="Schoolgesprek",
        task_type=TaskType.objects.get(code="schoolgesprek"),
    )

    move(case, director, ladder.case_escalate, "pga")

    request.refresh_from_db()
    assert request.state == TaskState.CANCELLED
    assert request.closing_reason == "Casus verplaatst naar Persoonsgerichte aanpak (PGA)."
    assert Notification.objects.filter(
        recipient=halt_worker, message__startswith="Taak geannuleerd"
    )
    assert not level_tasks(case, "netwerkoverleg").filter(state__in=["open", "claimed"]).exists()
    ad_hoc.refresh_from_db()
    assert ad_hoc.state == TaskState.OPEN
    assert level_tasks(case, "pga", "intake").get().state == TaskState.OPEN


def test_completing_an_evaluation_schedules_the_next(case_awaiting, director):
    case = move(case_awaiting, director, ladder.case_screen_in, "pga")
    evaluation = level_tasks(case, "pga", "evaluatie").get()
    services.task_claim(task=evaluation, actor=director)
    services.task_complete(task=evaluation, actor=director, result="Doelen bijgesteld.")
    evaluations = level_tasks(case, "pga", "evaluatie")
    assert evaluations.count() == 2
    assert evaluations.filter(state=TaskState.OPEN).count() == 1


def test_rio_track_at_pga(case_awaiting, director, rio):
    release = timezone.localdate() + dt.timedelta(days=40)
    with pytest.raises(TransitionRefused, match="PGA"):
        rio_track_start(case=case_awaiting, actor=director, release_on=release)
    case = move(case_awaiting, director, ladder.case_screen_in, "pga")
    tasks = rio_track_start(case=case, actor=director, release_on=release)
    assert len(tasks) == 7
    assert {t.organisation for t in tasks} == {rio}
    codes = sorted(t.task_type.code for t in tasks)
    assert codes == ["basisvoorwaarden"] * 5 + ["nazorg", "reintegratieplan"]
    assert all(timezone.localtime(t.deadline).date() < release for t in tasks[:6])
    aftercare = next(t for t in tasks if t.task_type.code == "nazorg")
    assert timezone.localtime(aftercare.deadline).date() > release


def test_intake_and_rio_through_the_pages(client, director, case_awaiting, police, rio):
    case = move(case_awaiting, director, ladder.case_screen_in, "pga")
    intake = level_tasks(case, "pga", "intake").get()
    client.force_login(director)
    url = reverse("workflows:task-action", args=[intake.pk, "intake"])
    response = client.post(url, {"version": intake.version, "deadline": "", "organisations": []})
    assert response.status_code == 400
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(
        url, {"version": intake.version, "deadline": due, "organisations": [police.pk]}
    )
    assert response.status_code == 302
    assert case.tasks.filter(organisation=police, task_type__code="informatie").exists()

    release = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("casebook:case-rio-track", args=[case.pk]),
        {"release_on": release, "version": factories.version(case)},
    )
    assert response.status_code == 302
    assert case.tasks.filter(task_type__code="reintegratieplan").exists()
