# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partner tasks: assigning work to an organisation with a deadline, and its lifecycle.

Every function is one transaction that locks the task row, checks the move on the task's state
machine (``PartnerTask.state``), moves the viewflow task of the ``work`` node along, writes the
audit event and queues the notifications. Bad input raises an ``IjamError`` with a Dutch
message and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import Case, CaseInvolvement, Organisation, Role, User
from casebook.services.audit import audit_record
from casebook.services.involvement import coordinating_organisation, involve, process_directors
from notifications.services import notify
from workflows import calendar
from workflows.flows import WORK_PERMISSION, PartnerTaskFlow
from workflows.ladder import CLOSED
from workflows.models import OPEN_TASK_STATES, PartnerTask, TaskState, TaskType

ASSIGN_PERMISSION = "workflows.assign_task"


def _snapshot(task: PartnerTask) -> dict:
    return {
        "status": task.state,
        "organisatie": task.organisation.name,
        "toegewezen_aan": str(task.assignee) if task.assignee_id else None,
        "deadline": task.deadline,
    }


def _audit(task: PartnerTask, actor, action: str, *, before=None, reason="", extra=None) -> None:
    """One audit event about a task: its state before and after (and what else changed)."""
    audit_record(
        actor=actor,
        action=action,
        obj=task,
        case=task.case,
        youth=task.subject_youth,
        reason=reason,
        before=before,
        after=_snapshot(task) | (extra or {}),
    )


def _directors(task: PartnerTask) -> list[User]:
    """The procesregisseurs who follow the task: of the case's coordinator, or of the ZVH."""
    if task.case_id:
        return process_directors(task.case.coordinator_organisation)
    return process_directors(coordinating_organisation())


def _task_url(task: PartnerTask) -> str:
    return reverse("workflows:task-detail", args=[task.pk])


def _organisation_workers(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            organisation=organisation, is_active=True, roles__code__in=[Role.PARTNER]
        ).distinct()
    ) or list(User.objects.filter(organisation=organisation, is_active=True))


def notify_organisation(organisation: Organisation, message: str, url: str) -> None:
    """Tell an organisation's partner workers (all its users when it has none)."""
    notify(recipients=_organisation_workers(organisation), message=message, url=url)


def task_hand_over(*, task: PartnerTask, actor: User, reason: str, note: str) -> None:
    """The work goes on although what started it ended (a closed group approach): recorded on
    the task and its organisation told. Runs inside the caller's transaction."""
    _audit(task, actor, "task.handed_over", reason=reason)
    notify_organisation(task.organisation, note, _task_url(task))


def _flow_task(task: PartnerTask) -> FlowTask:
    return FlowTask.objects.get(process_id=task.pk, flow_task=PartnerTaskFlow.work)


def _lock(task: PartnerTask, expected_version: int | None = None) -> PartnerTask:
    locked = (
        PartnerTask.objects.select_for_update(of=("self",))
        .select_related(
            "case",
            "case__youth",
            "group_member__youth",
            "group",
            "organisation",
            "task_type",
            "claimed_by",
        )
        .get(pk=task.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            "Deze taak is intussen door iemand anders gewijzigd. Bekijk de nieuwe stand."
        )
    return locked


def _save(task: PartnerTask, *fields: str) -> None:
    task.version += 1
    task.save(update_fields=["state", "version", *fields])


def default_deadline(task_type: TaskType, start: dt.datetime | None = None) -> dt.datetime:
    """The task type's norm applied from ``start`` (default now): working or calendar days."""
    return calendar.deadline_for(
        start=start or timezone.now(), amount=task_type.norm_amount, unit=task_type.norm_unit
    )


def chase_moments(task_type: TaskType, deadline: dt.datetime) -> dict[str, dt.datetime]:
    """When to remind the assignee and when to escalate to the regiegroep, computed once.

    Reminders go out at the start (08:00) of the working day N working days before the
    deadline; the regiegroep escalation at the end of the N-th working day after it.
    """
    zone = timezone.get_current_timezone()
    remind_day = calendar.reminder_date(deadline, task_type.reminder_working_days)
    escalate_day = calendar.add_working_days(
        timezone.localtime(deadline).date(), task_type.regie_escalation_working_days
    )
    return {
        "remind_at": dt.datetime.combine(remind_day, dt.time(8), tzinfo=zone),
        "regie_escalate_at": dt.datetime.combine(
            escalate_day, dt.time(23, 59, 59, 999999), tzinfo=zone
        ),
    }


def task_assign(
    *,
    case: Case,
    actor: User,
    task_type: TaskType,
    organisation: Organisation,
    instruction: str,
    deadline: dt.datetime | None = None,
    assignee: User | None = None,
    level_flow: str = "",
) -> PartnerTask:
    """Give an organisation (and optionally one of its people) work on a case.

    The deadline is the task type's norm unless given; it may not lie in the past. The
    organisation becomes involved in the case, so its users can open the task. Starts the
    viewflow process whose ``work`` task the organisation's users may claim.
    """
    if not actor.has_perm(ASSIGN_PERMISSION):
        raise NotAllowed("Alleen de procesregisseur wijst taken toe.")
    instruction = instruction.strip()
    if not instruction:
        raise ValidationFailed(
            "Beschrijf de opdracht.", field_errors={"instruction": ["Beschrijf de opdracht."]}
        )
    if not task_type.is_active or not organisation.is_active:
        raise ValidationFailed("Deze taaksoort of organisatie is niet meer in gebruik.")
    if assignee is not None and assignee.organisation_id != organisation.pk:
        message = f"{assignee} werkt niet bij {organisation.name}."
        raise ValidationFailed(message, field_errors={"assignee": [message]})
    now = timezone.now()
    deadline = deadline or default_deadline(task_type, now)
    if deadline <= now:
        message = "De deadline ligt in het verleden."
        raise ValidationFailed(message, field_errors={"deadline": [message]})
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("youth").get(pk=case.pk)
        if case.level == CLOSED:
            raise TransitionRefused("Aan een afgesloten casus kunnen geen taken worden toegewezen.")
        task = PartnerTaskFlow.start.run(
            case=case,
            task_type=task_type,
            organisation=organisation,
            assignee=assignee,
            instruction=instruction,
            deadline=deadline,
            created_by=actor,
            level_flow=level_flow,
            **chase_moments(task_type, deadline),
        )
        involve(
            case=case,
            organisation=organisation,
            reason=CaseInvolvement.Reason.ASSIGNEE,
            actor=actor,
        )
        _audit(
            task,
            actor,
            "task.assigned",
            extra={"taaksoort": task_type.name, "opdracht": instruction},
        )
        notify(
            recipients=[assignee] if assignee else _organisation_workers(organisation),
            message=f"Nieuwe taak: {task_type.name} ({case.reference}), uiterlijk "
            f"{timezone.localtime(deadline):%d-%m-%Y}",
            url=_task_url(task),
        )
    return task


SCREENING = "screening"


def task_assign_for_group(
    *,
    group,
    actor: User,
    task_type: TaskType,
    organisation: Organisation,
    instruction: str,
    member=None,
    deadline: dt.datetime | None = None,
) -> PartnerTask:
    """Work in a group approach: about the group as a whole, or about one of its members (a
    plan action or one task of a bulk action); no case is needed. The organisation takes part
    in the group approach from then on. Runs inside the caller's transaction, audited; the
    caller notifies (once for a whole bulk action)."""
    from workflows.services.groups import participate

    deadline = deadline or default_deadline(task_type)
    task = PartnerTaskFlow.start.run(
        case=None,
        group=group,
        group_member=member,
        task_type=task_type,
        organisation=organisation,
        instruction=instruction,
        deadline=deadline,
        created_by=actor,
        **chase_moments(task_type, deadline),
    )
    participate(group=group, organisation=organisation, actor=actor)
    _audit(
        task,
        actor,
        "task.assigned",
        extra={"taaksoort": task_type.name, "opdracht": instruction, "groep": group.name},
    )
    return task


def start_system_task(
    *,
    case: Case,
    actor: User,
    code: str,
    instruction: str,
    organisation: Organisation | None = None,
    deadline: dt.datetime | None = None,
    level_flow: str = "",
) -> PartnerTask:
    """Work that IJAM itself creates (screening, a level's intake and evaluations, the RIO
    track), by default for the coordinating organisation. Runs inside the caller's
    transaction; audited, and the organisation becomes involved."""
    task_type = TaskType.objects.get(code=code)
    organisation = organisation or case.coordinator_organisation
    deadline = deadline or default_deadline(task_type)
    task = PartnerTaskFlow.start.run(
        case=case,
        task_type=task_type,
        organisation=organisation,
        instruction=instruction,
        deadline=deadline,
        created_by=actor,
        level_flow=level_flow,
        **chase_moments(task_type, deadline),
    )
    involve(
        case=case, organisation=organisation, reason=CaseInvolvement.Reason.ASSIGNEE, actor=actor
    )
    _audit(
        task, actor, "task.assigned", extra={"taaksoort": task_type.name, "opdracht": instruction}
    )
    if organisation != case.coordinator_organisation:
        notify(
            recipients=_organisation_workers(organisation),
            message=f"Nieuwe taak: {task_type.name} ({case.reference})",
            url=_task_url(task),
        )
    return task


def task_open_screening(*, case: Case, actor: User) -> PartnerTask:
    """A new case awaits screening: that is a task for the coordinating organisation (ZVH),
    due by its norm (5 working days, the ZVH intake practice). Runs inside the intake."""
    return start_system_task(
        case=case,
        actor=actor,
        code=SCREENING,
        instruction="Screen het signaal en besluit over instroom op de IJAM-ladder.",
    )


def tasks_settle_for_case(*, case: Case, actor: User, screened: bool, reason: str) -> int:
    """Close a case's open work when the case moves on.

    After screening (``screened``): the screening task is done, with ``reason`` as result.
    On closure: every open task is cancelled with ``reason`` and its assignees are told.
    Runs inside the ladder transition's transaction. Returns how many tasks it closed."""
    open_tasks = PartnerTask.objects.select_for_update(of=("self",)).filter(
        case=case, state__in=OPEN_TASK_STATES
    )
    if screened:
        open_tasks = open_tasks.filter(task_type__code=SCREENING)
    count = 0
    for task in open_tasks.select_related("task_type", "organisation", "case", "case__youth"):
        if screened:
            _complete_by_system(task, actor, reason)
        else:
            task_cancel(task=task, actor=None, reason=reason)
        count += 1
    return count


def tasks_settle_discussion(*, case: Case, actor: User, result: str) -> int:
    """A sitting discussed the case: the level flow's open discussion task is done, with the
    sitting and its summary as result. Runs inside the minutes' confirmation."""
    tasks = PartnerTask.objects.select_for_update(of=("self",)).filter(
        case=case, task_type__code=DISCUSSION, state__in=OPEN_TASK_STATES
    )
    count = 0
    for task in tasks.select_related("task_type", "organisation", "case", "case__youth"):
        _complete_by_system(task, actor, result)
        count += 1
    return count


DISCUSSION = "bespreking"


def _complete_by_system(task: PartnerTask, actor: User, result: str) -> None:
    before = _snapshot(task)
    task.complete_by_system()
    task.result = result
    task.closed_at = timezone.now()
    _save(task, "result", "closed_at")
    _finish_flow_task(task, STATUS.DONE)
    _audit(task, actor, "task.completed", before=before, extra={"resultaat": result})


def _require_worker(task: PartnerTask, actor: User) -> None:
    if not actor.has_perm(WORK_PERMISSION, task.organisation):
        raise NotAllowed("Deze taak is voor een andere organisatie.")


def _move(task: PartnerTask, method_name: str, label: str) -> None:
    method = getattr(task, method_name)
    if not can_proceed(method):
        raise TransitionRefused(
            f"{label} kan niet: de taak heeft de status '{task.get_state_display()}'."
        )
    method()


def task_claim(*, task: PartnerTask, actor: User, expected_version: int | None = None):
    """A user of the organisation takes the task on; colleagues see who has it."""
    with transaction.atomic():
        task = _lock(task, expected_version)
        _require_worker(task, actor)
        before = _snapshot(task)
        _move(task, "claim", "Oppakken")
        task.claimed_by = actor
        _save(task, "claimed_by")
        with _flow_task(task).activation() as activation:
            activation.assign(actor)
        _audit(task, actor, "task.claimed", before=before, extra={"opgepakt_door": str(actor)})
    return task


def task_complete(
    *, task: PartnerTask, actor: User, result: str, expected_version: int | None = None
):
    """The claimer finishes the task with a written result (required per task type)."""
    result = result.strip()
    with transaction.atomic():
        task = _lock(task, expected_version)
        _require_worker(task, actor)
        if task.state == TaskState.OPEN:
            raise TransitionRefused("Pak de taak eerst op; daarna kunt u haar afronden.")
        if task.state == TaskState.CLAIMED and task.claimed_by_id != actor.pk:
            raise NotAllowed(
                f"Deze taak is opgepakt door {task.claimed_by}; alleen die kan haar afronden."
            )
        if task.task_type.result_required and not result:
            message = "Beschrijf het resultaat; dat is voor deze taaksoort verplicht."
            raise ValidationFailed(message, field_errors={"result": [message]})
        before = _snapshot(task)
        _move(task, "complete", "Afronden")
        task.result = result
        task.closed_at = timezone.now()
        _save(task, "result", "closed_at")
        with _flow_task(task).activation() as activation:
            activation.start(None)
            activation.execute()
        _audit(task, actor, "task.completed", before=before, extra={"resultaat": result})
        if task.task_type.code == "evaluatie":
            from workflows.services.level_flows import schedule_next_evaluation

            schedule_next_evaluation(task=task, actor=actor)
        elif task.task_type.code == "groepsmonitoring":
            from workflows.services.groups import schedule_next_monitoring

            schedule_next_monitoring(task=task, actor=actor)
        notify(
            recipients=_directors(task),
            message=f"Taak afgerond: {task.task_type.name} ({task.subject_label})",
            url=_task_url(task),
        )
    return task


def _require_reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(message, field_errors={"reason": [message]})
    return reason


def _end_with_reason(
    task: PartnerTask, actor: User | None, *, move: str, label: str, action: str, reason: str
) -> None:
    """Close a locked task without a result (given back or cancelled): state, reason, the
    viewflow task, and the audit event."""
    before = _snapshot(task)
    _move(task, move, label)
    task.closing_reason = reason
    task.closed_at = timezone.now()
    _save(task, "closing_reason", "closed_at")
    _finish_flow_task(task, STATUS.CANCELED)
    _audit(task, actor, action, before=before, reason=reason)


def task_return(
    *, task: PartnerTask, actor: User, reason: str, expected_version: int | None = None
):
    """The organisation gives the task back, with a reason; the procesregisseur decides next."""
    reason = _require_reason(reason, "Geef aan waarom u de taak teruggeeft.")
    with transaction.atomic():
        task = _lock(task, expected_version)
        _require_worker(task, actor)
        if task.state == TaskState.CLAIMED and task.claimed_by_id != actor.pk:
            raise NotAllowed(f"Deze taak is opgepakt door {task.claimed_by}.")
        _end_with_reason(
            task, actor, move="give_back", label="Teruggeven", action="task.returned", reason=reason
        )
        notify(
            recipients=_directors(task),
            message=f"Taak teruggegeven door {task.organisation.short_name}: "
            f"{task.task_type.name} ({task.subject_label})",
            url=_task_url(task),
        )
    return task


def task_cancel(
    *, task: PartnerTask, actor: User | None, reason: str, expected_version: int | None = None
):
    """The procesregisseur withdraws the task (``actor=None``: the system, e.g. case moved)."""
    if actor is not None and not actor.has_perm(ASSIGN_PERMISSION):
        raise NotAllowed("Alleen de procesregisseur annuleert taken.")
    reason = _require_reason(reason, "Geef een reden voor het annuleren.")
    with transaction.atomic():
        task = _lock(task, expected_version)
        _end_with_reason(
            task, actor, move="cancel", label="Annuleren", action="task.cancelled", reason=reason
        )
        notify(
            recipients=[task.claimed_by]
            if task.claimed_by_id
            else _organisation_workers(task.organisation),
            message=f"Taak geannuleerd: {task.task_type.name} ({task.subject_label})",
            url=_task_url(task),
        )
    return task


def _finish_flow_task(task: PartnerTask, status: str) -> None:
    """End the viewflow task and process when the task ends without a human execution (given
    back, cancelled, or settled by the system): viewflow's own transitions need a user."""
    now = timezone.now()
    FlowTask.objects.filter(process_id=task.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]).update(
        status=status, finished=now
    )
    PartnerTask.objects.filter(pk=task.pk).update(status=status, finished=now)


def task_reassign(
    *,
    task: PartnerTask,
    actor: User,
    organisation: Organisation,
    reason: str,
    expected_version: int | None = None,
):
    """Give open work to another organisation (recorded); a claim by the old one lapses."""
    if not actor.has_perm(ASSIGN_PERMISSION):
        raise NotAllowed("Alleen de procesregisseur wijst taken opnieuw toe.")
    reason = _require_reason(reason, "Geef een reden voor het opnieuw toewijzen.")
    with transaction.atomic():
        task = _lock(task, expected_version)
        if not task.is_open:
            raise TransitionRefused("Alleen open taken kunnen opnieuw worden toegewezen.")
        if organisation.pk == task.organisation_id:
            raise ValidationFailed("De taak ligt al bij deze organisatie.")
        before = _snapshot(task)
        if task.state == TaskState.CLAIMED:
            task.release()
        task.organisation = organisation
        task.assignee = None
        task.claimed_by = None
        _save(task, "organisation", "assignee", "claimed_by")
        FlowTask.objects.filter(pk=_flow_task(task).pk).update(
            owner=None, status=STATUS.NEW, owner_permission_obj_pk=str(organisation.pk)
        )
        involve(
            case=task.case,
            organisation=organisation,
            reason=CaseInvolvement.Reason.ASSIGNEE,
            actor=actor,
        )
        _audit(task, actor, "task.reassigned", before=before, reason=reason)
        notify(
            recipients=_organisation_workers(organisation),
            message=f"Nieuwe taak: {task.task_type.name} ({task.subject_label})",
            url=_task_url(task),
        )
    return task


def task_move_deadline(
    *,
    task: PartnerTask,
    actor: User,
    deadline: dt.datetime,
    reason: str,
    expected_version: int | None = None,
):
    """Set a new deadline, with a reason; reminders and escalations start over."""
    if not actor.has_perm(ASSIGN_PERMISSION):
        raise NotAllowed("Alleen de procesregisseur verplaatst deadlines.")
    reason = _require_reason(reason, "Geef een reden voor de nieuwe deadline.")
    if deadline <= timezone.now():
        message = "De deadline ligt in het verleden."
        raise ValidationFailed(message, field_errors={"deadline": [message]})
    with transaction.atomic():
        task = _lock(task, expected_version)
        if not task.is_open:
            raise TransitionRefused("De deadline van een afgesloten taak verandert niet meer.")
        before = _snapshot(task)
        task.deadline = deadline
        for name, value in chase_moments(task.task_type, deadline).items():
            setattr(task, name, value)
        task.reminded_at = task.overdue_at = task.regie_escalated_at = None
        _save(
            task,
            "deadline",
            "remind_at",
            "regie_escalate_at",
            "reminded_at",
            "overdue_at",
            "regie_escalated_at",
        )
        _audit(task, actor, "task.deadline_moved", before=before, reason=reason)
    return task
