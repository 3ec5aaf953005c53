# SPDX-License-Identifier: AGPL-3.0-or-later
"""Case tables: sittings from the rhythm, attendance by rule, the agenda and publishing it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casebook.errors import TransitionRefused, ValidationFailed
from casebook.models import Organisation, OrganisationKind, SignalCategory
from tests import factories
from workflows.ladder import services as ladder
from workflows.meetings import services as services
from workflows.meetings.models import AgendaItem, Meeting, MeetingSeries
from workflows.meetings.selectors import invited_organisations
from workflows.tasks import calendar
from workflows.tasks import services as task_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(zvh, police):
    table = MeetingSeries.objects.create(
        name="Testtafel",
        level="netwerkoverleg",
        # a week ahead, on a working day, so the preparation lead time has not passed
        first_date=calendar.add_working_days(timezone.localdate() + dt.timedelta(days=7), 0),
        weekday_time=dt.time(13, 30),
        every_weeks=2,
        preparation_working_days=3,
    )
    table.member_organisations.set([police])
    return table


@pytest.fixture
def meeting(series):
    services.sittings_generate(series=series, until=timezone.localdate() + dt.timedelta(weeks=3))
    return Meeting.objects.filter(series=series).order_by("starts_at").first()  # a week ahead


def on_table(case, director):
    return ladder.case_screen_in(
        case=case,
        actor=director,
        target_level="netwerkoverleg",
        reason="in",
        criteria=factories.criteria_for("netwerkoverleg"),
    )


@time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
def test_a_sitting_on_a_holiday_moves_to_the_next_working_day(zvh):
    series = MeetingSeries.objects.create(
        name="Kersttafel", level="pga", first_date=dt.date(2026, 12, 12), every_weeks=2
    )
    services.sittings_generate(series=series, until=dt.date(2026, 12, 31))
    days = [timezone.localtime(m.starts_at).date() for m in Meeting.objects.filter(series=series)]
    # Saturday 12 Dec → Monday 14 Dec; Saturday 26 Dec (Tweede Kerstdag) → Monday 28 Dec.
    assert days == [dt.date(2026, 12, 14), dt.date(2026, 12, 28)]


@time_machine.travel(dt.datetime(2027, 9, 1, 9, tzinfo=dt.UTC), tick=False)
def test_sittings_follow_the_rhythm_and_are_made_once(zvh):
    series = MeetingSeries.objects.create(
        name="Ritmetafel",
        level="jonge_aanwas",
        first_date=dt.date(2027, 9, 7),  # a Tuesday
        weekday_time=dt.time(13, 30),
        every_weeks=2,
    )
    until = dt.date(2027, 10, 19)
    assert services.sittings_generate(series=series, until=until) == 4
    assert services.sittings_generate(series=series, until=until) == 0
    days = [timezone.localtime(m.starts_at) for m in Meeting.objects.filter(series=series)]
    assert [d.date() for d in days] == [
        dt.date(2027, 9, 7),
        dt.date(2027, 9, 21),
        dt.date(2027, 10, 5),
        dt.date(2027, 10, 19),
    ]
    assert all((d.hour, d.minute) == (13, 30) for d in days)


def test_attendance_follows_the_rules(series, case_awaiting, director, halt, police):
    om = Organisation.objects.filter(kind=OrganisationKind.OM).first()
    invited = invited_organisations(case=case_awaiting, series=series)
    assert police in invited and case_awaiting.coordinator_organisation in invited
    assert om not in invited

    from casebook.services.cases import case_update_details

    case_update_details(
        case=case_awaiting,
        actor=director,
        approach="individual",
        criminal_law_component=True,
        reason="Strafzaak loopt",
    )
    case_awaiting.refresh_from_db()
    assert om in invited_organisations(case=case_awaiting, series=series)

    school = SignalCategory.objects.filter(is_school_signal=True).first()
    factories.signal(factories.user("partner", police), youth=case_awaiting.youth, cat=school)
    invited = invited_organisations(case=case_awaiting, series=series)
    assert any(o.kind == OrganisationKind.HALT for o in invited)


def test_agenda_is_built_from_the_cases_due(meeting, case_awaiting, director, halt):
    case = on_table(case_awaiting, director)
    other = factories.signal(factories.user("partner", halt)).case  # still awaiting screening
    assert services.agenda_build(meeting=meeting, actor=director) == 1
    item = meeting.items.get()
    assert item.case == case and item.reason == AgendaItem.Reason.NEW
    assert not meeting.items.filter(case=other).exists()
    assert services.agenda_build(meeting=meeting, actor=director) == 0  # keeps what is there


def test_director_reorders_adds_and_removes(meeting, director, police_officer, halt_worker):
    first = on_table(factories.signal(police_officer).case, director)
    second = on_table(factories.signal(halt_worker).case, director)
    services.agenda_build(meeting=meeting, actor=director)
    item = meeting.items.get(case=second)
    services.agenda_move(item=item, actor=director, up=True)
    assert [i.case for i in meeting.items.order_by("order")] == [second, first]
    services.agenda_remove(item=item, actor=director)
    assert list(meeting.items.values_list("case", flat=True)) == [first.pk]
    services.agenda_add(meeting=meeting, actor=director, case=second)
    with pytest.raises(ValidationFailed, match="staat al op de agenda"):
        services.agenda_add(meeting=meeting, actor=director, case=second)


def test_publishing_asks_invited_partners_for_information(meeting, case_awaiting, director, police):
    case = on_table(case_awaiting, director)
    services.agenda_add(meeting=meeting, actor=director, case=case)
    tasks = services.agenda_publish(meeting=meeting, actor=director).tasks
    assert {t.organisation for t in tasks} == {police}  # the coordinator (ZVH) asks, not answers
    due = calendar.add_working_days(timezone.localtime(meeting.starts_at).date(), -3)
    assert all(timezone.localtime(t.deadline).date() == due for t in tasks)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    with pytest.raises(TransitionRefused):
        services.agenda_publish(meeting=meeting, actor=director)


def test_an_invited_organisation_where_nobody_works_tasks_gets_no_request(
    client, meeting, series, case_awaiting, director, police
):
    """The municipality is invited, but its only account is a stuurgroep member: no request
    (and so no name of a youth) reaches it, and the procesregisseur is told to ask it another
    way."""
    municipality = factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht")
    series.member_organisations.add(municipality)
    steering = factories.user("steering_group", municipality)
    case = on_table(case_awaiting, director)
    services.agenda_add(meeting=meeting, actor=director, case=case)
    client.force_login(director)
    response = client.post(
        reverse("meetings:action", args=[meeting.pk, "versturen"]),
        {"version": factories.version(meeting)},
        follow=True,
    )
    page = response.content.decode()
    assert "Geen informatieverzoek aan Gemeente Maastricht" in page
    assert not task_services.PartnerTask.objects.filter(organisation=municipality).exists()
    assert task_services.PartnerTask.objects.filter(organisation=police).exists()
    assert not steering.notifications.exists()


def test_publishing_locks_the_sitting_then_all_its_cases_in_id_order(
    meeting, director, police_officer, halt_worker
):
    """Publishing asks information per case in agenda order; it first locks all the cases at
    once in id order (ADR 0010), so it cannot deadlock with a transaction that locks two of
    them the other way round (confirming minutes about both)."""
    first = on_table(factories.signal(police_officer).case, director)
    second = on_table(factories.signal(halt_worker).case, director)
    services.agenda_add(meeting=meeting, actor=director, case=first)
    services.agenda_add(meeting=meeting, actor=director, case=second)
    services.agenda_move(
        item=meeting.items.get(case=second), actor=director, up=True
    )  # agenda order now differs from id order
    with CaptureQueriesContext(connection) as queries:
        services.agenda_publish(meeting=meeting, actor=director)
    locks = [q["sql"] for q in queries if "FOR NO KEY UPDATE" in q["sql"]]
    assert '"workflows_meeting"' in locks[0]
    case_locks = [sql for sql in locks if 'FROM "casebook_case"' in sql]
    assert f"IN ({first.pk}, {second.pk})" in case_locks[0]
    assert 'ORDER BY "casebook_case"."id"' in case_locks[0]


def test_publishing_too_late_is_refused(series, case_awaiting, director):
    soon = Meeting.objects.create(series=series, starts_at=timezone.now() + dt.timedelta(days=1))
    services.agenda_add(meeting=soon, actor=director, case=on_table(case_awaiting, director))
    with pytest.raises(ValidationFailed, match="voorbereidingstermijn"):
        services.agenda_publish(meeting=soon, actor=director)
    assert not task_services.PartnerTask.objects.filter(task_type__code="informatie").exists()


def test_each_organisation_sees_only_its_own_cases_on_the_agenda(
    client, meeting, director, police_officer, halt_worker
):
    police_case = on_table(factories.signal(police_officer).case, director)
    halt_case = on_table(factories.signal(halt_worker).case, director)
    services.agenda_build(meeting=meeting, actor=director)
    client.force_login(halt_worker)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert halt_case.reference in page and police_case.reference not in page
    client.force_login(director)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert halt_case.reference in page and police_case.reference in page


def test_calendar_and_agenda_pages(client, series, director, case_awaiting):
    services.sittings_plan_ahead()  # the worker's job
    client.force_login(director)
    page = client.get(reverse("meetings:calendar")).content.decode()
    assert "Testtafel" in page
    meeting = Meeting.objects.filter(series=series).order_by("starts_at").first()
    case = on_table(case_awaiting, director)
    url = reverse("meetings:action", args=[meeting.pk, "casus-toevoegen"])
    client.post(url, {"case": case.reference, "version": factories.version(meeting)})
    assert meeting.items.filter(case=case).exists()
    response = client.post(
        url, {"case": "IJAM-999999", "version": factories.version(meeting)}, follow=True
    )
    assert "Geen casus gevonden" in response.content.decode()
    client.post(
        reverse("meetings:action", args=[meeting.pk, "versturen"]),
        {"version": factories.version(meeting)},
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


def test_sittings_can_be_added_and_moved_by_hand(client, series, director):
    client.force_login(director)
    day = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    response = client.post(
        reverse("meetings:schedule"), {"series": series.pk, "date": day, "time": "15:00"}
    )
    extra = Meeting.objects.get(series=series, generated=False)
    assert response.status_code == 302 and timezone.localtime(extra.starts_at).hour == 15
    later = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    url = reverse("meetings:action", args=[extra.pk, "verplaatsen"])
    move = {"date": later, "time": "10:00", "version": factories.version(extra)}
    client.post(url, move | {"reason": ""}, follow=True)
    extra.refresh_from_db()
    assert timezone.localtime(extra.starts_at).hour == 15  # no reason: nothing moved
    client.post(url, move | {"reason": "Zaal bezet"})
    extra.refresh_from_db()
    assert timezone.localtime(extra.starts_at).date().isoformat() == later
    from casebook.models import AuditEvent

    assert AuditEvent.objects.get(action="meeting.moved").reason == "Zaal bezet"


def test_a_proposal_without_a_planned_sitting_says_so_and_adds_nothing(
    client, series, director, case_awaiting
):
    case = on_table(case_awaiting, director)
    client.force_login(director)
    response = client.post(
        reverse("meetings:propose", args=[case.pk, "opschalen"]),
        {"version": factories.version(case)},
        follow=True,
    )
    assert "Er is geen komende zitting gepland" in response.content.decode()
    assert not AgendaItem.objects.exists() and not Meeting.objects.exists()


def test_a_proposal_to_escalate_lands_on_the_next_agenda(client, series, director, case_awaiting):
    services.sittings_plan_ahead()
    case = on_table(case_awaiting, director)
    client.force_login(director)
    client.post(
        reverse("meetings:propose", args=[case.pk, "opschalen"]),
        {"version": factories.version(case)},
    )
    item = AgendaItem.objects.get(case=case)
    assert item.reason == AgendaItem.Reason.PROPOSED_ESCALATION
    assert item.meeting.series.level == case.level and item.meeting.starts_at > timezone.now()
    earliest = (
        Meeting.objects.filter(series__level=case.level, starts_at__gt=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )
    assert item.meeting == earliest


def test_a_moved_sitting_is_never_planned_again(zvh, director):
    series = MeetingSeries.objects.create(
        name="Verplaatstafel",
        level="jonge_aanwas",
        first_date=timezone.localdate() + dt.timedelta(days=7),
        every_weeks=2,
    )
    services.sittings_generate(series=series, until=series.first_date + dt.timedelta(weeks=4))
    first = Meeting.objects.filter(series=series).order_by("starts_at").first()
    moved_to = timezone.make_aware(
        dt.datetime.combine(first.starts_at.date() + dt.timedelta(days=1), dt.time(10))
    )
    services.meeting_move(meeting=first, actor=director, starts_at=moved_to, reason="Zaal bezet")
    before = Meeting.objects.filter(series=series).count()
    # The worker plans again, and further ahead: nothing reappears on the old moment.
    services.sittings_generate(series=series, until=series.first_date + dt.timedelta(weeks=4))
    services.sittings_generate(series=series, until=series.first_date + dt.timedelta(weeks=6))
    sittings = list(Meeting.objects.filter(series=series).order_by("starts_at"))
    assert len(sittings) == before + 1  # only the new slot at week 6
    assert sum(1 for m in sittings if m.slot == first.slot) == 1
    assert first.starts_at.date() not in {
        timezone.localtime(m.starts_at).date() for m in sittings if m.pk != first.pk
    }


@time_machine.travel(dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC), tick=False)
def test_planning_goes_forward_from_the_last_slot(zvh):
    """The work of a run does not grow with the series' history: only slots after the last
    one are considered (a gap left in the past stays a gap)."""
    series = MeetingSeries.objects.create(
        name="Vooruittafel", level="pga", first_date=dt.date(2027, 1, 5), every_weeks=1
    )
    services.sittings_generate(series=series, until=dt.date(2027, 3, 2))
    assert Meeting.objects.filter(series=series).count() == 9
    with CaptureQueriesContext(connection) as nothing_new:
        assert services.sittings_generate(series=series, until=dt.date(2027, 3, 2)) == 0
    assert len(nothing_new) == 1  # the last slot; no look at the nine sittings before it


@time_machine.travel(dt.datetime(2027, 3, 10, 9, tzinfo=dt.UTC), tick=False)
def test_the_past_is_never_planned(zvh):
    """A series whose first day lies in the past (or a worker that was down for weeks) gets
    sittings from today's slot on, not a backlog of sittings nobody held."""
    series = MeetingSeries.objects.create(
        name="Inhaaltafel", level="pga", first_date=dt.date(2027, 1, 5), every_weeks=2
    )
    assert services.sittings_generate(series=series, until=dt.date(2027, 4, 30)) == 4
    days = [timezone.localtime(m.starts_at).date() for m in Meeting.objects.filter(series=series)]
    assert days == [
        dt.date(2027, 3, 16),
        dt.date(2027, 3, 30),
        dt.date(2027, 4, 13),
        dt.date(2027, 4, 28),  # Tuesday 27 April is Koningsdag
    ]


def test_the_slot_backfill_gives_a_moved_sitting_the_slot_it_was_planned_in(zvh, director):
    """Migration workflows 0015 gives existing sittings their slots: a sitting moved before it
    keeps the slot it was planned in (read from the audit trail), so the generator does not
    plan that slot again; a sitting scheduled by hand gets none."""
    from importlib import import_module

    fill_slots = import_module("workflows.migrations.0015_concurrency").fill_slots
    series = MeetingSeries.objects.create(
        name="Aanvultafel",
        level="jonge_aanwas",
        first_date=calendar.add_working_days(timezone.localdate() + dt.timedelta(days=7), 0),
        every_weeks=2,
    )
    until = series.first_date + dt.timedelta(weeks=4)
    services.sittings_generate(series=series, until=until)
    first, second, last = Meeting.objects.filter(series=series).order_by("starts_at")
    services.meeting_move(
        meeting=last,
        actor=director,
        starts_at=last.starts_at + dt.timedelta(days=1),
        reason="Zaal bezet",
    )
    extra = services.meeting_schedule(
        series=series, actor=director, starts_at=first.starts_at + dt.timedelta(days=3)
    )
    slots = {m.pk: m.slot for m in Meeting.objects.filter(series=series)}
    Meeting.objects.filter(series=series).update(slot=None)  # as before the migration
    fill_slots(apps, None)
    assert {m.pk: m.slot for m in Meeting.objects.filter(series=series)} == slots
    assert slots[last.pk] is not None and slots[extra.pk] is None
    assert services.sittings_generate(series=series, until=until) == 0


def test_the_calendar_is_a_read_with_a_constant_number_of_queries(client, zvh, director):
    def calendar_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("meetings:calendar")).status_code == 200
        return len(queries)

    client.force_login(director)
    client.get(reverse("meetings:calendar"))  # session and permission caches warm
    few = calendar_queries()
    for n in range(3):
        table = MeetingSeries.objects.create(
            name=f"Tafel {n}",
            level="pga",
            first_date=timezone.localdate() - dt.timedelta(weeks=30),
            every_weeks=1,
        )
        services.sittings_generate(series=table, until=timezone.localdate() + dt.timedelta(weeks=8))
    planned = Meeting.objects.count()
    assert calendar_queries() == few
    assert Meeting.objects.count() == planned  # the page planned nothing
