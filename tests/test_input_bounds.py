# SPDX-License-Identifier: AGPL-3.0-or-later
"""Dates outside a sensible window get a Dutch message and change nothing, never a 500: a
deadline or a sitting at most two years ahead, an observation between 2000 and today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casebook.models import OrganisationKind, SignalCategory
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


# --- Texts the views read without a form (found by tests/test_input_fuzz.py) -------------------

NUL_TEXT = "Reden met een NUL\x00erin"


def _group_with_an_action(director):
    from workflows.groups.services.plan import group_plan_action_add
    from workflows.groups.services.steps import group_step_move

    group = factories.youth_group(director, "Grenzengroep")
    for _ in range(2):
        group_step_move(group=group, actor=director, move="advance", reason="Verder")
    group_plan_action_add(
        group=group,
        actor=director,
        track="groep",
        description="Cameratoezicht",
        task_type=TaskType.objects.get(code=TaskTypeCode.GROUP_ACTION),
        organisation=factories.staffed_organisation(OrganisationKind.HALT),
    )
    group.refresh_from_db()
    return group


def _group_posts(group) -> dict[str, tuple[str, dict]]:
    """Every group form whose text the view passes to the service as posted: (url, body)."""
    member = group.members.first()
    return {
        # workflows/groups/views.py:group_action, "stap" and "actie-schrappen"
        "stap": (
            reverse("groups:action", args=[group.pk, "stap"]),
            {"move": "advance", "reason": NUL_TEXT, "version": group.version},
        ),
        "actie-schrappen": (
            reverse("groups:action", args=[group.pk, "actie-schrappen"]),
            {
                "action": group.plan_actions.get().pk,
                "reason": NUL_TEXT,
                "version": group.version,
            },
        ),
        # workflows/groups/views.py:member_action, "kleur", "vertrek" and "doorverwijzen"
        "kleur": (
            reverse("groups:member-action", args=[member.pk, "kleur"]),
            {"tier": "yellow", "reason": NUL_TEXT, "version": factories.version(member)},
        ),
        "vertrek": (
            reverse("groups:member-action", args=[member.pk, "vertrek"]),
            {"reason": NUL_TEXT, "version": factories.version(member)},
        ),
        "doorverwijzen": (
            reverse("groups:member-action", args=[member.pk, "doorverwijzen"]),
            {
                "category": SignalCategory.objects.filter(is_active=True).first().pk,
                "description": NUL_TEXT,
                "version": factories.version(member),
            },
        ),
    }


@pytest.mark.parametrize("form", ["stap", "actie-schrappen", "kleur", "vertrek", "doorverwijzen"])
def test_a_nul_in_a_group_text_is_a_dutch_message_not_a_500(client, director, form):
    from casebook.models import AuditEvent

    group = _group_with_an_action(director)
    url, data = _group_posts(group)[form]
    writes = AuditEvent.objects.filter(kind="write").count()
    client.force_login(director)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "ongeldig teken (NUL)" in response.content.decode()
    assert AuditEvent.objects.filter(kind="write").count() == writes
    assert factories.version(group) == group.version


def test_a_nul_in_the_evaluation_that_closes_a_group_is_refused(director):
    """workflows/groups/services/steps.py:_check_gate (the evaluation comes as posted)."""
    from casebook.errors import ValidationFailed
    from workflows.groups.services.steps import _check_gate

    group = factories.youth_group(director, "Evaluatiegroep")
    with pytest.raises(ValidationFailed, match="NUL"):
        _check_gate(group, "close", priority="", evaluation=NUL_TEXT)


def test_a_one_line_reason_over_500_characters_is_refused(client, director):
    group = _group_with_an_action(director)
    client.force_login(director)
    response = client.post(
        reverse("groups:action", args=[group.pk, "actie-schrappen"]),
        {"action": group.plan_actions.get().pk, "reason": "x" * 501, "version": group.version},
        follow=True,
    )
    assert "hoogstens 500 tekens" in response.content.decode()
    assert group.plan_actions.exists()


def _sitting(director):
    series = MeetingSeries.objects.create(
        name="Grenstafel", level=NETWERKOVERLEG, first_date=timezone.localdate()
    )
    return series, meetings.meeting_schedule(
        series=series, actor=director, starts_at=timezone.now() + dt.timedelta(days=10)
    )


def test_a_nul_in_the_reason_of_moving_a_sitting_is_refused(client, director):
    """workflows/meetings/views.py:meeting_action "verplaatsen" (reason read as posted)."""
    _series, meeting = _sitting(director)
    before = meeting.starts_at
    client.force_login(director)
    day = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    for reason in (NUL_TEXT, "x" * 501):
        response = client.post(
            reverse("meetings:action", args=[meeting.pk, "verplaatsen"]),
            {"date": day, "time": "10:00", "reason": reason, "version": meeting.version},
            follow=True,
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "ongeldig teken (NUL)" in html or "hoogstens 500 tekens" in html
        meeting.refresh_from_db()
        assert meeting.starts_at == before


def test_a_nul_or_a_long_location_of_a_new_sitting_is_refused(client, director):
    """workflows/meetings/views.py:meeting_schedule_view (location read as posted; the column
    holds 200 characters: 201 was a DataError)."""
    series, _meeting = _sitting(director)
    client.force_login(director)
    day = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    for location in ("Zaal\x00", "x" * 201):
        response = client.post(
            reverse("meetings:schedule"),
            {"series": series.pk, "date": day, "time": "10:00", "location": location},
            follow=True,
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "ongeldig teken (NUL)" in html or "hoogstens 200 tekens" in html
        assert Meeting.objects.filter(series=series).count() == 1


def test_a_nul_in_the_reason_of_a_minutes_correction_is_refused(director, support):
    """workflows/meetings/minutes.py:minutes_correct (the reason comes as posted)."""
    from casebook.errors import ValidationFailed
    from workflows.meetings import minutes as minutes_services

    case = factories.signal(factories.user("partner", factories.organisation())).case
    from workflows.ladder import services as ladder

    ladder.case_screen_in(
        case=case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    _series, meeting = _sitting(director)
    meetings.agenda_add(meeting=meeting, actor=director, case=case)
    confirmed = minutes_services.minutes_draft(meeting=meeting, actor=support)
    minutes_services.minutes_confirm(minutes=confirmed, actor=director)
    with pytest.raises(ValidationFailed, match="NUL"):
        minutes_services.minutes_correct(minutes=confirmed, actor=director, reason=NUL_TEXT)
    assert meeting.minutes.count() == 1


def test_bounded_text_takes_only_strings_without_nul_within_the_limit():
    from casebook.bounds import bounded_text
    from casebook.errors import ValidationFailed

    assert bounded_text("  Zaal 3 ", 10) == "Zaal 3"
    assert bounded_text(None, 10) == ""
    assert bounded_text(["lijst"], 10) == ""
    assert bounded_text("x" * 10, 10) == "x" * 10
    for bad in ("x" * 11, "a\x00"):
        with pytest.raises(ValidationFailed):
            bounded_text(bad, 10)


def test_a_release_date_in_year_9999_is_refused_not_an_overflow(client, director, police_officer):
    """workflows/ladder/rio.py counts working days from the release date: 9999-12-31 was an
    OverflowError in the calendar; now the form's window (2000 to ten years ahead)."""
    from workflows.ladder import services as ladder
    from workflows.ladder.machine import PGA

    case = ladder.case_screen_in(  # the RIO track is a PGA case's
        case=factories.signal(police_officer).case,
        actor=director,
        target_level=PGA,
        reason="in",
        criteria=factories.criteria_for(PGA),
    )
    tasks = PartnerTask.objects.filter(case=case).count()
    client.force_login(director)
    for day, message in (("9999-12-31", "tien jaar vooruit"), ("1999-12-31", "voor 2000")):
        response = client.post(
            reverse("casebook:case-rio-track", args=[case.pk]),
            {"release_on": day, "version": factories.version(case)},
            follow=True,
        )
        assert response.status_code in (200, 400)
        assert message in response.content.decode()
        assert PartnerTask.objects.filter(case=case).count() == tasks


@pytest.mark.parametrize("field", ["intake", "plan action", "intervention start"])
def test_other_planned_dates_are_at_most_two_years_ahead(field):
    from casebook.forms import PlanInterventionForm
    from workflows.groups.forms import PlanActionForm
    from workflows.ladder.forms import IntakeForm

    form_class, name = {
        "intake": (IntakeForm, "deadline"),
        "plan action": (PlanActionForm, "due_on"),
        "intervention start": (PlanInterventionForm, "starts_on"),
    }[field]
    form_field = form_class.base_fields[name]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="twee jaar vooruit"):
        form_field.clean(FAR)
    assert form_field.clean(timezone.localdate().isoformat()) == timezone.localdate()
