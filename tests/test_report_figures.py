# SPDX-License-Identifier: AGPL-3.0-or-later
"""Lead times, signals, partner work and the case tables of the report, on known data made
through the real services at known moments (Europe/Amsterdam)."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import disclosure
from reports.figures import case_tables, lead_times, partner_work, signals
from reports.periods import Period
from tests import factories
from tests.report_world import at, close, escalate, screen_in, signal, travel, values
from workflows.ladder.machine import NETWERKOVERLEG, PGA
from workflows.tasks import calendar
from workflows.tasks.deadlines import sweep_deadlines
from workflows.tasks.models import TaskType
from workflows.tasks.services import task_assign, task_claim, task_complete, task_return

pytestmark = pytest.mark.django_db

Q2 = Period.quarter(2026, 2)
SCREENING = "Signaal tot screeningsbesluit (norm 5 werkdagen)"


@pytest.fixture
def screened(director, police_officer):
    """Two signals on Good Friday 3 April 2026 (a working day; Easter Monday is not): the
    5th working day after it is Monday 13 April. One is decided at 23:00 on that day (within),
    one half an hour after midnight (not). Four more are decided the next day."""
    assert calendar.add_working_days(dt.date(2026, 4, 3), 5) == dt.date(2026, 4, 13)
    c1 = signal(police_officer, at(2026, 4, 3, 9)).case
    screen_in(c1, director, NETWERKOVERLEG, at(2026, 4, 13, 23))
    c2 = signal(police_officer, at(2026, 4, 3, 9)).case
    screen_in(c2, director, NETWERKOVERLEG, at(2026, 4, 14, 0, 30))
    others = []
    for _ in range(4):
        case = signal(police_officer, at(2026, 4, 20, 12)).case
        others.append(screen_in(case, director, NETWERKOVERLEG, at(2026, 4, 21, 12)))
    escalate(c1, director, PGA, at(2026, 5, 13, 23))  # 30 days on netwerkoverleg
    close(others[0], director, at(2026, 6, 30, 12))  # 70 days on it; 71 days from its signal
    return {"c1": c1, "c2": c2, "others": others}


def test_signal_to_screening_against_the_norm_of_five_working_days(screened):
    n, median, p80, p90, share = values(lead_times.lead_times(Q2), SCREENING)
    assert n == 6
    assert median == 1.0  # four of six took a day
    # percentile_cont: p80 at position 4 of 0..5 (10 d 14 h), p90 between it and 10 d 15.5 h
    assert p80 == 10.6 and p90 == 10.6
    assert share == pytest.approx(5 / 6)  # only the decision at 00:30 on 14 April is late


def test_time_on_a_level_and_to_closure(screened):
    table = lead_times.lead_times(Q2)
    assert values(table, "Tijd op niveau: Netwerkoverleg Risicojeugd")[:2] == [2, 50.0]
    assert values(table, "Tijd op niveau: Persoonsgerichte aanpak (PGA)")[:2] == [0, None]
    assert values(table, "Aanmelding tot afsluiten")[:2] == [1, 71.0]


def test_percentiles_over_fewer_cases_than_the_threshold_are_blank(screened):
    published = disclosure.publish(lead_times.lead_times(Q2), 5)
    rows = {row.label: [cell.text for cell in row.cells] for row in published.rows}
    assert rows[SCREENING] == ["6", "1,0", "10,6", "10,6", "83%"]
    assert rows["Tijd op niveau: Netwerkoverleg Risicojeugd"] == ["<5", "–", "–", "–", "–"]


def test_signals_per_organisation_kind_category_bundled_and_feedback(
    director, police_officer, halt_worker
):
    category = factories.category("Overlast in de wijk")
    first = signal(police_officer, at(2026, 4, 1, 9), cat=category)
    screen_in(first.case, director, NETWERKOVERLEG, at(2026, 4, 2, 9))
    # Halt reports the same youth later: bundled into the open case (it stays "received").
    signal(halt_worker, at(2026, 5, 4, 9), youth=first.youth, cat=category)
    # A second youth reported on 30 June at 23:59, decided outside the norm, not taken up.
    late = signal(police_officer, at(2026, 6, 30, 23, 59))
    close(late.case, director, at(2026, 7, 15), from_screening=True)
    # Reported on 1 July 00:00: the next quarter.
    signal(police_officer, at(2026, 7, 1, 0, 0))
    kinds = signals.by_kind(Q2)
    #        all  new bundled taken not  open  feedback in norm
    assert values(kinds, "Politie") == [2, 2, 0, 1, 1, 0, 1]
    assert values(kinds, "Halt") == [1, 0, 1, 0, 0, 1, 0]
    assert values(kinds, "Totaal") == [3, 2, 1, 1, 1, 1, 1]
    orgs = signals.by_organisation(Q2)
    assert values(orgs, "Politie Basisteam Maastricht")[0] == 2
    assert values(orgs, "Halt Limburg")[0] == 1
    assert values(signals.by_category(Q2), "Overlast in de wijk")[:3] == [2, 1, 1]


def test_partner_work_per_organisation(director, police_officer, halt, halt_worker):
    case = signal(police_officer, at(2026, 3, 2)).case
    screen_in(case, director, NETWERKOVERLEG, at(2026, 3, 3))
    kind = TaskType.objects.filter(is_active=True).first()

    def assign(when, deadline):
        with travel(when):
            return task_assign(
                actor=director,
                task_type=kind,
                organisation=halt,
                instruction="Informatie aanleveren",
                case=case,
                deadline=calendar.end_of_day(deadline),
            )

    def complete(task, when):
        with travel(when):
            task_claim(task=task, actor=halt_worker)
            task_complete(task=task, actor=halt_worker, result="Gedaan")

    on_time = assign(at(2026, 4, 1, 10), dt.date(2026, 4, 10))
    complete(on_time, at(2026, 4, 9))
    late = assign(at(2026, 4, 2, 10), dt.date(2026, 4, 10))
    complete(late, at(2026, 4, 15))
    returned = assign(at(2026, 4, 3, 10), dt.date(2026, 4, 17))
    with travel(at(2026, 4, 5)):
        task_return(task=returned, actor=halt_worker, reason="Geen capaciteit")
    assign(at(2026, 3, 25, 10), dt.date(2026, 4, 2))  # Q1, overdue and escalated in Q2
    with travel(at(2026, 5, 1)):
        sweep_deadlines()
    table = partner_work.partner_work(Q2)
    # assigned, on time, late, became overdue, returned, escalated, open at end
    assert values(table, "Halt Limburg") == [3, 1, 1, 2, 1, 1, 1]
    previous = partner_work.partner_work(Q2.previous())
    assert values(previous, "Halt Limburg") == [1, 0, 0, 0, 0, 0, 1]


def test_sittings_cases_discussed_decisions_and_interpretation_sessions(
    director, support, police_officer
):
    from workflows.meetings import services as meetings
    from workflows.meetings.minutes import decision_add, minutes_confirm, minutes_draft
    from workflows.meetings.models import Meeting, MeetingSeries

    series = MeetingSeries.objects.create(
        name="Netwerkoverleg Noord (test)",
        level=NETWERKOVERLEG,
        first_date=dt.date(2026, 4, 7),
        every_weeks=4,
        is_interpretation_session=True,
    )
    with travel(at(2026, 4, 1)):
        meetings.sittings_generate(series=series, until=dt.date(2026, 6, 30))
    cases = []
    for i in range(2):
        case = signal(police_officer, at(2026, 4, 1, 9 + i)).case
        cases.append(screen_in(case, director, NETWERKOVERLEG, at(2026, 4, 2, 9 + i)))
    sitting = Meeting.objects.filter(series=series).order_by("starts_at").first()
    with travel(at(2026, 4, 3)):
        for case in cases:
            meetings.agenda_add(meeting=sitting, actor=director, case=case)
    with travel(sitting.starts_at + dt.timedelta(hours=2)):
        minutes = minutes_draft(meeting=sitting, actor=support)
        for item in minutes.items.all():
            decision_add(item=item, actor=support, kind="continue", reason="Loopt goed")
        minutes_confirm(minutes=minutes, actor=director)
    # The sittings of May and June are held too (nothing on their agendas).
    for later in Meeting.objects.filter(series=series).order_by("starts_at")[1:3]:
        with travel(later.starts_at + dt.timedelta(hours=2)):
            minutes_confirm(minutes=minutes_draft(meeting=later, actor=support), actor=director)
    table = case_tables.sittings(Q2)
    # held, cases discussed, then decisions: continue, escalate, deescalate, close, plan, task
    assert values(table, "Netwerkoverleg Noord (test)") == [3, 2, 2, 0, 0, 0, 0, 0]
    sessions = case_tables.interpretation_sessions(Q2)
    assert values(sessions, "Duidingsbijeenkomsten") == [3, 3, 20]  # April, May, June
    # The quarter before had none: its run is 0; the year from July 2025 to June 2026 has 3.
    assert values(case_tables.interpretation_sessions(Q2.previous()), "Duidingsbijeenkomsten")[
        :2
    ] == [0, 0]
    # Time from entering the level (2 April) to the first discussion at that sitting.
    label = "Instroom tot eerste bespreking: Netwerkoverleg Risicojeugd"
    first = values(lead_times.lead_times(Q2), label)
    assert first[0] == 2
    # Entered at 9:00 and 10:00 on 2 April: the median is from 9:30.
    expected = (sitting.starts_at - at(2026, 4, 2, 9, 30)).total_seconds() / 86400
    assert first[1] == round(expected, 1)


def test_interventions_per_provider_with_their_cost_per_pillar(director, police_officer):
    from casebook.models import Intervention, Organisation
    from reports.figures import interventions
    from workflows.ladder.plans import plan_add_intervention

    kansrijk = Intervention.objects.get(name="KansRIJK")
    straatkracht = Intervention.objects.get(name="Straatkracht")
    assert (kansrijk.pillar, straatkracht.pillar) == (2, 3)  # from the catalogue
    provider = Organisation.objects.get(short_name="Jeugdreclassering")
    worker = factories.task_worker(provider)
    started = []
    for day, intervention in ((7, kansrijk), (8, kansrijk), (9, straatkracht)):
        case = signal(police_officer, at(2026, 4, 1, 9)).case
        screen_in(case, director, NETWERKOVERLEG, at(2026, 4, 2, 9))
        with travel(at(2026, 4, day)):
            started.append(
                plan_add_intervention(case=case, actor=director, intervention=intervention)
            )
    with travel(at(2026, 6, 1)):
        task_claim(task=started[0].task, actor=worker)
        task_complete(task=started[0].task, actor=worker, result="Traject afgerond")
    table = interventions.interventions(Q2)
    assert values(table, "KansRIJK — Jeugdreclassering") == [2, 1, 2 * 632500]
    assert values(table, "Straatkracht — Jeugdreclassering") == [1, 0, 2958600]
    assert values(table, "Totaal 2. Preventie") == [2, 1, 1265000]
    assert values(table, "Totaal alle pijlers") == [3, 1, 1265000 + 2958600]
    (total,) = [row for row in table.rows if row.label == "Totaal alle pijlers"]
    assert total.cells[2].text == "€ 42.236"
    # Published: 2 KansRIJK are few, and so is their cost (price × number gives it away).
    published = disclosure.publish(table, 5)
    (row,) = [row for row in published.rows if row.label.startswith("KansRIJK")]
    assert [cell.text for cell in row.cells] == ["<5", "<5", "<5"]


def test_groups_per_step_members_per_tier_and_bulk_actions(director, police):
    from casebook.models import Tier
    from reports.figures import groups
    from workflows.groups.services.members import group_member_tier
    from workflows.groups.services.steps import group_step_move

    with travel(at(2026, 3, 10)):
        first = factories.youth_group(director, "De Pleinjongens")
    with travel(at(2026, 4, 15)):
        group_step_move(group=first, actor=director, move="advance", reason="Ledenlijst rond")
    with travel(at(2026, 5, 1)):
        factories.youth_group(director, "Online groep Oost")
    bram = first.members.get(youth__first_name="Bram")
    with travel(at(2026, 5, 10)):
        group_member_tier(member=bram, actor=director, tier=Tier.RED, reason="Verdacht")
    steps = groups.steps(Q2)
    # start, into, out of, end
    assert values(steps, "1. Signalen over groepsgedrag delen") == [1, 1, 1, 1]
    assert values(steps, "2. Beoordelen groepsgedrag") == [0, 1, 0, 1]
    members = groups.members(Q2)
    assert values(members, "rood") == [3]  # Ayoub and Bram, and the new group's red member
    assert values(members, "oranje") == [1]
    assert values(members, "geel") == [2]
    # At the end of the previous quarter: only the first group, Bram still orange.
    previous = groups.members(Q2.previous())
    assert [values(previous, t)[0] for t in ("rood", "oranje", "geel")] == [1, 1, 1]


def test_areas_by_wijk_buurt_municipality_and_area_team(director, police_officer):
    from casebook.models import AreaTeam, District, Neighbourhood
    from casebook.services.signals import signal_register
    from reports.figures import areas

    team = AreaTeam.objects.create(name="Team Noordoost (test)", kind=AreaTeam.Kind.SOCIAL_DOMAIN)
    north = District.objects.create(code="T-NO", name="Noordoost (test)")
    wyck = Neighbourhood.objects.create(
        code="T-BU-1", name="Wyck (test)", district=north, social_area_team=team
    )
    vaals = Neighbourhood.objects.get(code="GM0981")  # Gemeente Vaals (Heuvelland)
    category = factories.category()
    for place, when in ((wyck, at(2026, 4, 2)), (wyck, at(2026, 5, 2)), (vaals, at(2026, 6, 2))):
        with travel(when):
            signal_register(
                reporter=police_officer,
                category=category,
                description="Zorgen",
                new_youth=factories.youth_data(neighbourhood=place),
            )
    #         new cases, signals, closed, open at end
    assert values(areas.per_area(Q2, "wijk"), "Noordoost (test)") == [2, 2, 0, 2]
    assert values(areas.per_area(Q2, "buurt"), "Wyck (test)") == [2, 2, 0, 2]
    municipalities = areas.per_area(Q2, "gemeente")
    assert values(municipalities, "Gemeente Vaals") == [1, 1, 0, 1]
    assert values(municipalities, "Gemeente Maastricht") == [2, 2, 0, 2]
    teams = areas.per_area(Q2, "gebiedsteam")
    assert values(teams, "Team Noordoost (test)") == [2, 2, 0, 2]
    assert values(teams, "Geen gebiedsteam") == [1, 1, 0, 1]
