# SPDX-License-Identifier: AGPL-3.0-or-later
"""The work a case's place on the ladder brings: screening, and the flow of each level.

A new case awaits screening: a task for the coordinating organisation (the ZVH), due by its
norm (5 working days, the ZVH intake practice); screening settles it. Entering a level starts
its flow: an intake task for the procesregisseur (which partners must deliver information?)
and the first evaluation, which recurs every N weeks (``LevelSetting``) while the case stays on
the level. The intake's decision sends information requests to the chosen partners and plans
the discussion at the table two working days after their deadline; the sitting that discusses
the case settles that task (``settle_discussion``, when its minutes are confirmed). Leaving
the level ends its flow: its open tasks are cancelled with the reason "casus verplaatst" and
their assignees are told. Ad-hoc tasks and interventions continue. The plan of approach lives
in ``workflows.ladder.plans``, the RIO track in ``workflows.ladder.rio``.

All of it runs inside the transaction of the ladder move, signal or task action that causes
it; the task engine is told what follows an evaluation through ``workflows.ladder.wiring``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casebook.errors import NotAllowed, ValidationFailed
from casebook.models import Case, Organisation, User
from casebook.permissions import ASSIGN_TASK
from workflows.ladder.machine import CaseState
from workflows.ladder.models import LevelSetting
from workflows.tasks import calendar
from workflows.tasks.models import PartnerTask, TaskType, TaskTypeCode
from workflows.tasks.services import (
    open_tasks_for_update,
    task_assign,
    task_cancel_by_system,
    task_claim,
    task_complete,
    task_complete_by_system,
    task_start,
)

LEVEL_LABELS = dict(CaseState.choices)


def start_case_work(
    *,
    case: Case,
    actor: User,
    code: str,
    instruction: str,
    organisation: Organisation | None = None,
    deadline: dt.datetime | None = None,
    level_flow: str = "",
) -> PartnerTask:
    """Work the ladder itself starts on a case (screening, a level's intake and evaluations,
    the RIO track), by default for the coordinating organisation, whose own staff are not
    notified of every such task. Runs inside the caller's transaction."""
    organisation = organisation or case.coordinator_organisation
    return task_start(
        actor=actor,
        task_type=TaskType.objects.get(code=code),
        organisation=organisation,
        instruction=instruction,
        case=case,
        deadline=deadline,
        level_flow=level_flow,
        tell=organisation != case.coordinator_organisation,
    )


def open_screening(*, case: Case, actor: User, **_ignored) -> PartnerTask:
    """A new case awaits screening (receiver of ``casebook.events.case_opened``)."""
    return start_case_work(
        case=case,
        actor=actor,
        code=TaskTypeCode.SCREENING,
        instruction="Screen het signaal en besluit over instroom op de IJAM-ladder.",
    )


def _settle(case: Case, actor: User, code: str, result: str) -> int:
    count = 0
    for task in open_tasks_for_update(case=case).filter(task_type__code=code):
        task_complete_by_system(task=task, actor=actor, result=result)
        count += 1
    return count


def settle_screening(*, case: Case, actor: User, result: str) -> int:
    """Screening decided (in or out): the screening task is done, with the decision as result."""
    return _settle(case, actor, TaskTypeCode.SCREENING, result)


def settle_discussion(*, case: Case, actor: User, result: str) -> int:
    """A sitting discussed the case: the level flow's open discussion task is done, with the
    sitting and its summary as result. Runs inside the minutes' confirmation."""
    return _settle(case, actor, TaskTypeCode.DISCUSSION, result)


def _evaluation_deadline(level: str, start: dt.datetime) -> dt.datetime:
    weeks = LevelSetting.objects.filter(level=level).values_list("evaluation_weeks", flat=True)
    day = timezone.localtime(start).date() + dt.timedelta(weeks=(weeks.first() or 6))
    return calendar.end_of_day(calendar.add_working_days(day, 0))


def level_flow_enter(*, case: Case, actor: User, level: str) -> None:
    """End the previous level's flow and start this level's (called by the ladder services)."""
    label = LEVEL_LABELS[level]
    for task in open_tasks_for_update(case=case).exclude(level_flow="").exclude(level_flow=level):
        task_cancel_by_system(task=task, reason=f"Casus verplaatst naar {label}.")
    start_case_work(
        case=case,
        actor=actor,
        code=TaskTypeCode.INTAKE,
        level_flow=level,
        instruction=f"Intake {label}: bepaal welke partners informatie aanleveren voor de "
        "bespreking.",
    )
    start_case_work(
        case=case,
        actor=actor,
        code=TaskTypeCode.EVALUATION,
        level_flow=level,
        deadline=_evaluation_deadline(level, timezone.now()),
        instruction=f"Evalueer de aanpak op {label}: doelen, interventies en afspraken.",
    )


def schedule_next_evaluation(*, task: PartnerTask, actor: User) -> PartnerTask | None:
    """After an evaluation, the next one, N weeks on, while the case stays on the level
    (registered with the task engine for completed evaluations)."""
    case = task.case
    if case is None or not task.level_flow or case.level != task.level_flow:
        return None
    return start_case_work(
        case=case,
        actor=actor,
        code=TaskTypeCode.EVALUATION,
        level_flow=task.level_flow,
        deadline=_evaluation_deadline(task.level_flow, timezone.now()),
        instruction=task.instruction,
    )


def intake_request_information(
    *,
    task: PartnerTask,
    actor: User,
    organisations: list[Organisation],
    deadline: dt.datetime,
    instruction: str,
    expected_version: int | None = None,
) -> list[PartnerTask]:
    """The procesregisseur's intake decision: each chosen partner gets an information request
    with the same deadline (before the case's next discussion); the intake task is done.
    ``expected_version``: the intake task as its page showed it."""
    if not actor.has_perm(ASSIGN_TASK):
        raise NotAllowed("Alleen de procesregisseur doet de intake.")
    if task.task_type.code != TaskTypeCode.INTAKE:
        raise ValidationFailed("Dit is geen intaketaak.")
    if not organisations:
        message = "Kies minstens één partner die informatie aanlevert."
        raise ValidationFailed(message, field_errors={"organisations": [message]})
    instruction = instruction.strip() or "Lever de informatie aan die u over de jongere heeft."
    with transaction.atomic():
        if task.state == "open":
            task = task_claim(task=task, actor=actor, expected_version=expected_version)
            expected_version = task.version  # locked and claimed in this transaction
        requests = [
            task_assign(
                case=task.case,
                actor=actor,
                task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
                organisation=organisation,
                instruction=instruction,
                deadline=deadline,
                level_flow=task.level_flow,
            )
            for organisation in organisations
        ]
        # Locks and checks the intake as the page showed it: a stale page undoes it all.
        task_complete(
            task=task,
            actor=actor,
            result="Informatie gevraagd aan: " + ", ".join(o.name for o in organisations) + ".",
            expected_version=expected_version,
        )
        # The table discusses the case once the information is in: two working days later.
        discussion_day = calendar.add_working_days(timezone.localtime(deadline).date(), 2)
        start_case_work(
            case=task.case,
            actor=actor,
            code=TaskTypeCode.DISCUSSION,
            level_flow=task.level_flow,
            deadline=calendar.end_of_day(discussion_day),
            instruction="Bespreek de casus aan tafel met de aangeleverde informatie; leg de "
            "afspraken vast en stel het plan van aanpak vast of bij.",
        )
    return requests
