# SPDX-License-Identifier: AGPL-3.0-or-later
"""The flow of a case on a ladder level, and the RIO track at PGA level.

Entering a level starts its flow: an intake task for the procesregisseur (which partners must
deliver information?) and the first evaluation, which recurs every N weeks (``LevelSetting``)
while the case stays on the level. The intake's decision sends information requests to the
chosen partners and schedules the discussion at the table two working days after their
deadline (until meetings are in IJAM, the procesregisseur records it as a task); the plan of
approach it adopts lives in ``casebook.services.plans``. Leaving the level ends its flow: its
open tasks are cancelled with the reason "casus verplaatst" and their assignees are told.
Ad-hoc tasks and interventions continue. All of it runs inside the transaction of the ladder
move or task action that causes it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import Case, Organisation, OrganisationKind, User
from workflows import calendar
from workflows.ladder import PGA, CaseState
from workflows.models import OPEN_TASK_STATES, LevelSetting, PartnerTask, TaskType
from workflows.services.tasks import (
    ASSIGN_PERMISSION,
    start_system_task,
    task_assign,
    task_cancel,
    task_claim,
    task_complete,
)

LEVEL_LABELS = dict(CaseState.choices)


def _evaluation_deadline(level: str, start: dt.datetime) -> dt.datetime:
    weeks = LevelSetting.objects.filter(level=level).values_list("evaluation_weeks", flat=True)
    day = timezone.localtime(start).date() + dt.timedelta(weeks=(weeks.first() or 6))
    return calendar.end_of_day(calendar.add_working_days(day, 0))


def level_flow_enter(*, case: Case, actor: User, level: str) -> None:
    """End the previous level's flow and start this level's (called by the ladder services)."""
    for task in (
        PartnerTask.objects.filter(case=case, state__in=OPEN_TASK_STATES)
        .exclude(level_flow="")
        .exclude(level_flow=level)
    ):
        task_cancel(task=task, actor=None, reason=f"Casus verplaatst naar {LEVEL_LABELS[level]}.")
    label = LEVEL_LABELS[level]
    start_system_task(
        case=case,
        actor=actor,
        code="intake",
        level_flow=level,
        instruction=f"Intake {label}: bepaal welke partners informatie aanleveren voor de "
        "bespreking.",
    )
    start_system_task(
        case=case,
        actor=actor,
        code="evaluatie",
        level_flow=level,
        deadline=_evaluation_deadline(level, timezone.now()),
        instruction=f"Evalueer de aanpak op {label}: doelen, interventies en afspraken.",
    )


def level_flow_end(*, case: Case, reason: str) -> None:
    """End the current level's flow (closure): cancel its open tasks."""
    for task in PartnerTask.objects.filter(case=case, state__in=OPEN_TASK_STATES).exclude(
        level_flow=""
    ):
        task_cancel(task=task, actor=None, reason=reason)


def schedule_next_evaluation(*, task: PartnerTask, actor: User) -> PartnerTask | None:
    """After an evaluation, the next one, N weeks on, while the case stays on the level."""
    case = task.case
    if not task.level_flow or case.level != task.level_flow:
        return None
    return start_system_task(
        case=case,
        actor=actor,
        code="evaluatie",
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
) -> list[PartnerTask]:
    """The procesregisseur's intake decision: each chosen partner gets an information request
    with the same deadline (before the case's next discussion); the intake task is done."""
    if not actor.has_perm(ASSIGN_PERMISSION):
        raise NotAllowed("Alleen de procesregisseur doet de intake.")
    if task.task_type.code != "intake":
        raise ValidationFailed("Dit is geen intaketaak.")
    if not organisations:
        message = "Kies minstens één partner die informatie aanlevert."
        raise ValidationFailed(message, field_errors={"organisations": [message]})
    instruction = instruction.strip() or "Lever de informatie aan die u over de jongere heeft."
    with transaction.atomic():
        if task.state == "open":
            task = task_claim(task=task, actor=actor)
        requests = [
            task_assign(
                case=task.case,
                actor=actor,
                task_type=TaskType.objects.get(code="informatie"),
                organisation=organisation,
                instruction=instruction,
                deadline=deadline,
                level_flow=task.level_flow,
            )
            for organisation in organisations
        ]
        task_complete(
            task=task,
            actor=actor,
            result="Informatie gevraagd aan: " + ", ".join(o.name for o in organisations) + ".",
        )
        # The table discusses the case once the information is in: two working days later.
        discussion_day = calendar.add_working_days(timezone.localtime(deadline).date(), 2)
        start_system_task(
            case=task.case,
            actor=actor,
            code="bespreking",
            level_flow=task.level_flow,
            deadline=calendar.end_of_day(discussion_day),
            instruction="Bespreek de casus aan tafel met de aangeleverde informatie; leg de "
            "afspraken vast en stel het plan van aanpak vast of bij.",
        )
    return requests


RIO_BASIC_CONDITIONS = [
    ("ID-bewijs", "Regel een geldig identiteitsbewijs."),
    ("Inkomen", "Regel inkomen: werk, uitkering of studiefinanciering."),
    ("Huisvesting", "Regel een woonplek vanaf de dag van vrijlating."),
    ("Schulden", "Breng de schulden in kaart en regel schuldhulp."),
    ("Zorg", "Regel zorg en een zorgverzekering waar nodig."),
]


def rio_track_start(*, case: Case, actor: User, release_on: dt.date) -> list[PartnerTask]:
    """The RIO track for an ex-detainee at PGA level: a re-integration plan, the five basic
    conditions, each a task for the re-integration officer, and an aftercare (nazorg) review
    after release."""
    if not actor.has_perm(ASSIGN_PERMISSION):
        raise NotAllowed("Alleen de procesregisseur start het RIO-traject.")
    rio = Organisation.objects.filter(kind=OrganisationKind.RIO, is_active=True).first()
    if rio is None:
        raise ValidationFailed("Er is geen re-integratieofficier (RIO) ingericht.")
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("youth").get(pk=case.pk)
        if case.level != PGA:
            raise TransitionRefused("Het RIO-traject hoort bij casussen op PGA-niveau.")
        if PartnerTask.objects.filter(
            case=case, task_type__code="reintegratieplan", state__in=OPEN_TASK_STATES
        ).exists():
            raise ValidationFailed("Er loopt al een RIO-traject voor deze casus.")
        before_release = calendar.end_of_day(calendar.add_working_days(release_on, -1))
        if before_release <= timezone.now():
            before_release = None  # already released: the task norms apply
        tasks = [
            start_system_task(
                case=case,
                actor=actor,
                code="reintegratieplan",
                organisation=rio,
                deadline=before_release,
                instruction="Stel het re-integratieplan op, samen met de jongere en de inrichting.",
            )
        ]
        for name, instruction in RIO_BASIC_CONDITIONS:
            tasks.append(
                start_system_task(
                    case=case,
                    actor=actor,
                    code="basisvoorwaarden",
                    organisation=rio,
                    deadline=before_release,
                    instruction=f"{name}: {instruction}",
                )
            )
        review_day = calendar.add_working_days(release_on, 20)
        tasks.append(
            start_system_task(
                case=case,
                actor=actor,
                code="nazorg",
                organisation=rio,
                deadline=calendar.end_of_day(review_day),
                instruction="Beoordeel vier weken na vrijlating hoe de nazorg loopt.",
            )
        )
    return tasks
