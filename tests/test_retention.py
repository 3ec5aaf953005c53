# SPDX-License-Identifier: AGPL-3.0-or-later
"""Retention (ADR 0020): what has passed its term is anonymised or removed, under a frozen
clock across each term's boundary; what the steering group counts survives, and the audit
trail still verifies after its payloads went."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from casebook.models import (
    AuditEvent,
    Case,
    FamilyLink,
    PlanGoal,
    ProcessingLogLine,
    RetentionRun,
    Signal,
    Youth,
)
from casebook.models.signals import SignalStatus
from casebook.selectors.retention import retention_plan
from casebook.services.audit import ChainBreak, verify_chain
from casebook.services.audit_anchor import write_checkpoint
from casebook.services.cases import family_link_add
from casebook.services.processing import Code, log_subjects
from casebook.services.retention import ANONYMOUS_NAME, retention_run
from notifications.models import Notification
from reports.figures import raw_report
from reports.periods import Period
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import CLOSED, NETWERKOVERLEG
from workflows.ladder.plans import plan_add_goal

pytestmark = pytest.mark.django_db

#: When everything below happened: the cases closed, the signal was declined.
T0 = dt.datetime(2020, 3, 10, 10, 0, tzinfo=dt.UTC)
#: What one run costs, however many records expire (within one batch of each kind).
QUERIES_PER_RUN = 68


def years_after(years: int, days: int) -> dt.datetime:
    return T0.replace(year=T0.year + years) + dt.timedelta(days=days)


def _commit_chain() -> None:
    """What COMMIT does: the deferred chain trigger links the transaction's events."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS casebook_auditevent_chain IMMEDIATE")


def _chain_breaks() -> list[ChainBreak]:
    return [item for item in verify_chain() if isinstance(item, ChainBreak)]


@pytest.fixture
def history(director, police_officer):
    """At T0: a case that was on the ladder and closed (Anouk, with a plan goal and a sibling
    named), and a case screened out, its signal not taken up (Bram); processing-log lines
    under a 12-month and a 60-month activity; a notification naming the first case."""
    with time_machine.travel(T0, tick=False):
        on_ladder = factories.signal(
            police_officer,
            description="Anouk de Vries hangt bij de Markt",
        ).case
        on_ladder.youth.first_name, on_ladder.youth.last_name = "Anouk", "Vries"
        on_ladder.youth.last_name_prefix = "de"
        on_ladder.youth.save()
        ladder.case_screen_in(
            case=on_ladder,
            actor=director,
            target_level=NETWERKOVERLEG,
            reason="Anouk past in het netwerkoverleg",
            criteria=factories.criteria_for(NETWERKOVERLEG),
        )
        plan_add_goal(
            case=on_ladder, actor=director, life_domain="school_werk", goal="Anouk gaat naar school"
        )
        family_link_add(
            case=Case.objects.get(pk=on_ladder.pk),
            youth=on_ladder.youth,
            actor=director,
            relation=FamilyLink.Relation.PARENT,
            related_name="Moeder de Vries",
        )
        ladder.case_close(
            case=Case.objects.get(pk=on_ladder.pk),
            actor=director,
            closure_reason=factories.closure_reason(),
            reason="Doel bereikt voor Anouk",
        )
        screened_out = factories.signal(police_officer, description="Bram stal een fiets").case
        ladder.case_close(
            case=screened_out,
            actor=director,
            closure_reason=factories.closure_reason(from_screening=True),
            reason="Geen grond voor Bram",
        )
        log_subjects(Code.SIGNAL, [screened_out.youth_id], "signal.viewed")
        log_subjects(Code.CASE_COORDINATION, [on_ladder.youth_id], "case.viewed")
        Notification.objects.create(
            recipient=director, message=f"{on_ladder.reference} afgesloten", url="/", created_at=T0
        )
    _commit_chain()
    return {
        "on_ladder": Case.objects.get(pk=on_ladder.pk),
        "screened_out": Case.objects.get(pk=screened_out.pk),
    }


def test_the_scenario_is_what_the_tests_assume(history):
    assert history["on_ladder"].level == CLOSED
    assert history["screened_out"].level == CLOSED
    assert history["screened_out"].signals.get().status == SignalStatus.NOT_TAKEN_UP
    assert history["on_ladder"].signals.get().status == SignalStatus.TAKEN_UP
    assert ProcessingLogLine.objects.count() == 2


@pytest.mark.parametrize(
    ("moment", "screened_out_gone", "on_ladder_gone"),
    [
        (years_after(1, -1), False, False),
        (years_after(1, 1), True, False),
        (years_after(5, -1), True, False),
        (years_after(5, 1), True, True),
    ],
    ids=["1 jaar min een dag", "1 jaar plus een dag", "5 jaar min een dag", "5 jaar plus een dag"],
)
def test_each_term_is_kept_to_the_day_and_anonymised_the_day_after(
    history, moment, screened_out_gone, on_ladder_gone
):
    """A case on the ladder: 5 years after closure; a screened-out case and its signal not
    taken up: 1 year; its youth goes with the last of its records."""
    with time_machine.travel(moment, tick=False):
        plan = retention_plan(moment)
        expected_cases = {
            pk
            for pk, gone in (
                (history["screened_out"].pk, screened_out_gone),
                (history["on_ladder"].pk, on_ladder_gone),
            )
            if gone
        }
        assert set(plan.ids("closed_case")) == expected_cases
        retention_run(now=moment)
    for key, gone in (("screened_out", screened_out_gone), ("on_ladder", on_ladder_gone)):
        case = Case.objects.get(pk=history[key].pk)
        youth = Youth.objects.get(pk=case.youth_id)
        signal = Signal.objects.get(case=case)
        assert (case.anonymised_at is not None) is gone, key
        assert (youth.first_name == ANONYMOUS_NAME) is gone, key
        assert (signal.description == "") is gone, key


def test_an_anonymised_youth_keeps_only_what_the_counts_need(history):
    case = history["on_ladder"]
    youth = case.youth
    born, neighbourhood = youth.date_of_birth, youth.neighbourhood_id
    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        retention_run(now=moment)
    youth.refresh_from_db()
    assert (youth.first_name, youth.last_name_prefix, youth.last_name) == (ANONYMOUS_NAME, "", "")
    assert youth.search_name == ""
    assert youth.date_of_birth == dt.date(born.year, 7, 1)  # the year stays: age bands
    assert youth.neighbourhood_id == neighbourhood  # the wijk stays: the district counts
    assert not FamilyLink.objects.filter(youth=youth).exists()
    assert PlanGoal.objects.get(case=case).goal == ""
    case.refresh_from_db()
    assert case.level == CLOSED and case.closure_reason_id and case.closed_at  # the counts


def test_audit_payloads_of_removed_subjects_go_and_the_chain_still_verifies(history):
    case = history["on_ladder"]
    write_checkpoint()
    assert "Anouk" in json.dumps([e.payload() for e in AuditEvent.objects.filter(case=case)])
    positions = dict(AuditEvent.objects.filter(case=case).values_list("pk", "chain_link__hash"))
    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        run = retention_run(now=moment)
    _commit_chain()
    events = AuditEvent.objects.filter(case=case)
    assert all(e.payload_removed_at is not None and e.payload_is_empty for e in events)
    text = json.dumps([e.payload() for e in AuditEvent.objects.filter(youth=case.youth)])
    assert "Anouk" not in text and "Vries" not in text
    # Every event keeps its place and hash in the chain, and the chain verifies, anchor too.
    assert dict(events.values_list("pk", "chain_link__hash")) == positions
    assert _chain_breaks() == []
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "in orde" in out.getvalue()
    assert run.counts["audit_payload"] >= len(positions)


def test_the_run_is_audited_with_counts_only_and_a_second_run_removes_nothing(history):
    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        first = retention_run(now=moment)
        second = retention_run(now=moment)
    assert first.counts["closed_case"] == 2 and first.counts["youth"] == 2
    assert set(second.counts.values()) == {0}
    event = AuditEvent.objects.filter(action="retention.run").order_by("pk").first()
    assert event.after == first.counts
    assert "Anouk" not in json.dumps(event.payload()) and "Bram" not in json.dumps(event.payload())
    _commit_chain()
    assert _chain_breaks() == []


def _report_cells(year: int) -> list:
    """Every raw cell of the stuurgroep's report of a year (reports.figures)."""
    sections = raw_report(Period.year(year))
    return [
        (table.key, row.label, [cell.value for cell in row.cells])
        for section in sections
        for table in section.tables
        for row in table.rows
    ]


def test_the_steering_groups_figures_are_the_same_after_a_run(history):
    """The report reads the ladder's moves from the audit trail; a run removes their payload
    and keeps the two levels (KeptLadderMove), so every figure of the years the anonymised
    cases lived in stays the same."""
    years = sorted({case.opened_at.year for case in Case.objects.all()})
    before = [_report_cells(year) for year in years]
    assert any(value for cells in before for _k, _l, values in cells for value in values)
    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        run = retention_run(now=moment)
    assert run.counts["closed_case"] == 2 and run.counts["audit_payload"] > 0
    assert [_report_cells(year) for year in years] == before


def test_processing_log_lines_follow_their_activitys_term(history):
    """The signal activity keeps its lines 12 months, case coordination 60."""
    signal_line = ProcessingLogLine.objects.get(processing_activity__code=Code.SIGNAL)
    case_line = ProcessingLogLine.objects.get(processing_activity__code=Code.CASE_COORDINATION)
    for moment, left in (
        (years_after(1, -1), {signal_line.pk, case_line.pk}),
        (years_after(1, 1), {case_line.pk}),
        (years_after(5, -1), {case_line.pk}),
        (years_after(5, 1), set()),
    ):
        with time_machine.travel(moment, tick=False):
            present = ProcessingLogLine.objects.count()
            assert retention_plan(moment).count("processing_log") == present - len(left)
            retention_run(now=moment)
        assert set(ProcessingLogLine.objects.values_list("pk", flat=True)) == left, moment


def test_the_dry_run_changes_nothing(history):
    moment = years_after(5, 1)

    def snapshot():
        return (
            list(Youth.objects.order_by("pk").values()),
            list(Signal.objects.order_by("pk").values()),
            list(Case.objects.order_by("pk").values()),
            list(AuditEvent.objects.order_by("pk").values("reason", "before", "after")),
            ProcessingLogLine.objects.count(),
            Notification.objects.count(),
            RetentionRun.objects.count(),
        )

    before = snapshot()
    with time_machine.travel(moment, tick=False):
        plan = retention_plan(moment)
        counted = retention_plan(moment, with_ids=False)  # the page's: counts only
        out = StringIO()
        call_command("retention", stdout=out)
        call_command("retention", "--dry-run", stdout=StringIO())
    assert snapshot() == before
    assert [line.count for line in counted.lines] == [line.count for line in plan.lines]
    assert plan.count("closed_case") == 2
    assert plan.count("notification") == Notification.objects.count() > 0
    assert "Proefrun" in out.getvalue() and "Afgesloten casussen: 2" in out.getvalue()
    assert "Anouk" not in out.getvalue()


def test_the_command_applies_the_terms_with_apply(history):
    moment = years_after(5, 1)
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("retention", "--apply", stdout=out)
    run = RetentionRun.objects.get()
    assert run.trigger == RetentionRun.Trigger.COMMAND
    assert "Afgesloten casussen: 2" in out.getvalue()
    assert not Youth.objects.filter(anonymised_at__isnull=True, first_name="Anouk").exists()


def test_an_open_case_keeps_its_youth_whatever_its_old_closed_case(history, police_officer):
    """A youth with a new, open case keeps name and birth date; the old case is anonymised."""
    old = history["on_ladder"]
    with time_machine.travel(years_after(4, 0), tick=False):
        new = factories.signal(police_officer, youth=old.youth, description="Weer bij de Markt")
    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        retention_run(now=moment)
    youth = Youth.objects.get(pk=old.youth_id)
    assert youth.first_name == "Anouk" and youth.anonymised_at is None
    assert Case.objects.get(pk=old.pk).anonymised_at is not None
    assert Signal.objects.get(pk=new.pk).description == "Weer bij de Markt"


def test_old_notifications_and_log_in_records_go(history):
    from axes.models import AccessAttempt

    with time_machine.travel(T0, tick=False):
        AccessAttempt.objects.create(
            username="iemand",
            ip_address="192.0.2.1",
            user_agent="x",
            attempt_time=T0,
            failures_since_start=1,
        )
    notifications = Notification.objects.count()  # the services' and the fixture's, all at T0
    moment = T0 + dt.timedelta(days=200)  # past 6 months, within every other term
    with time_machine.travel(moment, tick=False):
        run = retention_run(now=moment)
    assert run.counts["notification"] == notifications and run.counts["login_record"] == 1
    assert not Notification.objects.exists() and not AccessAttempt.objects.exists()
    assert run.counts["closed_case"] == 0


# --- The page -----------------------------------------------------------------------------------


def test_the_privacy_officer_sees_the_dry_run_per_record_type(
    history, client, privacy_officer, django_assert_max_num_queries
):
    client.force_login(privacy_officer)
    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False), django_assert_max_num_queries(25):
        response = client.get("/privacy/bewaartermijnen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bewaartermijnen" in html and "Er is nog geen run geweest." in html
    assert 'data-soort="closed_case">2<' in html
    assert "5 jaar na het afsluiten" in html
    assert "Anouk" not in html and "Bram" not in html
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 0  # a dry run

    with time_machine.travel(moment, tick=False):
        retention_run(now=moment)
        html = client.get("/privacy/bewaartermijnen/").content.decode()
    assert "Laatste run:" in html and 'data-soort="closed_case">0<' in html


@pytest.mark.parametrize("who", ["director", "steering_member", "police_officer", "beheerder"])
def test_other_roles_may_not_see_the_retention_page(client, request, who):
    from casebook.models import Role

    if who == "beheerder":
        user = factories.user(Role.FUNCTIONAL_ADMIN, factories.organisation())
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get("/privacy/bewaartermijnen/")
    assert response.status_code == 403
    assert "privacy officer" in response.content.decode()


# --- The worker ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_the_daily_job(history):
    from procrastinate.contrib.django import app

    from casebook.jobs import retention

    with time_machine.travel(years_after(5, 1), tick=True):
        retention.defer(timestamp=0)
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(queues=["default"], wait=False, install_signal_handlers=False)
    run = RetentionRun.objects.get()
    assert run.trigger == RetentionRun.Trigger.JOB and run.counts["closed_case"] == 2
    assert Youth.objects.filter(first_name=ANONYMOUS_NAME).count() == 2
    assert _chain_breaks() == []


# --- Group approaches -----------------------------------------------------------------------------


@pytest.fixture
def closed_group(director):
    """At T0: a group approach closed at 2A (not problematic), three members without cases."""
    from workflows.groups.services.steps import group_step_move

    with time_machine.travel(T0, tick=False):
        group = factories.youth_group(director, "Hangplek Markt")
        group_step_move(group=group, actor=director, move="advance", reason="Beoordelen")
        group_step_move(
            group=group, actor=director, move="not_problematic", reason="Gewone hangjongeren"
        )
    _commit_chain()
    group.refresh_from_db()
    return group


@pytest.mark.parametrize(("days", "gone"), [(-1, False), (1, True)], ids=["min een dag", "plus"])
def test_a_closed_group_approach_is_anonymised_5_years_after_closure(closed_group, days, gone):
    from casebook.models import Group, GroupMember, GroupStepDecision

    moment = years_after(5, days)
    with time_machine.travel(moment, tick=False):
        assert (closed_group.pk in retention_plan(moment).ids("group")) is gone
        retention_run(now=moment)
    group = Group.objects.get(pk=closed_group.pk)
    assert (group.name == f"Groep {group.pk} (geanonimiseerd)") is gone
    assert (GroupStepDecision.objects.filter(group=group, reason="").count() == 2) is gone
    members = GroupMember.objects.filter(group=group).select_related("youth")
    assert len(members) == 3  # the members and their tiers stay: the counts
    assert {m.youth.first_name == ANONYMOUS_NAME for m in members} == {gone}
    events = AuditEvent.objects.filter(object_type="casebook.group", object_id=str(group.pk))
    assert events and {e.payload_is_empty for e in events} == {gone}
    # The police's group scan (a task of the group as a whole, cancelled at 2A): its events
    # name no youth or case, and go with the group.
    from workflows.tasks.models import PartnerTask

    tasks = [str(pk) for pk in PartnerTask.objects.filter(group=group).values_list("pk", flat=True)]
    task_events = AuditEvent.objects.filter(
        object_type="workflows.partnertask", object_id__in=tasks
    )
    assert task_events and {e.payload_is_empty for e in task_events} == {gone}
    _commit_chain()
    assert _chain_breaks() == []


# --- No query per record ----------------------------------------------------------------------


def _screened_out_cases(reporter, director, count: int) -> None:
    with time_machine.travel(T0, tick=False):
        reason = factories.closure_reason(from_screening=True)
        for _ in range(count):
            case = factories.signal(reporter).case
            ladder.case_close(case=case, actor=director, closure_reason=reason, reason="Geen grond")
    _commit_chain()


@pytest.mark.parametrize("count", [1, 4])
def test_a_run_costs_the_same_queries_for_one_record_or_many(
    director, police_officer, count, django_assert_num_queries
):
    """Batches, not a query per record: as many queries for one case as for four."""
    _screened_out_cases(police_officer, director, count)
    moment = years_after(1, 1)
    with time_machine.travel(moment, tick=False), django_assert_num_queries(QUERIES_PER_RUN):
        run = retention_run(now=moment)
    assert run.counts["closed_case"] == count and run.counts["youth"] == count


def test_an_open_case_keeps_its_youth_even_when_its_signals_have_expired(history, police_officer):
    """The case itself holds the youth: here its only signal was declined years ago, yet the
    case is still open (awaiting screening), so the youth keeps name and birth date."""
    old = history["on_ladder"]
    declined_at = years_after(3, 0)
    with time_machine.travel(declined_at, tick=False):
        new = factories.signal(police_officer, youth=old.youth, description="Weer bij de Markt")
    Signal.objects.filter(pk=new.pk).update(
        status=SignalStatus.NOT_TAKEN_UP, status_changed_at=declined_at
    )
    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        retention_run(now=moment)
    assert Signal.objects.get(pk=new.pk).anonymised_at is not None  # its own term passed
    assert Case.objects.get(pk=new.case_id).level != CLOSED
    youth = Youth.objects.get(pk=old.youth_id)
    assert youth.first_name == "Anouk" and youth.anonymised_at is None


def test_a_signal_for_an_anonymised_youth_is_refused_with_a_dutch_message(history, police_officer):
    """A form that still offered the youth before the night's run changes nothing."""
    from casebook.errors import ValidationFailed

    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        retention_run(now=moment)
        youth = Youth.objects.get(pk=history["on_ladder"].youth_id)
        signals = Signal.objects.count()
        with pytest.raises(ValidationFailed, match="geanonimiseerd"):
            factories.signal(police_officer, youth=youth)
    assert Signal.objects.count() == signals


def test_an_anonymised_youth_cannot_join_a_group(history, director):
    from casebook.errors import ValidationFailed
    from casebook.models import GroupMember, GroupRole
    from workflows.groups.services.members import group_member_add

    moment = years_after(5, 1)
    with time_machine.travel(moment, tick=False):
        retention_run(now=moment)
        group = factories.youth_group(director, "Nieuwe groep")
        youth = Youth.objects.get(pk=history["on_ladder"].youth_id)
        with pytest.raises(ValidationFailed, match="geanonimiseerd"):
            group_member_add(
                group=group,
                actor=director,
                role=GroupRole.objects.get(code="kern"),
                tier="yellow",
                reason="Groepsscan",
                youth=youth,
            )
    assert not GroupMember.objects.filter(youth=youth).exists()
