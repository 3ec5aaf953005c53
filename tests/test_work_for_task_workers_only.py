# SPDX-License-Identifier: AGPL-3.0-or-later
"""Work goes only to an organisation where someone may pick it up, on every path that starts
tasks. Work a person sends to an organisation whose accounts hold no task-working role (here:
only a stuurgroep member) is refused with a Dutch message naming the organisation, and nothing
changes; work IJAM starts on its own (the group scan a step brings) goes to the procesregie
with a note, and the procesregisseurs are told; the ZVH's own screening of a partner's signal
is never refused."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from casebook.errors import ValidationFailed
from casebook.models import (
    AuditEvent,
    Intervention,
    Organisation,
    OrganisationKind,
    PlanIntervention,
    Role,
)
from casebook.services.involvement import coordinating_organisation
from notifications.models import Notification
from tests import factories
from workflows.groups.services.plan import group_plan_action_add
from workflows.groups.services.steps import group_step_move
from workflows.groups.steps import GroupStep
from workflows.groups.tests.test_group_plan import add_action, run_to
from workflows.ladder import services as ladder
from workflows.ladder.level_flows import start_case_work
from workflows.meetings import services as meeting_services
from workflows.meetings.minutes import decision_add, minutes_draft
from workflows.meetings.models import Decision, Meeting, MeetingSeries
from workflows.tasks.models import PartnerTask, TaskType, TaskTypeCode

pytestmark = pytest.mark.django_db

NOBODY = "heeft in IJAM niemand met een rol waarmee taken worden opgepakt"


def unstaffed(kind: str, name: str) -> Organisation:
    """An organisation whose only account may not work tasks (a stuurgroep member)."""
    organisation = factories.organisation(kind, name)
    factories.user(Role.STEERING_GROUP, organisation)
    return organisation


@pytest.fixture
def housing(zvh):
    return unstaffed(OrganisationKind.WONINGCORPORATIE, "Woningcorporatie Zonder Mensen")


def on_level(case, director, level="netwerkoverleg"):
    return ladder.case_screen_in(
        case=case,
        actor=director,
        target_level=level,
        reason="in",
        criteria=factories.criteria_for(level),
    )


def group_at(director, step, name="Groep (bemensing)"):
    """A group approach moved forward (without gates' extras) to ``step``: 1 → 2 → 3."""
    group = factories.youth_group(director, name)
    while group.step != step:
        group = group_step_move(group=group, actor=director, move="advance", reason="ok")
    return group


def page(response) -> str:
    return html.unescape(response.content.decode())


# --- the engine ---------------------------------------------------------------------------------


def test_task_start_refuses_an_organisation_without_task_workers(director, case_awaiting, housing):
    """Whatever path calls the engine: the refusal names the organisation, nothing is written
    and the organisation does not become involved in the case."""
    audit = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match=f"Woningcorporatie Zonder Mensen {NOBODY}"):
        start_case_work(
            case=case_awaiting,
            actor=director,
            code=TaskTypeCode.INFORMATION,
            organisation=housing,
            instruction="Lever informatie aan.",
        )
    assert not PartnerTask.objects.filter(organisation=housing).exists()
    assert not case_awaiting.involvements.filter(organisation=housing).exists()
    assert AuditEvent.objects.count() == audit


def test_a_partners_signal_is_screened_even_before_the_zvh_has_accounts(police_officer, zvh):
    """The ZVH's own work is where unstaffed work ends up; a signal is never lost for it."""
    case = factories.signal(police_officer).case
    assert case.tasks.filter(task_type__code=TaskTypeCode.SCREENING, organisation=zvh).exists()


# --- the group approach -------------------------------------------------------------------------


def test_a_planned_group_action_for_an_unstaffed_organisation_is_refused_on_the_form(
    client, director, zvh, housing
):
    group = group_at(director, GroupStep.INTERPRET)
    client.force_login(director)
    version = factories.version(group)
    response = client.post(
        reverse("groups:action", args=[group.pk, "planactie"]),
        {
            "version": version,
            "track": "domein",
            "description": "Hangplek bij de flat opheffen",
            "task_type": TaskType.objects.get(code="groepsactie").pk,
            "organisation": housing.pk,
        },
    )
    assert response.status_code == 400
    assert f"Woningcorporatie Zonder Mensen {NOBODY}" in page(response)
    assert not group.plan_actions.exists()
    assert factories.version(group) == version


def test_a_group_action_added_in_step_6_for_an_unstaffed_organisation_starts_nothing(
    director, zvh, police, housing
):
    group = run_to(group_at(director, GroupStep.SIGNALS), director, GroupStep.EXECUTE, police)
    with pytest.raises(ValidationFailed, match=f"Woningcorporatie Zonder Mensen {NOBODY}"):
        group_plan_action_add(
            group=group,
            actor=director,
            track="domein",
            task_type=TaskType.objects.get(code="groepsactie"),
            organisation=housing,
            description="Hangplek opheffen",
        )
    assert not group.plan_actions.filter(organisation=housing).exists()
    assert not PartnerTask.objects.filter(organisation=housing).exists()


def test_adopting_a_plan_whose_organisation_lost_its_task_workers_is_refused_by_name(
    client, director, zvh, youth_work, youth_worker
):
    """The action was planned while jongerenwerk had a worker; she left before the plan was
    adopted: the adoption (5 → 6) names the action and the organisation, and nothing moves."""
    group = run_to(group_at(director, GroupStep.SIGNALS), director, GroupStep.PLAN, youth_work)
    add_action(group, director, youth_work)
    youth_worker.is_active = False
    youth_worker.save(update_fields=["is_active"])
    version = factories.version(group)
    client.force_login(director)
    response = client.post(
        reverse("groups:action", args=[group.pk, "stap"]),
        {"version": version, "move": "advance", "reason": "Plan vastgesteld"},
        follow=True,
    )
    assert f"Trajekt jongerenwerk {NOBODY}" in page(response)
    assert "Actie 'Actie (groep) voor Trajekt jongerenwerk'" in page(response)
    group.refresh_from_db()
    assert group.step == GroupStep.PLAN and group.version == version
    assert not PartnerTask.objects.filter(organisation=youth_work).exists()


def test_a_bulk_action_for_an_unstaffed_organisation_sets_out_no_task(
    client, director, zvh, housing
):
    group = group_at(director, GroupStep.INTERPRET)
    version = factories.version(group)
    client.force_login(director)
    response = client.post(
        reverse("groups:action", args=[group.pk, "bulkactie"]),
        {
            "tiers": ["red", "orange"],
            "task_type": TaskType.objects.get(code="groepsactie").pk,
            "organisation": housing.pk,
            "instruction": "Brief over de hangplek bij de flat",
            "version": version,
        },
        follow=True,
    )
    assert f"Woningcorporatie Zonder Mensen {NOBODY}" in page(response)
    assert "taken uitgezet" not in page(response)
    assert not PartnerTask.objects.filter(organisation=housing).exists()
    assert factories.version(group) == version


def test_the_group_scan_goes_to_the_procesregie_when_nobody_at_the_police_works_tasks(
    director, zvh
):
    """Nobody chose the police: the step is not refused; the scan waits at the ZVH, saying
    which police organisation to ask another way, and the procesregisseur is told."""
    police = Organisation.objects.get(kind=OrganisationKind.POLITIE)  # the reference data's
    assert not police.users.exists()
    group = group_at(director, GroupStep.ASSESS)
    scan = group.tasks.get(task_type__code=TaskTypeCode.GROUP_SCAN)
    assert scan.organisation == coordinating_organisation()
    assert f"{police.name} {NOBODY}" in scan.instruction
    assert not PartnerTask.objects.filter(organisation=police).exists()
    event = AuditEvent.objects.get(action="task.assigned", object_id=str(scan.pk))
    assert event.after["bedoeld_voor"] == police.name
    told = Notification.objects.get(recipient=director, url__endswith=f"/taken/{scan.pk}/")
    assert police.name in told.message


def test_the_group_scan_goes_to_a_police_organisation_with_task_workers(
    director, zvh, police, police_officer
):
    group = group_at(director, GroupStep.ASSESS)
    scan = group.tasks.get(task_type__code=TaskTypeCode.GROUP_SCAN)
    assert scan.organisation == police
    assert NOBODY not in scan.instruction
    assert police_officer.notifications.filter(url__endswith=f"/taken/{scan.pk}/").exists()


# --- the ladder ---------------------------------------------------------------------------------


def test_an_intervention_whose_provider_has_no_task_workers_is_refused_on_the_form(
    client, director, case_awaiting, housing
):
    intervention = Intervention.objects.create(
        name="Woonbegeleiding (test)",
        provider=housing,
        min_age=12,
        max_age=23,
        default_duration_days=60,
    )
    version = factories.version(case_awaiting)
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-plan-intervention", args=[case_awaiting.pk]),
        {"intervention": intervention.pk, "version": version},
    )
    assert response.status_code == 400
    assert f"Woningcorporatie Zonder Mensen {NOBODY}" in page(response)
    assert not PlanIntervention.objects.filter(case=case_awaiting).exists()
    assert not PartnerTask.objects.filter(organisation=housing).exists()
    assert factories.version(case_awaiting) == version


def test_the_rio_track_without_anyone_at_the_rio_is_refused_by_name(
    client, director, case_awaiting
):
    rio = Organisation.objects.get(kind=OrganisationKind.RIO)  # the reference data's, no users
    case = on_level(case_awaiting, director, "pga")
    version = factories.version(case)
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-rio-track", args=[case.pk]),
        {
            "release_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "version": version,
        },
    )
    assert response.status_code == 400
    assert f"{rio.name} {NOBODY}" in page(response)
    assert not PartnerTask.objects.filter(organisation=rio).exists()
    assert factories.version(case) == version


def test_the_rio_track_goes_to_a_rio_with_task_workers(director, case_awaiting):
    from workflows.ladder.rio import rio_track_start

    staffed = factories.staffed_organisation(OrganisationKind.RIO, "Zuid RIO (bemenst)")
    case = on_level(case_awaiting, director, "pga")
    tasks = rio_track_start(
        case=case, actor=director, release_on=timezone.localdate() + dt.timedelta(days=30)
    )
    assert {task.organisation for task in tasks} == {staffed}


def test_the_intake_asks_no_information_of_an_unstaffed_organisation(
    client, director, case_awaiting, police, housing
):
    """The level flow's follow-up work: a refused information request leaves the intake open
    and plans no discussion; the organisations that were fine get nothing either."""
    case = on_level(case_awaiting, director)
    intake = case.tasks.get(task_type__code=TaskTypeCode.INTAKE)
    client.force_login(director)
    response = client.post(
        reverse("workflows:task-action", args=[intake.pk, "intake"]),
        {
            "version": intake.version,
            "deadline": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "organisations": [police.pk, housing.pk],
        },
    )
    assert response.status_code == 400
    assert f"Woningcorporatie Zonder Mensen {NOBODY}" in page(response)
    intake.refresh_from_db()
    assert intake.state == "open"
    assert not case.tasks.filter(task_type__code=TaskTypeCode.INFORMATION).exists()
    assert not case.tasks.filter(task_type__code=TaskTypeCode.DISCUSSION).exists()


# --- the case tables ----------------------------------------------------------------------------


@pytest.fixture
def draft_item(director, support, police_officer):
    series = MeetingSeries.objects.create(
        name="Netwerkoverleg (bemensing)",
        level="netwerkoverleg",
        first_date=timezone.localdate(),
        every_weeks=2,
    )
    meeting_services.sittings_generate(
        series=series, until=timezone.localdate() + dt.timedelta(weeks=4)
    )
    sitting = Meeting.objects.filter(series=series).order_by("starts_at").first()
    case = on_level(factories.signal(police_officer).case, director)
    meeting_services.agenda_add(meeting=sitting, actor=director, case=case)
    return minutes_draft(meeting=sitting, actor=support).items.get(case=case)


def test_a_task_decision_for_an_unstaffed_organisation_is_refused_when_recorded(
    client, support, draft_item, housing
):
    client.force_login(support)
    response = client.post(
        reverse("meetings:minutes-item", args=[draft_item.pk, "besluit"]),
        {
            "kind": "task",
            "reason": "Huisbezoek",
            "task_type": TaskType.objects.get(code="overig").pk,
            "organisation": housing.pk,
            "version": factories.version(draft_item),
        },
    )
    assert response.status_code == 400
    assert f"Woningcorporatie Zonder Mensen {NOBODY}" in page(response)
    assert not Decision.objects.filter(item=draft_item).exists()


def test_confirming_a_task_for_an_organisation_that_lost_its_workers_changes_nothing(
    client, director, support, draft_item, halt, halt_worker
):
    decision_add(
        item=draft_item,
        actor=support,
        kind="task",
        reason="Halt-gesprek",
        task_type=TaskType.objects.get(code="overig"),
        organisation=halt,
    )
    halt_worker.is_active = False
    halt_worker.save(update_fields=["is_active"])
    minutes = draft_item.minutes
    client.force_login(director)
    response = client.post(
        reverse("meetings:minutes-action", args=[minutes.meeting_id, "vaststellen"]),
        {"version": factories.version(minutes)},
        follow=True,
    )
    assert f"Halt Limburg {NOBODY}" in page(response)
    minutes.refresh_from_db()
    assert minutes.confirmed_at is None
    assert not PartnerTask.objects.filter(organisation=halt).exists()
