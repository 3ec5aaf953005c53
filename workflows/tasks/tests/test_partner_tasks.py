# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partner tasks: assign, claim, complete, return, cancel, reassign, move the deadline."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import AuditEvent, CaseInvolvement
from notifications.models import Notification
from tests import factories
from workflows.tasks import services as services
from workflows.tasks.flows import PartnerTaskFlow
from workflows.tasks.models import TaskState, TaskType

pytestmark = pytest.mark.django_db
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def school_visit(case_awaiting, director, halt, halt_worker):
    return services.task_assign(
        case=case_awaiting,
        actor=director,
        task_type=TaskType.objects.get(code="schoolgesprek"),
        organisation=halt,
        instruction="Voer een schoolgesprek met de mentor en de jongere.",
    )


def flow_task(task):
    return FlowTask.objects.get(process_id=task.pk, flow_task=PartnerTaskFlow.work)


def test_assigning_starts_a_viewflow_task_for_the_organisation(school_visit, halt, halt_worker):
    assert school_visit.state == TaskState.OPEN
    work = flow_task(school_visit)
    assert work.status == STATUS.NEW
    assert work.owner_permission == "workflows.work_on_task"
    assert work.owner_permission_obj_pk == str(halt.pk)
    assert CaseInvolvement.objects.filter(
        case=school_visit.case, organisation=halt, reason="assignee"
    ).exists()
    assert Notification.objects.filter(recipient=halt_worker, url__contains=str(school_visit.pk))
    assert AuditEvent.objects.filter(action="task.assigned", object_id=str(school_visit.pk))


def test_the_default_deadline_is_the_norm_in_working_days(
    case_awaiting, director, halt, halt_worker
):
    # Thursday 23 April 2026 + 10 working days skips Koningsdag (Monday 27 April): 8 May.
    with time_machine_at(dt.datetime(2026, 4, 23, 10, 0, tzinfo=AMSTERDAM)):
        task = services.task_assign(
            case=case_awaiting,
            actor=director,
            organisation=halt,
            instruction="x",
            task_type=TaskType.objects.get(code="schoolgesprek"),
        )
    local = timezone.localtime(task.deadline)
    assert local.date() == dt.date(2026, 5, 8)
    assert (local.hour, local.minute) == (23, 59)


def time_machine_at(moment: dt.datetime):
    import time_machine

    return time_machine.travel(moment, tick=False)


def test_a_deadline_in_the_past_is_refused(case_awaiting, director, halt, halt_worker):
    with pytest.raises(ValidationFailed, match="verleden"):
        services.task_assign(
            case=case_awaiting,
            actor=director,
            organisation=halt,
            instruction="x",
            task_type=TaskType.objects.first(),
            deadline=timezone.now() - dt.timedelta(days=1),
        )


def test_partners_cannot_assign_work(case_awaiting, halt_worker, halt):
    with pytest.raises(NotAllowed):
        services.task_assign(
            case=case_awaiting,
            actor=halt_worker,
            organisation=halt,
            instruction="x",
            task_type=TaskType.objects.first(),
        )


def test_claim_then_complete_with_a_result(school_visit, halt_worker, director):
    task = services.task_claim(task=school_visit, actor=halt_worker)
    assert task.state == TaskState.CLAIMED and task.claimed_by == halt_worker
    assert flow_task(task).status == STATUS.ASSIGNED
    assert flow_task(task).owner == halt_worker

    with pytest.raises(ValidationFailed, match="resultaat"):
        services.task_complete(task=task, actor=halt_worker, result="  ")
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED

    task = services.task_complete(task=task, actor=halt_worker, result="Gesprek gevoerd.")
    assert task.state == TaskState.DONE
    assert flow_task(task).status == STATUS.DONE
    task.refresh_from_db()
    assert task.status == "DONE"  # the viewflow process ended too
    assert Notification.objects.filter(recipient=director, message__startswith="Taak afgerond")


def test_a_colleague_cannot_complete_someone_elses_claimed_task(school_visit, halt_worker, halt):
    colleague = factories.user("partner", halt)
    services.task_claim(task=school_visit, actor=halt_worker)
    with pytest.raises(NotAllowed, match="opgepakt door"):
        services.task_complete(task=school_visit, actor=colleague, result="Klaar")


def test_a_colleague_cannot_complete_or_return_a_claimed_task_on_the_page_either(
    client, school_visit, halt_worker, halt
):
    colleague = factories.user("partner", halt)
    services.task_claim(task=school_visit, actor=halt_worker)
    with pytest.raises(NotAllowed, match="opgepakt door"):
        services.task_return(task=school_visit, actor=colleague, reason="Niet voor mij")
    client.force_login(colleague)
    page = client.get(reverse("workflows:task-detail", args=[school_visit.pk])).content.decode()
    assert "Afronden" not in page and "Teruggeven" not in page
    version = factories.version(school_visit)
    url = reverse("workflows:task-action", args=[school_visit.pk, "afronden"])
    assert client.post(url, {"version": version, "result": "Klaar"}).status_code == 403
    school_visit.refresh_from_db()
    assert school_visit.state == TaskState.CLAIMED and school_visit.claimed_by == halt_worker


def test_another_organisation_cannot_claim(school_visit, police_officer):
    with pytest.raises(NotAllowed, match="andere organisatie"):
        services.task_claim(task=school_visit, actor=police_officer)


def test_return_with_reason_goes_back_to_the_director(school_visit, halt_worker, director):
    with pytest.raises(ValidationFailed):
        services.task_return(task=school_visit, actor=halt_worker, reason="")
    task = services.task_return(task=school_visit, actor=halt_worker, reason="Geen capaciteit.")
    assert task.state == TaskState.RETURNED
    assert flow_task(task).status == STATUS.CANCELED
    assert Notification.objects.filter(recipient=director, message__contains="teruggegeven")


def test_a_cancelled_task_cannot_be_completed(school_visit, halt_worker, director):
    services.task_claim(task=school_visit, actor=halt_worker)
    services.task_cancel(task=school_visit, actor=director, reason="Niet meer nodig.")
    with pytest.raises(TransitionRefused, match="Geannuleerd"):
        services.task_complete(task=school_visit, actor=halt_worker, result="x")


def test_reassigning_moves_the_work_and_records_it(school_visit, director, police, police_officer):
    task = services.task_reassign(
        task=school_visit, actor=director, organisation=police, reason="Politie heeft contact."
    )
    assert task.organisation == police
    assert flow_task(task).owner_permission_obj_pk == str(police.pk)
    services.task_claim(task=task, actor=police_officer)
    event = AuditEvent.objects.get(action="task.reassigned")
    assert event.before["organisatie"] != event.after["organisatie"]


def test_moving_the_deadline_needs_a_reason_and_resets_the_chasing(school_visit, director):
    new = timezone.now() + dt.timedelta(days=30)
    with pytest.raises(ValidationFailed):
        services.task_move_deadline(task=school_visit, actor=director, deadline=new, reason="")
    task = services.task_move_deadline(
        task=school_visit, actor=director, deadline=new, reason="Jongere is ziek."
    )
    assert task.deadline == new
    assert task.remind_at < new < task.regie_escalate_at


def test_stale_version_conflicts(school_visit, halt_worker):
    from casebook.errors import ConflictError

    stale = school_visit.version
    services.task_claim(task=school_visit, actor=halt_worker, expected_version=stale)
    with pytest.raises(ConflictError):
        services.task_return(
            task=school_visit, actor=halt_worker, reason="x", expected_version=stale
        )


# --- Pages -----------------------------------------------------------------------------------


def test_partner_inbox_and_task_page(client, school_visit, halt_worker, police_officer):
    client.force_login(halt_worker)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert "Schoolgesprek voeren" in inbox and school_visit.case.reference in inbox
    page = client.get(reverse("workflows:task-detail", args=[school_visit.pk])).content.decode()
    assert school_visit.case.youth.full_name in page and "Taak oppakken" in page
    # the partner sees the case's level, not the dossier
    case_page = client.get(reverse("casebook:case-detail", args=[school_visit.case.pk]))
    assert case_page.status_code == 200
    assert "Tijdlijn" not in case_page.content.decode()

    client.force_login(police_officer)
    assert client.get(reverse("workflows:task-detail", args=[school_visit.pk])).status_code == 404
    assert (
        school_visit.case.reference not in client.get(reverse("workflows:inbox")).content.decode()
    )


def test_partner_works_the_task_in_the_browser_forms(client, school_visit, halt_worker):
    client.force_login(halt_worker)
    url = lambda action: reverse("workflows:task-action", args=[school_visit.pk, action])  # noqa: E731
    assert client.post(url("oppakken"), {"version": 1}).status_code == 302
    response = client.post(url("afronden"), {"version": 2, "result": ""})
    assert response.status_code == 400
    assert "Beschrijf het resultaat" in response.content.decode()
    assert client.post(url("afronden"), {"version": 2, "result": "Gedaan"}).status_code == 302
    school_visit.refresh_from_db()
    assert school_visit.state == TaskState.DONE


def test_inbox_query_count_does_not_grow(client, case_awaiting, director, halt, halt_worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def assign(n):
        for i in range(n):
            services.task_assign(
                case=case_awaiting,
                actor=director,
                organisation=halt,
                instruction=f"taak {i}",
                task_type=TaskType.objects.get(code="informatie"),
            )

    client.force_login(halt_worker)
    assign(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workflows:inbox"))
    assign(10)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("workflows:inbox")).content.decode()
    # 10, the second factor's device (ADR 0014), and the processing log's two: the register's
    # versions and one INSERT (ADR 0017)
    assert len(many) == len(few) <= 13
    assert "12 taken" in page


def test_director_assigns_from_the_case_page(client, director, case_awaiting, halt, halt_worker):
    client.force_login(director)
    url = reverse("casebook:case-task-assign", args=[case_awaiting.pk])
    task_type = TaskType.objects.get(code="schoolgesprek")
    response = client.post(
        url,
        {
            "task_type": task_type.pk,
            "organisation": halt.pk,
            "instruction": "",
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()
    response = client.post(
        url,
        {
            "task_type": task_type.pk,
            "organisation": halt.pk,
            "instruction": "Gesprek op school",
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Schoolgesprek voeren" in page


def test_a_new_signal_makes_a_screening_task_due_in_five_working_days(case_awaiting, director):
    screening = case_awaiting.tasks.get(task_type__code="screening")
    assert screening.organisation == case_awaiting.coordinator_organisation
    assert screening.state == TaskState.OPEN
    opened = timezone.localtime(case_awaiting.opened_at).date()
    from workflows.tasks import calendar

    assert timezone.localtime(screening.deadline).date() == calendar.add_working_days(opened, 5)


def test_screening_the_case_completes_the_screening_task(case_awaiting, director):
    from workflows.ladder import services as ladder

    ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level="netwerkoverleg",
        reason="ok",
        criteria=factories.criteria_for("netwerkoverleg"),
    )
    screening = case_awaiting.tasks.get(task_type__code="screening")
    assert screening.state == TaskState.DONE
    assert "Netwerkoverleg" in screening.result
    assert flow_task(screening).status == STATUS.DONE


def test_closing_a_case_cancels_its_open_work_and_tells_the_assignees(
    school_visit, director, halt_worker
):
    from workflows.ladder import services as ladder

    case = school_visit.case
    ladder.case_screen_in(
        case=case,
        actor=director,
        target_level="netwerkoverleg",
        reason="ok",
        criteria=factories.criteria_for("netwerkoverleg"),
    )
    ladder.case_close(
        case=case, actor=director, closure_reason=factories.closure_reason(), reason="Verhuisd"
    )
    school_visit.refresh_from_db()
    assert school_visit.state == TaskState.CANCELLED
    assert "Casus afgesloten" in school_visit.closing_reason
    assert Notification.objects.filter(
        recipient=halt_worker, message__startswith="Taak geannuleerd"
    )


def test_an_unclaimed_task_must_be_claimed_before_completing(school_visit, halt_worker):
    with pytest.raises(TransitionRefused, match="Pak de taak eerst op"):
        services.task_complete(task=school_visit, actor=halt_worker, result="x")


# --- Plan of approach ------------------------------------------------------------------------


def test_plan_goal_and_intervention_become_a_provider_task(client, director, case_awaiting, halt):
    from casebook.models import Intervention

    intervention = Intervention.objects.create(
        name="Test-Halt-afdoening",
        provider=halt,
        min_age=12,
        max_age=17,
        default_duration_days=60,
    )
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-plan-goal", args=[case_awaiting.pk]),
        {
            "life_domain": "school_werk",
            "goal": "Weer elke dag naar school",
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 302
    goal = case_awaiting.goals.get()
    response = client.post(
        reverse("casebook:case-plan-intervention", args=[case_awaiting.pk]),
        {
            "intervention": intervention.pk,
            "goal": goal.pk,
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 302
    planned = case_awaiting.plan_interventions.get()
    assert planned.provider == halt
    assert planned.task.organisation == halt
    assert planned.task.task_type.code == "interventie"
    expected = timezone.localdate() + dt.timedelta(days=60)
    from workflows.tasks import calendar

    assert timezone.localtime(planned.task.deadline).date() == calendar.add_working_days(
        expected, 0
    )
    page = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk])).content.decode()
    assert "Weer elke dag naar school" in page and "Test-Halt-afdoening" in page


def test_an_intervention_outside_its_age_range_is_refused(client, director, halt):
    from casebook.models import Intervention

    intervention = Intervention.objects.create(
        name="Alleen voor jongvolwassenen", provider=halt, min_age=18, max_age=27
    )
    case = factories.signal(factories.user("partner", halt)).case  # a 16-year-old
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-plan-intervention", args=[case.pk]),
        {"intervention": intervention.pk, "version": factories.version(case)},
    )
    assert response.status_code == 400
    assert "is voor 18 tot en met 27 jaar" in response.content.decode()
    assert not case.plan_interventions.exists()


def test_partners_cannot_change_the_plan(client, halt_worker, case_awaiting):
    client.force_login(halt_worker)
    response = client.post(
        reverse("casebook:case-plan-goal", args=[case_awaiting.pk]),
        {"life_domain": "gezin", "goal": "x"},
    )
    assert response.status_code in (403, 404)
    assert not case_awaiting.goals.exists()


def test_work_overview_counts_and_lists_open_work_per_organisation(
    client, director, school_visit, halt
):
    client.force_login(director)
    page = client.get(reverse("workflows:overview")).content.decode()
    assert halt.name in page
    page = client.get(reverse("workflows:overview") + f"?organisatie={halt.pk}").content.decode()
    assert f"Open taken van {halt.name}" in page
    assert school_visit.case.reference in page
    assert client.get(reverse("workflows:overview") + "?organisatie=999999").status_code == 404


def test_partners_have_no_work_overview(client, halt_worker):
    client.force_login(halt_worker)
    assert client.get(reverse("workflows:overview")).status_code == 403


def test_the_task_types_default_organisation_is_used_when_none_is_chosen(
    client, director, case_awaiting, halt, halt_worker
):
    client.force_login(director)
    url = reverse("casebook:case-task-assign", args=[case_awaiting.pk])
    halt_type = TaskType.objects.get(code="schoolgesprek")  # default kind: halt
    response = client.post(
        url,
        {
            "task_type": halt_type.pk,
            "instruction": "Gesprek",
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 302
    assert case_awaiting.tasks.get(task_type=halt_type).organisation.kind == "halt"
    no_default = TaskType.objects.get(code="overig")
    response = client.post(
        url,
        {
            "task_type": no_default.pk,
            "instruction": "Iets",
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 400
    assert "geen standaardorganisatie" in response.content.decode()
