# SPDX-License-Identifier: AGPL-3.0-or-later
"""Dates outside a sensible window get a Dutch message and change nothing, never a 500: a
deadline or a sitting at most two years ahead, an observation between 2000 and today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casebook.models import SignalCategory
from tests import factories
from workflows.ladder.machine import NETWERKOVERLEG
from workflows.meetings import services as meetings
from workflows.meetings.models import Meeting, MeetingSeries
from workflows.tasks.models import PartnerTask, TaskType, TaskTypeCode
from workflows.tasks.services import task_assign

pytestmark = pytest.mark.django_db

FAR = "9999-12-31"


def test_a_task_deadline_far_ahead_is_refused(client, director, police_officer):
    case = factories.signal(police_officer).case
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-task-assign", args=[case.pk]),
        {
            "task_type": TaskType.objects.get(code=TaskTypeCode.INFORMATION).pk,
            "organisation": police_officer.organisation_id,
            "instruction": "Lever informatie aan.",
            "deadline": FAR,
            "version": factories.version(case),
        },
    )
    assert response.status_code == 400
    assert "hoogstens twee jaar vooruit" in response.content.decode()
    assert not PartnerTask.objects.filter(case=case, task_type__code="informatie").exists()


def test_a_deadline_moved_far_ahead_is_refused(client, director, police_officer):
    case = factories.signal(police_officer).case
    task = task_assign(
        case=case,
        actor=director,
        task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
        organisation=police_officer.organisation,
        instruction="Lever informatie aan.",
    )
    client.force_login(director)
    response = client.post(
        reverse("workflows:task-action", args=[task.pk, "deadline"]),
        {"deadline": FAR, "reason": "Later", "version": factories.version(task)},
    )
    assert response.status_code == 400
    assert "hoogstens twee jaar vooruit" in response.content.decode()
    task.refresh_from_db()
    assert task.deadline.year < 9999


def test_a_sitting_cannot_be_planned_or_moved_to_year_9999(client, director):
    series = MeetingSeries.objects.create(
        name="Grenstafel", level=NETWERKOVERLEG, first_date=timezone.localdate()
    )
    meeting = meetings.meeting_schedule(
        series=series, actor=director, starts_at=timezone.now() + dt.timedelta(days=10)
    )
    client.force_login(director)
    response = client.post(
        reverse("meetings:schedule"),
        {"series": series.pk, "date": FAR, "time": "10:00"},
        follow=True,
    )
    assert "hoogstens twee jaar vooruit" in response.content.decode()
    assert Meeting.objects.filter(series=series).count() == 1
    response = client.post(
        reverse("meetings:action", args=[meeting.pk, "verplaatsen"]),
        {"date": FAR, "time": "10:00", "reason": "Later", "version": factories.version(meeting)},
        follow=True,
    )
    assert "hoogstens twee jaar vooruit" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at.year < 9999


@pytest.mark.parametrize(
    ("observed_on", "message"),
    [("0001-01-01", "voor 2000"), ("2999-01-01", "in de toekomst")],
)
def test_an_observation_outside_2000_to_today_is_refused(
    client, police_officer, observed_on, message
):
    client.force_login(police_officer)
    youth = factories.youth_data()
    response = client.post(
        reverse("casebook:signal-register"),
        {
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "date_of_birth": youth.date_of_birth.isoformat(),
            "neighbourhood": factories.neighbourhood().pk,
            "category": SignalCategory.objects.filter(is_active=True).first().pk,
            "description": "Zorgelijk gedrag",
            "observed_on": observed_on,
            "youth_choice": "new",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not police_officer.reported_signals.exists()


@pytest.mark.parametrize("version", ["abc", "", "99999999999999999999", "1e3"])
def test_a_version_that_is_not_one_is_a_conflict_not_a_500(client, director, version):
    group = factories.youth_group(director, "Versiegroep")
    before = factories.version(group)
    client.force_login(director)
    response = client.post(
        reverse("groups:action", args=[group.pk, "stap"]), {"version": version, "reason": "x"}
    )
    assert response.status_code in (409, 302)  # a conflict, or the form's message; never a 500
    group.refresh_from_db()
    assert group.version == before


@pytest.mark.parametrize(
    "name",
    ["Jan\u202eneJ", "Ja\u200bn", "Jan\x00", "Jan\x07", "Jan1", "<b>Jan</b>", "Jan;--"],
)
def test_a_name_with_invisible_characters_digits_or_symbols_is_refused(
    client, police_officer, name
):
    client.force_login(police_officer)
    youth = factories.youth_data()
    response = client.post(
        reverse("casebook:signal-register"),
        {
            "first_name": name,
            "last_name": youth.last_name,
            "date_of_birth": youth.date_of_birth.isoformat(),
            "neighbourhood": factories.neighbourhood().pk,
            "category": SignalCategory.objects.filter(is_active=True).first().pk,
            "description": "Zorgelijk gedrag",
            "youth_choice": "new",
        },
    )
    assert response.status_code == 400
    assert "alleen letters" in response.content.decode() or "Null" in response.content.decode()
    assert not police_officer.reported_signals.exists()


def test_names_of_every_script_with_hyphens_and_apostrophes_are_fine():
    from casebook.bounds import name_problem

    for name in ("Jan-Willem", "D'Hondt", "’t Hart", "Zoë", "Ørsted", "محمد", "Çelik", "J.P."):
        assert name_problem(name) == "", name


def test_the_service_refuses_such_a_name_too(director):
    from casebook.errors import ValidationFailed
    from casebook.services.youths import youth_create

    with pytest.raises(ValidationFailed, match="alleen letters"):
        youth_create(actor=director, data=factories.youth_data(first_name="Jan\u202e"))


def test_a_long_text_over_ten_thousand_characters_is_refused(client, police_officer):
    client.force_login(police_officer)
    youth = factories.youth_data()
    response = client.post(
        reverse("casebook:signal-register"),
        {
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "date_of_birth": youth.date_of_birth.isoformat(),
            "neighbourhood": factories.neighbourhood().pk,
            "category": SignalCategory.objects.filter(is_active=True).first().pk,
            "description": "x" * 10_001,
            "youth_choice": "new",
        },
    )
    assert response.status_code == 400
    assert "10000" in response.content.decode() or "10.000" in response.content.decode()
    assert not police_officer.reported_signals.exists()
