# SPDX-License-Identifier: AGPL-3.0-or-later
"""Logged reads and changes running at the same moment never deadlock and never end in a 500
(ADR 0010): the audit chain's lock is taken at commit, after every row lock, and rows are
locked in one order.

Each round starts four people at once, with real commits: the procesregisseur reads the case
page (a logged read), moves the case on the ladder (which cancels the level's open tasks), a
police officer claims one of those tasks through the task page, and a sitting's minutes with
a decision about the same case are confirmed. Whatever wins, the others get a clear answer: a
page, a 409 conflict or a refusal, never "deadlock detected"."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casebook.errors import IjamError
from casebook.models import AuditEvent, Case
from casebook.services.audit import ChainBreak, verify_chain
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import JONGE_AANWAS, NETWERKOVERLEG
from workflows.meetings import minutes as minutes_services
from workflows.meetings import services as meetings
from workflows.meetings.models import Decision, MeetingSeries, MinutesItem
from workflows.tasks.models import TaskType, TaskTypeCode
from workflows.tasks.services import task_assign

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 4


def _round(n, case, director, support, police_officer, halt, series):
    """Prepare one round: a level-flow task for the police, and minutes deciding about the
    case. Returns what the four people act on."""
    case.refresh_from_db()
    information = TaskType.objects.get(code=TaskTypeCode.INFORMATION)
    task = task_assign(
        case=case,
        actor=director,
        task_type=information,
        organisation=police_officer.organisation,
        instruction=f"Ronde {n}: lever informatie aan.",
        level_flow=case.level,
    )
    sitting = meetings.meeting_schedule(
        series=series,
        actor=director,
        starts_at=timezone.now() + dt.timedelta(days=30 + n),
    )
    meetings.agenda_add(meeting=sitting, actor=director, case=case)
    draft = minutes_services.minutes_draft(meeting=sitting, actor=support)
    item = MinutesItem.objects.get(minutes=draft, case=case)
    minutes_services.decision_add(
        item=item,
        actor=support,
        kind=Decision.Kind.TASK,
        reason=f"Ronde {n}: schoolgesprek",
        task_type=information,
        organisation=halt,
    )
    return task, draft


def _race(n, case, task, draft, director, police_officer, failures, statuses):
    """The four people act at once (a barrier); what fails other than a refusal is noted."""
    case.refresh_from_db()
    target = JONGE_AANWAS if case.level == NETWERKOVERLEG else NETWERKOVERLEG
    move = ladder.case_escalate if target == JONGE_AANWAS else ladder.case_deescalate
    barrier = threading.Barrier(4)

    def guarded(action):
        def run():
            try:
                barrier.wait(timeout=10)
                action()
            except IjamError:
                pass  # a refusal the user sees (the task was cancelled, a conflict…)
            except Exception as exc:  # noqa: BLE001 - what the test is about
                failures.append(f"{action.__name__}: {type(exc).__name__}: {exc}")
            finally:
                connections.close_all()

        return run

    def read_case_page():
        client = Client()
        client.force_login(director)
        for _ in range(3):
            statuses.append(client.get(reverse("casebook:case-detail", args=[case.pk])).status_code)

    def move_case():
        current = Case.objects.get(pk=case.pk)
        move(
            case=current,
            actor=director,
            target_level=target,
            reason=f"ronde {n}",
            criteria=factories.criteria_for(target),
            expected_version=current.version,
        )

    def claim_task():
        client = Client()
        client.force_login(police_officer)
        response = client.post(
            reverse("workflows:task-action", args=[task.pk, "oppakken"]), {"version": task.version}
        )
        statuses.append(response.status_code)

    def confirm_minutes():
        minutes_services.minutes_confirm(minutes=draft, actor=director)

    threads = [
        threading.Thread(target=guarded(action))
        for action in (read_case_page, move_case, claim_task, confirm_minutes)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"


def test_reads_moves_claims_and_confirmations_at_once_never_deadlock(
    director, support, police_officer, halt, zvh
):
    series = MeetingSeries.objects.create(
        name="Racetafel", level=NETWERKOVERLEG, first_date=timezone.localdate()
    )
    case = ladder.case_screen_in(
        case=factories.signal(police_officer).case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    failures: list[str] = []
    statuses: list[int] = []

    for n in range(ROUNDS):
        task, draft = _round(n, case, director, support, police_officer, halt, series)
        _race(n, case, task, draft, director, police_officer, failures, statuses)

    assert failures == []
    assert statuses and all(status in (200, 302, 409) for status in statuses), statuses
    # Everything that happened is in the chain, in one unbroken line.
    assert not [item for item in verify_chain() if isinstance(item, ChainBreak)]
    assert AuditEvent.objects.filter(action="case.viewed", case=case).count() == 3 * ROUNDS
