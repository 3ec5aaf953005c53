# SPDX-License-Identifier: AGPL-3.0-or-later
"""The task engine: starting partner work with a deadline, and its lifecycle.

One way in: ``task_start`` starts every task, whatever its subject (a case, a youth group, one
member of a group) and whoever asks for it (the procesregisseur, a ladder move, a sitting, a
step of the group approach), with the same checks, involvement, audit and notification.
``task_assign`` is the procesregisseur's own ad-hoc work: it checks the role and locks the
subject, then calls ``task_start``.

Every lifecycle function is one transaction that locks the task row, checks the move on the
task's state machine (``PartnerTask.state``), moves the viewflow task of the ``work`` node
along, writes the audit event and queues the notifications. Bad input raises an ``IjamError``
with a Dutch message and changes nothing.

The engine knows none of the processes that use it: what follows a completed task is
registered by the process that owns that kind of work (``workflows.tasks.hooks``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import (
    AuditAction,
    Case,
    CaseInvolvement,
    Group,
    GroupMember,
    Organisation,
    ProcessingActivity,
    User,
)
from casebook.permissions import ASSIGN_TASK, WORK_ON_TASK
from casebook.selectors.people import task_workers
from casebook.services.audit import audit_record
from casebook.services.involvement import (
    coordinating_organisation,
    involve,
    participate,
    process_directors,
)
from notifications.models import NotificationKind
from notifications.services import notify
from workflows.tasks import calendar, hooks
from workflows.tasks.flows import PartnerTaskFlow
from workflows.tasks.models import OPEN_TASK_STATES, PartnerTask, TaskState, TaskType

_ROW_RELATED = ("case", "case__youth", "group_member__youth", "group", "organisation", "task_type")


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


def task_url(task: PartnerTask) -> str:
    return reverse("workflows:task-detail", args=[task.pk])


def organisation_workers(organisation: Organisation) -> list[User]:
    """Who hears about an organisation's new work: its users with a task-working role, never
    anyone else of the organisation (a stuurgroep member, a functioneel beheerder)."""
    return list(task_workers().filter(organisation=organisation))


def notify_organisation(
    organisation: Organisation,
    message: str,
    url: str,
    kind: str = NotificationKind.TASK_ASSIGNED,
) -> None:
    """Tell an organisation's task workers."""
    notify(recipients=organisation_workers(organisation), message=message, url=url, kind=kind)


def _about(task: PartnerTask) -> dict:
    """The youth a task's notification names (by its case number), for the processing log."""
    return {"youth_id": task.subject_youth_id, "activity": ProcessingActivity.Code.PARTNER_TASKS}


def _tell_new(task: PartnerTask) -> None:
    notify(
        kind=NotificationKind.TASK_ASSIGNED,
        recipients=[task.assignee] if task.assignee_id else organisation_workers(task.organisation),
        message=f"Nieuwe taak: {task.task_type.name} ({task.subject_label}), uiterlijk "
        f"{timezone.localtime(task.deadline):%d-%m-%Y}",
        url=task_url(task),
        **_about(task),
    )


def task_hand_over(*, task: PartnerTask, actor: User, reason: str, note: str) -> None:
    """The work goes on although what started it ended (a closed group approach): recorded on
    the task and its organisation told. Runs inside the caller's transaction."""
    _audit(task, actor, AuditAction.TASK_HANDED_OVER, reason=reason)
    notify_organisation(task.organisation, note, task_url(task), NotificationKind.TASK_PROGRESS)


def _flow_task(task: PartnerTask) -> FlowTask:
    return FlowTask.objects.get(process_id=task.pk, flow_task=PartnerTaskFlow.work)


def _lock(task: PartnerTask, expected_version: int | None = None) -> PartnerTask:
    """Lock the task's case or group, then the task (the lock order of ADR 0010: a ladder
    move or group step holds the subject while it settles the subject's tasks)."""
    if task.case_id:
        for_update(Case).filter(pk=task.case_id).exists()
    elif task.group_id:
        for_update(Group).filter(pk=task.group_id).exists()
    locked = for_update(PartnerTask).select_related(*_ROW_RELATED, "claimed_by").get(pk=task.pk)
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
        "regie_escalate_at": calendar.end_of_day(escalate_day),
    }


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


def _involve(task: PartnerTask, organisation: Organisation, actor: User | None) -> None:
    """The organisation takes part in the task's subject, so its task workers can open it."""
    if task.case_id:
        involve(
            case=task.case,
            organisation=organisation,
            reason=CaseInvolvement.Reason.ASSIGNEE,
            actor=actor,
        )
    else:
        participate(group=task.group, organisation=organisation, actor=actor)


#: Work for an organisation where nobody may pick it up would wait unseen (ADR 0013).
NO_WORKERS = (
    "{organisation} heeft in IJAM niemand met een rol waarmee taken worden opgepakt. Kies een "
    "andere organisatie, of vraag functioneel beheer een medewerker de rol Partnerprofessional "
    "te geven."
)


#: The note on work IJAM sent to the coordinating organisation instead (``reroute_unstaffed``).
REROUTED = (
    "{organisation} heeft in IJAM niemand met een rol waarmee taken worden opgepakt; deze taak "
    "staat daarom bij de procesregie. Regel het werk met {organisation} op een andere manier."
)


def has_task_workers(organisation: Organisation) -> bool:
    return task_workers().filter(organisation=organisation).exists()


def staffed_first(organisations: QuerySet[Organisation], *order: str) -> Organisation | None:
    """The first active one of ``organisations`` (by ``order``, then name), one with task
    workers before any without: where IJAM itself picks an organisation of a kind (a task
    type's default, the RIO, the police for a group scan)."""
    staffed = Exists(task_workers().filter(organisation=OuterRef("pk")))
    return organisations.filter(is_active=True).order_by(staffed.desc(), *order, "name").first()


def require_task_workers(organisation: Organisation, *, field: str = "organisation") -> None:
    """Refuse work for an organisation where nobody may pick it up: it would wait unseen
    (ADR 0013). ``task_start`` holds this rule for every task; services call it first where a
    person chooses the organisation, so the refusal stands on the form's ``field`` before
    anything is locked (``task_assign``, ``task_reassign``, a planned group action, an
    intervention's provider)."""
    if not organisation.is_active:
        raise _field_error(field, "Deze organisatie is niet meer in gebruik.")
    if not has_task_workers(organisation):
        raise _field_error(field, NO_WORKERS.format(organisation=organisation.name))


def _coordinator(case: Case | None) -> Organisation:
    """The organisation that runs procesregie over the subject: the case's coordinator, or
    (for a group) the ZVH."""
    return case.coordinator_organisation if case is not None else coordinating_organisation()


def task_start(
    *,
    actor: User,
    task_type: TaskType,
    organisation: Organisation,
    instruction: str,
    case: Case | None = None,
    group: Group | None = None,
    member: GroupMember | None = None,
    deadline: dt.datetime | None = None,
    assignee: User | None = None,
    level_flow: str = "",
    tell: bool = True,
    reroute_unstaffed: bool = False,
) -> PartnerTask:
    """Start a piece of partner work: the only way a task comes to be.

    The subject is a case, or a group (``member``: one of its current members). Checked for
    every task: an active task type and organisation, an instruction, an assignee of that
    organisation with a task-working role, a deadline in the future (default: the task type's
    norm), an open subject, and an organisation with task workers (ADR 0013).
    The organisation becomes involved in the case or takes part in the group approach, so its
    task workers can open the task; the audit event records it; unless ``tell`` is off (a bulk
    action tells once for all), the assignee or the organisation's workers are notified.

    Work for an organisation where nobody holds a task-working role would wait unseen:

    * it is refused (``ValidationFailed`` on ``organisation``, the message naming it,
      ``NO_WORKERS``) whenever a person chose that organisation, directly or in a plan;
    * ``reroute_unstaffed``: work IJAM sends on its own (the group scan a step brings) goes
      to the coordinating organisation instead, its instruction saying why (``REROUTED``); the
      audit event names the organisation it was meant for and the procesregisseurs are told;
    * the coordinating organisation's own process work (screening, intake, evaluation,
      discussion, monitoring) is never refused: a partner's signal must not be lost because
      the ZVH has no accounts yet, and it is where rerouted work lands.

    Runs inside the caller's transaction; the caller has checked the actor's right to start
    this work and holds the lock on the subject (``task_assign`` does both).
    """
    instruction = instruction.strip()
    if not instruction:
        raise _field_error("instruction", "Beschrijf de opdracht.")
    if not task_type.is_active or not organisation.is_active:
        raise ValidationFailed("Deze taaksoort of organisatie is niet meer in gebruik.")
    if assignee is not None and assignee.organisation_id != organisation.pk:
        raise _field_error("assignee", f"{assignee} werkt niet bij {organisation.name}.")
    if assignee is not None and not task_workers().filter(pk=assignee.pk).exists():
        raise _field_error("assignee", f"{assignee} heeft geen rol waarmee taken worden opgepakt.")
    now = timezone.now()
    deadline = deadline or default_deadline(task_type, now)
    if deadline <= now:
        raise _field_error("deadline", "De deadline ligt in het verleden.")
    if (case is None) == (group is None):
        raise ValueError("a task is about a case or about a group")
    if case is not None and not case.is_open:
        raise TransitionRefused("Aan een afgesloten casus kunnen geen taken worden toegewezen.")
    if group is not None:
        if not group.is_open:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        if member is not None and (member.group_id != group.pk or member.left_on):
            raise ValidationFailed(f"{member.youth} is geen lid (meer) van deze groep.")
    meant_for = None
    if not has_task_workers(organisation):
        coordinator = _coordinator(case)
        if organisation != coordinator:
            if not reroute_unstaffed:
                raise _field_error(
                    "organisation", NO_WORKERS.format(organisation=organisation.name)
                )
            meant_for, organisation, assignee = organisation, coordinator, None
            instruction = f"{REROUTED.format(organisation=meant_for.name)}\n\n{instruction}"
    task = PartnerTaskFlow.start.run(
        case=case,
        group=group,
        group_member=member,
        task_type=task_type,
        organisation=organisation,
        assignee=assignee,
        instruction=instruction,
        deadline=deadline,
        created_by=actor,
        level_flow=level_flow,
        **chase_moments(task_type, deadline),
    )
    _involve(task, organisation, actor)
    extra = {"taaksoort": task_type.name, "opdracht": instruction}
    if group is not None:
        extra["groep"] = group.name
    if meant_for is not None:
        extra["bedoeld_voor"] = meant_for.name
    _audit(task, actor, AuditAction.TASK_ASSIGNED, extra=extra)
    if meant_for is not None:
        notify(
            kind=NotificationKind.TASK_ASSIGNED,
            recipients=_directors(task),
            message=f"{task.task_type.name} ({task.subject_label}): {meant_for.name} heeft "
            "niemand die taken oppakt; de taak staat bij de procesregie.",
            url=task_url(task),
            **_about(task),
        )
    elif tell:
        _tell_new(task)
    return task


def default_organisation(task_type: TaskType) -> Organisation:
    """The organisation a kind of work goes to when the procesregisseur names none: the first
    active organisation of the task type's default kind, one with task workers first."""
    organisation = (
        staffed_first(Organisation.objects.filter(kind=task_type.default_organisation_kind))
        if task_type.default_organisation_kind
        else None
    )
    if organisation is None:
        raise _field_error(
            "organisation", "Deze taaksoort heeft geen standaardorganisatie; kies er een."
        )
    return organisation


def task_assign(
    *,
    actor: User,
    task_type: TaskType,
    organisation: Organisation | None,
    instruction: str,
    case: Case | None = None,
    group: Group | None = None,
    member: GroupMember | None = None,
    deadline: dt.datetime | None = None,
    assignee: User | None = None,
    level_flow: str = "",
    expected_version: int | None = None,
) -> PartnerTask:
    """The procesregisseur gives an organisation (and optionally one of its people) work on a
    case or a group; without an organisation, the task type's default one. Checks the role,
    locks the subject (at ``expected_version``, the version the page showed, when given, and
    then raises it), then starts the task (``task_start``) in one transaction."""
    if not actor.has_perm(ASSIGN_TASK):
        raise NotAllowed("Alleen de procesregisseur wijst taken toe.")
    organisation = organisation or default_organisation(task_type)
    require_task_workers(organisation)
    with transaction.atomic():
        if case is not None:
            case = (
                for_update(Case).select_related("youth", "coordinator_organisation").get(pk=case.pk)
            )
            subject, what = case, "Deze casus"
        else:
            group = for_update(Group).get(pk=group.pk)
            subject, what = group, "Deze groep"
        if expected_version is not None:
            check_version(subject, expected_version, what)
            bump(subject)
        return task_start(
            actor=actor,
            task_type=task_type,
            organisation=organisation,
            instruction=instruction,
            case=case,
            group=group,
            member=member,
            deadline=deadline,
            assignee=assignee,
            level_flow=level_flow,
        )


def open_tasks_for_update(
    *, case: Case | None = None, group: Group | None = None
) -> QuerySet[PartnerTask]:
    """The open work on a case or a group, locked, for a process that settles it."""
    tasks = for_update(PartnerTask).filter(state__in=OPEN_TASK_STATES)
    # Only the joins the subject needs: each join costs planning time on every move.
    if case is not None:
        tasks = tasks.filter(case=case).select_related("case__youth")
    if group is not None:
        tasks = tasks.filter(group=group).select_related("group", "group_member__youth")
    return tasks.select_related("organisation", "task_type").order_by("pk")


def task_complete_by_system(*, task: PartnerTask, actor: User | None, result: str) -> None:
    """IJAM itself settles the task (the screening once the case is screened, the discussion
    once a sitting discussed the case). ``task`` comes locked from ``open_tasks_for_update``;
    runs inside the caller's transaction."""
    before = _snapshot(task)
    task.complete_by_system()
    task.result = result
    task.closed_at = timezone.now()
    _save(task, "result", "closed_at")
    _finish_flow_task(task, STATUS.DONE)
    _audit(task, actor, AuditAction.TASK_COMPLETED, before=before, extra={"resultaat": result})


def tasks_cancel_open(*, reason: str, case: Case | None = None, group: Group | None = None) -> int:
    """Cancel all open work on a case or a group (it closed), telling who had it. Runs inside
    the caller's transaction. Returns how many tasks it cancelled."""
    count = 0
    for task in open_tasks_for_update(case=case, group=group):
        task_cancel_by_system(task=task, reason=reason)
        count += 1
    return count


def _require_worker(task: PartnerTask, actor: User) -> None:
    if not actor.has_perm(WORK_ON_TASK, task.organisation):
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
        _audit(
            task,
            actor,
            AuditAction.TASK_CLAIMED,
            before=before,
            extra={"opgepakt_door": str(actor)},
        )
        notify(
            kind=NotificationKind.TASK_PROGRESS,
            recipients=_directors(task),
            message=f"Taak opgepakt door {task.organisation.short_name}: "
            f"{task.task_type.name} ({task.subject_label})",
            url=task_url(task),
            **_about(task),
        )
    return task


def task_complete(
    *, task: PartnerTask, actor: User, result: str, expected_version: int | None = None
):
    """The claimer finishes the task with a written result (required per task type). What the
    owning process registered for this kind of task follows in the same transaction."""
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
            raise _field_error(
                "result", "Beschrijf het resultaat; dat is voor deze taaksoort verplicht."
            )
        before = _snapshot(task)
        _move(task, "complete", "Afronden")
        task.result = result
        task.closed_at = timezone.now()
        _save(task, "result", "closed_at")
        with _flow_task(task).activation() as activation:
            activation.start(None)
            activation.execute()
        _audit(task, actor, AuditAction.TASK_COMPLETED, before=before, extra={"resultaat": result})
        hooks.run_completion_handlers(task=task, actor=actor)
        notify(
            kind=NotificationKind.TASK_PROGRESS,
            recipients=_directors(task),
            message=f"Taak afgerond: {task.task_type.name} ({task.subject_label})",
            url=task_url(task),
            **_about(task),
        )
    return task


def _require_reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise _field_error("reason", message)
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
            task,
            actor,
            move="give_back",
            label="Teruggeven",
            action=AuditAction.TASK_RETURNED,
            reason=reason,
        )
        notify(
            kind=NotificationKind.TASK_PROGRESS,
            recipients=_directors(task),
            message=f"Taak teruggegeven door {task.organisation.short_name}: "
            f"{task.task_type.name} ({task.subject_label})",
            url=task_url(task),
            **_about(task),
        )
    return task


def task_cancel(
    *, task: PartnerTask, actor: User | None, reason: str, expected_version: int | None = None
):
    """The procesregisseur withdraws the task (``actor=None``: the system, e.g. case moved)."""
    if actor is not None and not actor.has_perm(ASSIGN_TASK):
        raise NotAllowed("Alleen de procesregisseur annuleert taken.")
    reason = _require_reason(reason, "Geef een reden voor het annuleren.")
    with transaction.atomic():
        task = _lock(task, expected_version)
        _cancel(task, actor, reason)
    return task


def task_cancel_by_system(*, task: PartnerTask, reason: str) -> None:
    """IJAM withdraws the task (its case moved or closed, its group closed). ``task`` comes
    locked from ``open_tasks_for_update``; runs inside the caller's transaction."""
    _cancel(task, None, _require_reason(reason, "Geef een reden voor het annuleren."))


def _cancel(task: PartnerTask, actor: User | None, reason: str) -> None:
    _end_with_reason(
        task,
        actor,
        move="cancel",
        label="Annuleren",
        action=AuditAction.TASK_CANCELLED,
        reason=reason,
    )
    notify(
        kind=NotificationKind.TASK_PROGRESS,
        recipients=[task.claimed_by]
        if task.claimed_by_id
        else organisation_workers(task.organisation),
        message=f"Taak geannuleerd: {task.task_type.name} ({task.subject_label})",
        url=task_url(task),
        **_about(task),
    )


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
    """Give open work to another organisation (recorded); a claim by the old one lapses. The
    new organisation becomes involved in the case or takes part in the group approach."""
    if not actor.has_perm(ASSIGN_TASK):
        raise NotAllowed("Alleen de procesregisseur wijst taken opnieuw toe.")
    reason = _require_reason(reason, "Geef een reden voor het opnieuw toewijzen.")
    with transaction.atomic():
        task = _lock(task, expected_version)
        if not task.is_open:
            raise TransitionRefused("Alleen open taken kunnen opnieuw worden toegewezen.")
        if organisation.pk == task.organisation_id:
            raise ValidationFailed("De taak ligt al bij deze organisatie.")
        if not organisation.is_active:
            raise ValidationFailed("Deze organisatie is niet meer in gebruik.")
        require_task_workers(organisation)
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
        _involve(task, organisation, actor)
        _audit(task, actor, AuditAction.TASK_REASSIGNED, before=before, reason=reason)
        _tell_new(task)
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
    if not actor.has_perm(ASSIGN_TASK):
        raise NotAllowed("Alleen de procesregisseur verplaatst deadlines.")
    reason = _require_reason(reason, "Geef een reden voor de nieuwe deadline.")
    if deadline <= timezone.now():
        raise _field_error("deadline", "De deadline ligt in het verleden.")
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
        _audit(task, actor, AuditAction.TASK_DEADLINE_MOVED, before=before, reason=reason)
    return task
