# SPDX-License-Identifier: AGPL-3.0-or-later
"""One way in: every task starts through ``task_start`` with the same checks, involvement and
audit, whatever its subject (a case, a group, one group member) and whoever asks for it; and
every kind of task can be given to another organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from casebook.errors import ValidationFailed
from casebook.models import AuditEvent, CaseInvolvement, GroupParticipant, OrganisationKind
from notifications.models import Notification
from tests import factories
from workflows.groups.services.bulk import group_bulk_action
from workflows.groups.services.plan import group_plan_action_add
from workflows.groups.services.steps import group_step_move
from workflows.ladder import services as ladder
from workflows.ladder.machine import NETWERKOVERLEG
from workflows.tasks import services
from workflows.tasks.models import PartnerTask, TaskState, TaskType, TaskTypeCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(director):
    return factories.youth_group(director, "Starttaken")


def _case_task(director, police_officer, halt):
    case = factories.signal(police_officer).case
    return services.task_assign(
        case=case,
        actor=director,
        task_type=TaskType.objects.get(code="schoolgesprek"),
        organisation=halt,
        instruction="Schoolgesprek",
    )


def _level_flow_task(director, police_officer, halt):
    case = ladder.case_screen_in(
        case=factories.signal(police_officer).case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    return case.tasks.get(task_type__code=TaskTypeCode.EVALUATION)


def _group_task(director, group):
    group_step_move(group=group, actor=director, move="advance", reason="Informatie verzamelen")
    return group.tasks.get(task_type__code=TaskTypeCode.GROUP_SCAN)  # for the police


def _member_task(director, group, halt):
    (task,) = group_bulk_action(
        group=group,
        actor=director,
        tiers=["red"],
        task_type=TaskType.objects.get(code="overig"),
        organisation=halt,
        instruction="Overlastbrief",
    )
    return task


KINDS = {
    "case": lambda d, p, h, g: _case_task(d, p, h),
    "level flow (system)": lambda d, p, h, g: _level_flow_task(d, p, h),
    "group": lambda d, p, h, g: _group_task(d, g),
    "group member": lambda d, p, h, g: _member_task(d, g, h),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_task_can_be_given_to_another_organisation(
    kind, director, police_officer, halt, halt_worker, group, zvh
):
    task = KINDS[kind](director, police_officer, halt, group)
    youth_work = factories.organisation(OrganisationKind.JONGERENWERK, f"Jongerenwerk {kind}")
    worker = factories.user("partner", youth_work)
    task = services.task_reassign(
        task=task,
        actor=director,
        organisation=youth_work,
        reason="Het jongerenwerk kent de jongere",
        expected_version=task.version,
    )
    task.refresh_from_db()
    assert task.organisation == youth_work and task.state == TaskState.OPEN
    flow = FlowTask.objects.get(process_id=task.pk, status=STATUS.NEW)
    assert flow.owner_permission_obj_pk == str(youth_work.pk)
    if task.case_id:
        assert CaseInvolvement.objects.filter(case=task.case, organisation=youth_work).exists()
    else:
        assert GroupParticipant.objects.filter(group=task.group, organisation=youth_work).exists()
    assert AuditEvent.objects.filter(action="task.reassigned", object_id=str(task.pk)).exists()
    assert Notification.objects.filter(recipient=worker, message__startswith="Nieuwe taak")


def test_a_group_task_is_given_to_another_organisation_through_its_page(
    client, director, group, halt, halt_worker, zvh
):
    task = _group_task(director, group)
    client.force_login(director)
    response = client.post(
        reverse("workflows:task-action", args=[task.pk, "doorzetten"]),
        {"organisation": halt.pk, "reason": "Halt doet de scan", "version": task.version},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.organisation == halt


def _inactive(code: str) -> TaskType:
    task_type = TaskType.objects.get(code=code)
    TaskType.objects.filter(pk=task_type.pk).update(is_active=False)
    task_type.refresh_from_db()
    return task_type


def test_every_way_in_refuses_a_task_type_no_longer_in_use(
    director, police_officer, halt, halt_worker, group, zvh
):
    retired = _inactive("overig")
    case = factories.signal(police_officer).case
    before = PartnerTask.objects.count()
    attempts = {
        "ad hoc, on a case": lambda: services.task_assign(
            case=case, actor=director, task_type=retired, organisation=halt, instruction="x"
        ),
        "a bulk action, per member": lambda: group_bulk_action(
            group=group,
            actor=director,
            tiers=["red"],
            task_type=retired,
            organisation=halt,
            instruction="Overlastbrief",
        ),
        "the group's plan, in step 6": lambda: group_plan_action_add(
            group=group,
            actor=director,
            track="groep",
            task_type=retired,
            organisation=halt,
            description="Cameratoezicht",
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ValidationFailed, match="niet meer in gebruik"):
            attempt()
        assert PartnerTask.objects.count() == before, name


def test_every_way_in_refuses_an_organisation_no_longer_in_use(director, halt, group, zvh):
    halt.is_active = False
    halt.save(update_fields=["is_active"])
    with pytest.raises(ValidationFailed, match="niet meer in gebruik"):
        group_bulk_action(
            group=group,
            actor=director,
            tiers=["red"],
            task_type=TaskType.objects.get(code="overig"),
            organisation=halt,
            instruction="Overlastbrief",
        )
    assert not PartnerTask.objects.filter(group=group).exists()


def test_work_for_an_organisation_where_nobody_works_tasks_is_refused_by_name(
    client, director, police_officer, zvh
):
    """Assigning or passing on work to an organisation whose only accounts cannot pick up
    tasks (a stuurgroep member) is refused with a message naming it; nothing is written."""
    municipality = factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht")
    factories.user("steering_group", municipality)
    case = factories.signal(police_officer).case
    before = PartnerTask.objects.count()
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-task-assign", args=[case.pk]),
        {
            "task_type": TaskType.objects.get(code="overig").pk,
            "organisation": municipality.pk,
            "instruction": "Informatie uit het sociaal domein",
            "version": factories.version(case),
        },
    )
    assert response.status_code == 400
    assert "Gemeente Maastricht heeft in IJAM niemand" in response.content.decode()
    assert PartnerTask.objects.count() == before
    task = services.task_assign(
        case=case,
        actor=director,
        task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
        organisation=police_officer.organisation,
        instruction="Lever informatie aan.",
    )
    with pytest.raises(ValidationFailed, match="Gemeente Maastricht heeft in IJAM niemand"):
        services.task_reassign(
            task=task, actor=director, organisation=municipality, reason="Hoort bij de gemeente"
        )
