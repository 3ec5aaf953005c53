# SPDX-License-Identifier: AGPL-3.0-or-later
"""The plan of approach of a case: goals per life domain, and interventions from the catalogue
that become tasks for their providers. The procesregisseur adopts it; every change is audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import (
    AuditAction,
    Case,
    Intervention,
    Organisation,
    PlanGoal,
    PlanIntervention,
    User,
)
from casebook.models.plans import LifeDomain
from casebook.models.youths import age_on
from casebook.permissions import TRANSITION_CASE
from casebook.services.audit import audit_record
from workflows.ladder.machine import CLOSED
from workflows.tasks import calendar
from workflows.tasks.models import TaskType, TaskTypeCode
from workflows.tasks.services import require_task_workers, task_start


def _open_case(case: Case, actor: User, expected_version: int | None) -> Case:
    """Lock the case (the version the page showed) and raise its version: the plan changes."""
    if not actor.has_perm(TRANSITION_CASE):
        raise NotAllowed("Alleen de procesregisseur stelt het plan van aanpak vast.")
    case = for_update(Case).select_related("youth").get(pk=case.pk)
    if case.level == CLOSED:
        raise TransitionRefused("Het plan van een afgesloten casus verandert niet meer.")
    check_version(case, expected_version, "Deze casus")
    bump(case)
    return case


def plan_add_goal(
    *, case: Case, actor: User, life_domain: str, goal: str, expected_version: int | None = None
) -> PlanGoal:
    """Add a goal on a life domain to the case's plan. Audited."""
    goal = goal.strip()
    if life_domain not in LifeDomain.values:
        raise ValidationFailed(
            "Kies een leefgebied.", field_errors={"life_domain": ["Kies een leefgebied."]}
        )
    if not goal:
        raise ValidationFailed(
            "Beschrijf het doel.", field_errors={"goal": ["Beschrijf het doel."]}
        )
    with transaction.atomic():
        case = _open_case(case, actor, expected_version)
        created = PlanGoal.objects.create(
            case=case,
            life_domain=life_domain,
            goal=goal,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_GOAL_ADDED,
            obj=created,
            case=case,
            youth=case.youth,
            after={"leefgebied": created.get_life_domain_display(), "doel": goal},
        )
    return created


def plan_add_intervention(
    *,
    case: Case,
    actor: User,
    intervention: Intervention,
    goal: PlanGoal | None = None,
    provider: Organisation | None = None,
    starts_on: dt.date | None = None,
    expected_version: int | None = None,
) -> PlanIntervention:
    """Put a catalogue intervention to work: it becomes a task for its provider, due at the
    end of the intervention's default duration (a working day). The youth must be within the
    intervention's age range, and someone at the provider must hold a task-working role (the
    task would wait unseen). Audited; the provider is notified by the task service."""
    provider = provider or intervention.provider
    if provider is None:
        message = "Kies de organisatie die de interventie uitvoert."
        raise ValidationFailed(message, field_errors={"provider": [message]})
    require_task_workers(provider, field="provider")
    if not intervention.is_active:
        raise ValidationFailed("Deze interventie staat niet meer in de catalogus.")
    starts_on = starts_on or timezone.localdate()
    if starts_on < timezone.localdate():
        message = "De startdatum ligt in het verleden."
        raise ValidationFailed(message, field_errors={"starts_on": [message]})
    if goal is not None and goal.case_id != case.pk:
        raise ValidationFailed("Dit doel hoort bij een andere casus.")
    with transaction.atomic():
        case = _open_case(case, actor, expected_version)
        age = age_on(case.youth.date_of_birth, starts_on)
        if not intervention.min_age <= age <= intervention.max_age:
            message = (
                f"{intervention.name} is voor {intervention.min_age} tot en met "
                f"{intervention.max_age} jaar; de jongere is {age}."
            )
            raise ValidationFailed(message, field_errors={"intervention": [message]})
        end = starts_on + dt.timedelta(days=intervention.default_duration_days)
        task = task_start(
            case=case,
            actor=actor,
            task_type=TaskType.objects.get(code=TaskTypeCode.INTERVENTION),
            organisation=provider,
            instruction=f"Voer {intervention.name} uit"
            + (f" voor het doel: {goal.goal}" if goal else "")
            + f". Start {starts_on:%d-%m-%Y}.",
            deadline=calendar.end_of_day(calendar.add_working_days(end, 0)),
        )
        planned = PlanIntervention.objects.create(
            case=case,
            intervention=intervention,
            goal=goal,
            provider=provider,
            task=task,
            starts_on=starts_on,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_INTERVENTION_ADDED,
            obj=planned,
            case=case,
            youth=case.youth,
            after={
                "interventie": intervention.name,
                "aanbieder": provider.name,
                "start": starts_on,
                "doel": goal.goal if goal else None,
            },
        )
    return planned
