# SPDX-License-Identifier: AGPL-3.0-or-later
"""The youth-group approach as the procesregisseur and the partners notice it: the gates ask
what each step must have produced and refuse with a Dutch message while changing nothing; the
plan's actions become partner tasks when the plan is adopted; the police are asked for the
group scan, the ZVH monitors, closing hands over or cancels the open work; who takes part and
how much each organisation may see (need-to-know)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import (
    AuditEvent,
    Group,
    GroupNote,
    GroupParticipant,
    GroupPlanAction,
    GroupRole,
    GroupStepDecision,
    Organisation,
    OrganisationKind,
    Role,
)
from casebook.services.involvement import coordinating_organisation
from notifications.models import Notification
from tests import factories
from workflows.groups.selectors import group_access, visible_groups
from workflows.groups.services.bulk import group_bulk_action
from workflows.groups.services.members import group_member_add
from workflows.groups.services.participants import group_note_add, group_participant_set
from workflows.groups.services.plan import (
    group_interpretation_update,
    group_plan_action_add,
    group_plan_action_remove,
)
from workflows.groups.services.signals import group_signal_register
from workflows.groups.services.steps import group_create, group_step_move
from workflows.groups.steps import ORDER, GroupStep
from workflows.tasks.models import TaskState, TaskType
from workflows.tasks.services import task_claim, task_complete

pytestmark = pytest.mark.django_db

CORE = GroupParticipant.Access.CORE
EXECUTING = GroupParticipant.Access.EXECUTING


# --- Fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture
def school_worker(zvh):
    school = factories.organisation(OrganisationKind.SCHOOL, "Testschool (plan)")
    return factories.user(Role.PARTNER, school, first_name="Sanne", last_name="School")


@pytest.fixture
def group(director, police):
    """Mosae Forum at step 1 with three members aged 16: Ayoub (red), Bram (orange), Chayenne
    (yellow)."""
    group = factories.youth_group(director, "Mosae Forum (plan)")
    return group


def member(group, first_name):
    return group.members.get(youth__first_name=first_name)


def action_type():
    return TaskType.objects.get(code="groepsactie")


def fresh(group):
    return Group.objects.get(pk=group.pk)


def advance(group, director, reason="Besluit van de procesregisseur", **gate):
    return group_step_move(group=group, actor=director, move="advance", reason=reason, **gate)


def fill_duiding(group, director, **values):
    values = {
        "problem_types": ["overlast", "criminaliteit"],
        "dynamics": "Grote wisselende groep rond het winkelcentrum",
        "plan_goals": "Overlast rond Mosae Forum binnen drie maanden terug",
    } | values
    return group_interpretation_update(
        group=group, actor=director, expected_version=fresh(group).version, **values
    )


def add_action(group, director, organisation, *, track="groep", who=None, **extra):
    return group_plan_action_add(
        group=group,
        actor=director,
        track=track,
        task_type=action_type(),
        organisation=organisation,
        description=extra.pop("description", f"Actie ({track}) voor {organisation.name}"),
        member=member(group, who) if who else None,
        **extra,
    )


def run_to(group, director, step, organisation):
    """Through the gates up to ``step``, giving each gate what it asks (an action for
    ``organisation`` when the plan has none yet)."""
    group = fresh(group)
    while ORDER.index(group.step) < ORDER.index(step):
        gate = {}
        if group.step == GroupStep.INTERPRET and not group.plan_goals:
            group = fill_duiding(group, director)
        elif group.step == GroupStep.ADVISE:
            gate["priority"] = "hoog"
        elif group.step == GroupStep.PLAN and not group.plan_actions.exists():
            add_action(group, director, organisation)
        group = advance(group, director, **gate)
    assert group.step == step
    return group


def snapshot(group):
    """What a refused move must leave untouched."""
    group = fresh(group)
    return {
        "step": group.step,
        "version": group.version,
        "priority": group.priority,
        "evaluation": group.evaluation,
        "decisions": GroupStepDecision.objects.filter(group=group).count(),
        "audit": AuditEvent.objects.count(),
        "open_tasks": sorted(
            group.tasks.filter(state__in=[TaskState.OPEN, TaskState.CLAIMED]).values_list(
                "pk", flat=True
            )
        ),
    }


def group_events(group, action):
    return AuditEvent.objects.filter(
        object_type="casebook.group", object_id=str(group.pk), action=action
    ).order_by("id")


def open_tasks(group, code):
    return group.tasks.filter(task_type__code=code, state__in=[TaskState.OPEN, TaskState.CLAIMED])


def finish(task, worker, result="Gedaan"):
    task = task_claim(task=task, actor=worker)
    return task_complete(task=task, actor=worker, result=result)


# --- The gates ------------------------------------------------------------------------------------


def test_step_3_gate_names_what_the_duiding_lacks_and_changes_nothing(group, director, halt):
    group = run_to(group, director, GroupStep.INTERPRET, halt)
    before = snapshot(group)
    with pytest.raises(ValidationFailed) as refused:
        advance(group, director)
    message = refused.value.message
    assert message.startswith("De groepsduiding en het concept plan zijn nog niet compleet")
    for missing in ("de soorten problematiek", "de groepsdynamiek", "de doelen van het concept"):
        assert missing in message
    assert snapshot(group) == before

    group = group_interpretation_update(
        group=group,
        actor=director,
        expected_version=group.version,
        dynamics="Twee leiders, verder meelopers",
    )
    before = snapshot(group)
    with pytest.raises(ValidationFailed) as refused:
        advance(group, director)
    message = refused.value.message
    assert "de soorten problematiek" in message and "de doelen van het concept" in message
    assert "groepsdynamiek" not in message  # filled in: no longer named
    assert snapshot(group) == before

    group = fill_duiding(group, director)
    group = advance(group, director, "Duiding compleet")
    assert fresh(group).step == GroupStep.ADVISE
    decision = GroupStepDecision.objects.filter(group=group).order_by("decided_at").last()
    assert (decision.from_step, decision.to_step) == (GroupStep.INTERPRET, GroupStep.ADVISE)


def test_step_4_gate_needs_the_driehoek_priority_and_records_it(group, director, halt):
    group = run_to(group, director, GroupStep.ADVISE, halt)
    before = snapshot(group)
    for priority in ("", "urgent"):
        with pytest.raises(
            ValidationFailed, match="Leg de prioriteit vast die de driehoek"
        ) as refused:
            advance(group, director, priority=priority)
        assert "priority" in refused.value.field_errors
        assert snapshot(group) == before

    group = advance(group, director, "Driehoek: hoge prioriteit", priority="hoog")
    stored = fresh(group)
    assert stored.step == GroupStep.PLAN and stored.priority == "hoog"
    event = group_events(group, "group.advance").last()
    assert event.after["prioriteit"] == "hoog"
    assert event.reason == "Driehoek: hoge prioriteit"


def test_step_5_gate_needs_an_action_in_the_plan(group, director, halt):
    group = run_to(group, director, GroupStep.PLAN, halt)
    before = snapshot(group)
    with pytest.raises(ValidationFailed, match="heeft nog geen acties"):
        advance(group, director)
    assert snapshot(group) == before

    add_action(group, director, halt)
    assert advance(group, director, "Plan vastgesteld").step == GroupStep.EXECUTE


def test_closing_needs_a_written_evaluation_and_records_it(group, director, halt):
    group = run_to(group, director, GroupStep.CONCLUDE, halt)
    before = snapshot(group)
    assert before["open_tasks"]  # the plan's action is still running
    for evaluation in ("", "   "):
        with pytest.raises(ValidationFailed, match="Leg de evaluatie vast") as refused:
            group_step_move(
                group=group,
                actor=director,
                move="close",
                reason="Groep uiteengevallen",
                evaluation=evaluation,
            )
        assert "evaluation" in refused.value.field_errors
        assert snapshot(group) == before  # nothing closed, no task cancelled

    group_step_move(
        group=group,
        actor=director,
        move="close",
        reason="Groep uiteengevallen",
        evaluation="  Overlast sterk afgenomen; twee leden in een traject.  ",
    )
    stored = fresh(group)
    assert stored.step == GroupStep.CLOSED
    assert stored.evaluation == "Overlast sterk afgenomen; twee leden in een traject."
    assert stored.active_until == timezone.localdate()
    event = group_events(group, "group.close").get()
    assert event.after["evaluatie"] == "Overlast sterk afgenomen; twee leden in een traject."


# --- Step 2: the police group scan ----------------------------------------------------------------


@pytest.fixture
def sole_police(police):
    """The ``police`` fixture as the one active police organisation, not configured as a core
    partner: it takes part only once it is asked for the scan."""
    Organisation.objects.filter(kind=OrganisationKind.POLITIE).exclude(pk=police.pk).update(
        is_active=False
    )
    Organisation.objects.filter(pk=police.pk).update(is_group_core_partner=False)
    police.refresh_from_db()
    return police


def test_entering_step_2_asks_the_police_for_the_group_scan(director, sole_police, police_officer):
    group = group_create(actor=director, name="Scan-groep", kind="fixed")
    assert not group.participants.filter(organisation=sole_police).exists()
    assert not group.tasks.exists()

    group = advance(group, director, "Signalen van school en jongerenwerk")
    scan = group.tasks.get()
    assert scan.task_type.code == "groepsscan"
    assert scan.organisation == sole_police
    assert scan.state == TaskState.OPEN
    assert scan.group_member is None and scan.case is None
    assert "groepsscan" in scan.instruction
    participant = group.participants.get(organisation=sole_police)
    assert participant.access == EXECUTING
    assert Notification.objects.filter(
        recipient=police_officer, message__contains="Groepsscan en advies politie"
    ).exists()

    # Back to step 1 and on again: the open scan is not asked twice.
    group = group_step_move(group=group, actor=director, move="back", reason="Te vroeg")
    advance(group, director, "Toch informatie verzamelen")
    assert group.tasks.filter(task_type__code="groepsscan").count() == 1


def test_2a_not_problematic_cancels_the_group_scan(group, director):
    group = advance(group, director, "Informatie verzamelen")
    scan = open_tasks(group, "groepsscan").get()
    assert scan.organisation.kind == OrganisationKind.POLITIE
    assert group.participants.filter(organisation=scan.organisation).exists()

    group_step_move(
        group=group, actor=director, move="not_problematic", reason="Gewone hangjongeren"
    )
    scan.refresh_from_db()
    assert fresh(group).step == GroupStep.CLOSED
    assert scan.state == TaskState.CANCELLED
    assert scan.closing_reason.startswith("Groepsaanpak afgesloten")


# --- The plan of approach -------------------------------------------------------------------------


def test_plan_actions_wait_for_steps_3_to_6(group, director, halt):
    with pytest.raises(TransitionRefused, match="stap 3 tot en met 6"):
        add_action(group, director, halt)
    group = advance(group, director)
    with pytest.raises(TransitionRefused, match="stap 3 tot en met 6"):
        add_action(group, director, halt)
    assert not GroupPlanAction.objects.filter(group=group).exists()


def test_member_tracks_need_one_member_and_group_tracks_none(group, director, halt):
    group = run_to(group, director, GroupStep.INTERPRET, halt)
    for track in ("individu", "gezin"):
        with pytest.raises(ValidationFailed, match="over één groepslid") as refused:
            add_action(group, director, halt, track=track)
        assert "member" in refused.value.field_errors
    for track in ("groep", "domein"):
        with pytest.raises(ValidationFailed, match="over de hele groep") as refused:
            add_action(group, director, halt, track=track, who="Bram")
        assert "member" in refused.value.field_errors
    assert not GroupPlanAction.objects.filter(group=group).exists()

    personal = add_action(group, director, halt, track="individu", who="Bram")
    family = add_action(group, director, halt, track="gezin", who="Ayoub")
    whole = add_action(group, director, halt, track="domein")
    assert personal.member == member(group, "Bram") and family.member == member(group, "Ayoub")
    assert whole.member is None


def test_a_due_date_must_lie_ahead(group, director, halt):
    group = run_to(group, director, GroupStep.INTERPRET, halt)
    today = timezone.localdate()
    for due_on in (today - dt.timedelta(days=1), today):
        with pytest.raises(ValidationFailed, match="in de toekomst") as refused:
            add_action(group, director, halt, due_on=due_on)
        assert "due_on" in refused.value.field_errors
    assert not GroupPlanAction.objects.filter(group=group).exists()
    assert add_action(group, director, halt, due_on=today + dt.timedelta(days=1)).due_on


def test_an_action_due_on_the_day_the_plan_is_adopted_is_due_that_evening(
    group, director, youth_work
):
    import time_machine

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    group = run_to(group, director, GroupStep.PLAN, youth_work)
    action = add_action(group, director, youth_work, description="Brief", due_on=tomorrow)
    with time_machine.travel(
        dt.datetime.combine(tomorrow, dt.time(9), tzinfo=timezone.get_current_timezone()),
        tick=False,
    ):
        advance(group, director, "Plan vastgesteld")
    action.refresh_from_db()
    deadline = timezone.localtime(action.task.deadline)
    assert deadline.date() == tomorrow and deadline.time() == dt.time(23, 59, 59, 999999)


def test_actions_planned_in_3_to_5_start_as_tasks_when_the_plan_is_adopted(
    group, director, youth_work, youth_worker, halt, halt_worker
):
    due_on = timezone.localdate() + dt.timedelta(days=30)
    group = run_to(group, director, GroupStep.INTERPRET, halt)
    outreach = add_action(
        group,
        director,
        youth_work,
        description="Outreachend jongerenwerk op vrijdagavond",
        due_on=due_on,
    )
    group = fill_duiding(group, director)
    group = advance(group, director)  # step 4
    sport = add_action(
        group, director, youth_work, track="individu", who="Bram", description="Bram naar sport"
    )
    group = advance(group, director, priority="hoog")  # step 5
    visit = add_action(
        group, director, halt, track="gezin", who="Ayoub", description="Huisbezoek ouders"
    )
    assert all(a.task_id is None for a in GroupPlanAction.objects.filter(group=group))
    assert not group.tasks.filter(task_type__code="groepsactie").exists()
    assert not group.participants.filter(organisation__in=[youth_work, halt]).exists()
    assert not Notification.objects.filter(recipient__in=[youth_worker, halt_worker]).exists()

    advance(group, director, "Plan vastgesteld")
    for action in (outreach, sport, visit):
        action.refresh_from_db()
        task = action.task
        assert task is not None and task.state == TaskState.OPEN
        assert task.group == group and task.case is None
        assert task.organisation == action.organisation
        assert task.task_type.code == "groepsactie"
        assert action.description in task.instruction
    assert outreach.task.group_member is None
    assert sport.task.group_member == member(group, "Bram")
    assert visit.task.group_member == member(group, "Ayoub")
    deadline = timezone.localtime(outreach.task.deadline)
    assert deadline.date() == due_on
    assert deadline.time() == dt.time(23, 59, 59, 999999)
    assert sport.task.deadline > timezone.now()  # the task type's norm
    assert group.participants.get(organisation=youth_work).access == EXECUTING
    assert group.participants.get(organisation=halt).access == EXECUTING
    told = Notification.objects.filter(recipient=youth_worker, message__contains="Nieuwe taak")
    assert told.count() == 2
    assert all(group.name in n.message for n in told)
    assert Notification.objects.filter(recipient=halt_worker, message__contains=group.name).count()


def test_an_action_added_in_step_6_starts_at_once(group, director, police, youth_work):
    group = run_to(group, director, GroupStep.EXECUTE, police)
    action = add_action(group, director, youth_work, track="individu", who="Chayenne")
    assert action.task is not None and action.task.state == TaskState.OPEN
    assert action.task.group_member == member(group, "Chayenne")
    assert group.participants.get(organisation=youth_work).access == EXECUTING
    # A core partner that gets an action stays a core partner.
    add_action(group, director, police, track="domein")
    assert group.participants.get(organisation=police).access == CORE
    assert group_events(group, "group.plan_action_added").last().after["gestart"] is True


def test_a_started_action_cannot_be_removed_a_planned_one_can(group, director, halt):
    group = run_to(group, director, GroupStep.PLAN, halt)
    planned = add_action(group, director, halt, description="Overbodige actie")
    with pytest.raises(ValidationFailed, match="onderbouwing"):
        group_plan_action_remove(action=planned, actor=director, reason=" ")
    group_plan_action_remove(action=planned, actor=director, reason="Dubbel opgenomen")
    assert not GroupPlanAction.objects.filter(pk=planned.pk).exists()
    event = group_events(group, "group.plan_action_removed").get()
    assert event.reason == "Dubbel opgenomen"
    assert event.before["actie"] == "Overbodige actie"

    add_action(group, director, halt, description="Blijvende actie")
    group = advance(group, director, "Plan vastgesteld")
    started = GroupPlanAction.objects.get(group=group, description="Blijvende actie")
    with pytest.raises(TransitionRefused, match="loopt al als taak"):
        group_plan_action_remove(action=started, actor=director, reason="Toch niet")
    started.refresh_from_db()
    assert started.task.state == TaskState.OPEN


# --- Monitoring (step 6) --------------------------------------------------------------------------


def test_step_6_monitoring_repeats_until_the_group_moves_on(group, director, halt):
    group = run_to(group, director, GroupStep.PLAN, halt)
    group = group_interpretation_update(
        group=group, actor=director, expected_version=group.version, monitoring_weeks=2
    )
    add_action(group, director, halt)
    group = advance(group, director, "Plan vastgesteld")
    first = open_tasks(group, "groepsmonitoring").get()
    assert first.organisation == coordinating_organisation()
    assert first.organisation.kind == OrganisationKind.ZVH
    assert first.group_member is None
    days = (timezone.localtime(first.deadline).date() - timezone.localdate()).days
    assert 14 <= days <= 20  # two weeks, moved to a working day

    finish(first, director, "Acties lopen; groep kleiner geworden.")
    first.refresh_from_db()
    assert first.state == TaskState.DONE
    second = open_tasks(group, "groepsmonitoring").get()
    assert second.pk != first.pk

    advance(group, director, "Doelen bereikt")
    second.refresh_from_db()
    assert second.state == TaskState.CANCELLED
    assert not open_tasks(group, "groepsmonitoring").exists()


# --- Closing (step 7) -----------------------------------------------------------------------------


def test_closing_hands_over_the_named_tasks_and_cancels_the_rest(
    group, director, youth_work, youth_worker, halt
):
    group = run_to(group, director, GroupStep.PLAN, halt)
    outreach = add_action(group, director, youth_work, description="Jongerenwerk")
    visit = add_action(group, director, halt, track="gezin", who="Ayoub", description="Bezoek")
    group = advance(group, director, "Plan vastgesteld")
    outreach.refresh_from_db()
    visit.refresh_from_db()
    task_claim(task=outreach.task, actor=youth_worker)
    scan = group.tasks.get(task_type__code="groepsscan")
    group = advance(group, director, "Doelen grotendeels bereikt")

    group_step_move(
        group=group,
        actor=director,
        move="close",
        reason="Groep uiteengevallen",
        evaluation="Overlast afgenomen.",
        hand_over=[outreach.task.pk, scan.pk],
    )
    for task in (outreach.task, scan, visit.task):
        task.refresh_from_db()
    assert outreach.task.state == TaskState.CLAIMED
    assert scan.state == TaskState.OPEN
    for task in (outreach.task, scan):
        assert AuditEvent.objects.filter(action="task.handed_over", object_id=str(task.pk)).exists()
    assert visit.task.state == TaskState.CANCELLED
    assert visit.task.closing_reason.startswith("Groepsaanpak afgesloten")
    assert Notification.objects.filter(
        recipient=youth_worker, message__contains="loopt door (overgedragen)"
    ).exists()


def test_handing_over_a_task_of_another_group_is_refused(group, director, halt, police):
    group = run_to(group, director, GroupStep.CONCLUDE, halt)
    other = group_create(actor=director, name="Andere groep", kind="fixed")
    group_member_add(
        group=other,
        actor=director,
        role=GroupRole.objects.get(code="kern"),
        tier="red",
        reason="Genoemd",
        new_youth=factories.youth_data(age=17),
    )
    [foreign] = group_bulk_action(
        group=other,
        actor=director,
        tiers=["red"],
        task_type=TaskType.objects.get(code="overig"),
        organisation=police,
        instruction="Overlastbrief",
    )
    before = snapshot(group)
    with pytest.raises(ValidationFailed, match="Alleen openstaande taken van deze groep"):
        group_step_move(
            group=group,
            actor=director,
            move="close",
            reason="Afgerond",
            evaluation="Klaar.",
            hand_over=[foreign.pk],
        )
    assert snapshot(group) == before
    foreign.refresh_from_db()
    assert foreign.state == TaskState.OPEN


# --- Duiding --------------------------------------------------------------------------------------


def test_a_stale_duiding_form_conflicts_and_changes_nothing(group, director):
    stale = group.version
    group = advance(group, director)  # someone else moves the group on
    before = snapshot(group)
    with pytest.raises(ConflictError, match="intussen door iemand anders gewijzigd"):
        group_interpretation_update(
            group=group, actor=director, expected_version=stale, dynamics="Oude stand"
        )
    assert snapshot(group) == before
    assert fresh(group).dynamics == ""


def test_a_duiding_change_is_audited_with_before_and_after(group, director):
    version = group.version
    group = group_interpretation_update(
        group=group,
        actor=director,
        expected_version=version,
        dynamics="  Twee leiders, verder meelopers  ",
        problem_types=["overlast"],
    )
    stored = fresh(group)
    assert stored.dynamics == "Twee leiders, verder meelopers"
    assert stored.problem_types == ["overlast"]
    assert stored.version == version + 1
    event = group_events(group, "group.interpretation").get()
    assert event.before == {"dynamics": "", "problem_types": []}
    assert event.after == {
        "dynamics": "Twee leiders, verder meelopers",
        "problem_types": ["overlast"],
    }

    # Saving the same values again is no change: no new version, no event.
    group_interpretation_update(
        group=stored,
        actor=director,
        expected_version=stored.version,
        dynamics="Twee leiders, verder meelopers",
    )
    assert fresh(group).version == version + 1
    assert group_events(group, "group.interpretation").count() == 1


# --- Who takes part -------------------------------------------------------------------------------


def test_the_driehoek_takes_part_from_the_start_as_core_partners(director, police):
    group = group_create(actor=director, name="Driehoek-groep", kind="fixed")
    access = dict(group.participants.values_list("organisation__short_name", "access"))
    configured = Organisation.objects.filter(is_group_core_partner=True, is_active=True)
    assert set(access) == set(configured.values_list("short_name", flat=True))
    assert set(access.values()) == {CORE}
    # The reference data's team Veiligheid, police and OM, and the test police.
    for short_name in ("Gemeente", "Politie", "OM", police.short_name):
        assert access[short_name] == CORE, short_name
    assert "Team Jeugd" not in access  # a municipal team that is not in the driehoek
    assert not group.participants.filter(organisation__kind=OrganisationKind.ZVH).exists()
    assert group_events(group, "group.organisation_involved").count() == len(access)


def test_the_procesregisseur_sets_how_much_an_organisation_sees(
    group, director, youth_work, police, police_officer
):
    group_participant_set(group=group, actor=director, organisation=youth_work, access=EXECUTING)
    assert group.participants.get(organisation=youth_work).access == EXECUTING
    assert group_access(police_officer, group.pk).full

    group_participant_set(group=group, actor=director, organisation=police, access=EXECUTING)
    assert group.participants.get(organisation=police).access == EXECUTING
    assert not group_access(police_officer, group.pk).full
    event = group_events(group, "group.organisation_access").get()
    assert event.before == {"toegang": CORE}
    assert event.after["organisatie"] == police.name
    assert event.after["toegang"] == str(GroupParticipant.Access.EXECUTING.label)

    with pytest.raises(ValidationFailed, match="heeft deze toegang al"):
        group_participant_set(group=group, actor=director, organisation=police, access=EXECUTING)
    with pytest.raises(ValidationFailed, match="ziet alles al"):
        group_participant_set(
            group=group, actor=director, organisation=coordinating_organisation(), access=CORE
        )
    assert not group.participants.filter(organisation__kind=OrganisationKind.ZVH).exists()
    with pytest.raises(NotAllowed):
        group_participant_set(
            group=group, actor=police_officer, organisation=youth_work, access=CORE
        )
    assert group.participants.get(organisation=youth_work).access == EXECUTING


# --- Information about the group ------------------------------------------------------------------


def test_participating_partners_add_information_others_may_not(
    group, director, police, police_officer, halt_worker, steering_member
):
    note = group_note_add(
        group=group, actor=police_officer, kind="informatie", text="Groep verplaatst naar het park"
    )
    assert note.organisation == police and note.step == GroupStep.SIGNALS
    assert Notification.objects.filter(
        recipient=director, message__contains=f"Nieuwe informatie over groep {group.name}"
    ).exists()
    for outsider in (halt_worker, steering_member):
        with pytest.raises(NotAllowed, match="neemt niet deel"):
            group_note_add(group=group, actor=outsider, kind="informatie", text="x")
    assert group.notes.count() == 1

    group = advance(group, director)
    group_step_move(group=group, actor=director, move="not_problematic", reason="Klein")
    with pytest.raises(TransitionRefused, match="gesloten"):
        group_note_add(group=group, actor=police_officer, kind="informatie", text="x")
    assert group.notes.count() == 1


def test_a_partner_signal_about_an_unknown_group_starts_one_at_step_1(director, halt, halt_worker):
    group = group_signal_register(
        actor=halt_worker,
        text="Groep van tien jongeren intimideert voorbijgangers bij het station",
        name="Stationsgroep",
        hotspots="Stationsplein",
    )
    assert group.name == "Stationsgroep" and group.step == GroupStep.SIGNALS
    note = group.notes.get()
    assert note.kind == GroupNote.Kind.SIGNAL and note.organisation == halt
    assert "intimideert" in note.text
    assert group.participants.get(organisation=halt).access == EXECUTING
    assert group.participants.filter(access=CORE).exists()  # the driehoek too
    assert Notification.objects.filter(
        recipient=director, message__contains="Nieuwe informatie over groep Stationsgroep"
    ).exists()
    assert group in visible_groups(halt_worker)


def test_a_partner_signal_about_a_known_open_group_adds_to_it(group, halt, halt_worker):
    groups = Group.objects.count()
    joined = group_signal_register(
        actor=halt_worker, text="Weer overlast bij de ingang", name="  mosae forum (PLAN) "
    )
    assert joined == group
    assert Group.objects.count() == groups
    assert group.notes.get().text == "Weer overlast bij de ingang"
    # Naming a group is no way in: the signal is added, access stays need-to-know.
    assert not group.participants.filter(organisation=halt).exists()
    assert group not in visible_groups(halt_worker)


def test_a_partner_may_not_pick_a_group_it_does_not_take_part_in(group, halt_worker):
    with pytest.raises(NotAllowed, match="neemt niet deel"):
        group_signal_register(actor=halt_worker, text="Overlast", group=group)
    assert not group.notes.exists()


def test_a_signal_about_a_closed_group_starts_a_new_approach(group, director, halt_worker):
    group = advance(group, director)
    group_step_move(group=group, actor=director, move="not_problematic", reason="Klein")
    new = group_signal_register(actor=halt_worker, text="De groep is terug", name=group.name)
    assert new != group and new.step == GroupStep.SIGNALS
    assert new.name == f"{group.name} ({timezone.localdate():%Y})"
    assert not group.notes.exists()
    again = group_signal_register(
        actor=halt_worker, text="Nog steeds bij de roltrappen", name=group.name
    )
    assert again == new and new.notes.count() == 2


# --- Need-to-know ---------------------------------------------------------------------------------


@pytest.fixture
def running(group, director, police, police_officer, youth_work, youth_worker, halt, halt_worker):
    """Mosae Forum in step 6. Youth work (executing): a group-wide action and one about Bram;
    Halt (executing): a family action about Ayoub; police (core): a domain action. A note from
    each of police, youth work and Halt."""
    group = run_to(group, director, GroupStep.PLAN, halt)
    add_action(group, director, youth_work, description="Jongerenwerk vrijdagavond")
    add_action(group, director, youth_work, track="individu", who="Bram", description="Sport")
    add_action(group, director, halt, track="gezin", who="Ayoub", description="Huisbezoek")
    add_action(group, director, police, track="domein", description="Camera bij de hotspot")
    group = advance(group, director, "Plan vastgesteld")
    for user, text in (
        (police_officer, "Politie: aanhouding"),
        (youth_worker, "Jongerenwerk: goed contact"),
        (halt_worker, "Halt: afspraak gemaakt"),
    ):
        group_note_add(group=group, actor=user, kind="informatie", text=text)
    return group


def test_zvh_staff_and_core_partners_see_the_whole_group(running, director, police_officer):
    everything = set(running.tasks.values_list("pk", flat=True))
    for user, directs in ((director, True), (police_officer, False)):
        access = group_access(user, running.pk)
        assert access.full and access.directs is directs
        assert {m.youth.first_name for m in access.members()} == {"Ayoub", "Bram", "Chayenne"}
        assert set(access.tasks().values_list("pk", flat=True)) == everything
        assert access.plan_actions().count() == 4
        assert access.notes().count() == 3


def test_an_executing_partner_sees_only_its_own_part(running, youth_work, youth_worker):
    access = group_access(youth_worker, running.pk)
    assert not access.full and not access.directs
    assert [m.youth.first_name for m in access.members()] == ["Bram"]
    own = set(running.tasks.filter(organisation=youth_work).values_list("pk", flat=True))
    assert len(own) == 2
    assert set(access.tasks().values_list("pk", flat=True)) == own
    assert {a.description for a in access.plan_actions()} == {
        "Jongerenwerk vrijdagavond",
        "Sport",
        "Camera bij de hotspot",  # domain-wide: for every participant
    }
    assert [n.text for n in access.notes()] == ["Jongerenwerk: goed contact"]


def test_the_other_executing_partner_sees_its_own_member(running, halt_worker):
    access = group_access(halt_worker, running.pk)
    assert [m.youth.first_name for m in access.members()] == ["Ayoub"]
    assert {a.description for a in access.plan_actions()} == {
        "Jongerenwerk vrijdagavond",
        "Huisbezoek",
        "Camera bij de hotspot",
    }
    assert [n.text for n in access.notes()] == ["Halt: afspraak gemaakt"]


def test_outsiders_and_the_steering_group_get_nothing(
    running, director, police_officer, youth_worker, school_worker, steering_member
):
    for outsider in (school_worker, steering_member):
        with pytest.raises(Http404):
            group_access(outsider, running.pk)
    elsewhere = group_create(actor=director, name="Groep zonder jongerenwerk", kind="fixed")
    assert set(visible_groups(director)) >= {running, elsewhere}
    assert set(visible_groups(police_officer)) >= {running, elsewhere}  # core everywhere
    assert set(visible_groups(youth_worker)) == {running}
    assert not visible_groups(school_worker).exists()
    assert not visible_groups(steering_member).exists()
