# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open work is chased: a reminder before the deadline, overdue after it, then the regiegroep.
Each happens exactly once, through the background worker's periodic sweep."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail

from notifications.models import Notification
from tests import factories
from workflows.ladder import services as ladder
from workflows.tasks import services as services
from workflows.tasks.deadlines import STEPS, sweep_deadlines
from workflows.tasks.models import TaskType

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


@pytest.fixture
def task(case_awaiting, director, halt, halt_worker):
    halt.contact_email = "regie@halt.example"
    halt.save()
    # Screening the case settles its screening task, so only the task below is chased.
    ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level="netwerkoverleg",
        reason="In scope",
        criteria=factories.criteria_for("netwerkoverleg"),
    )
    # ... and the level's own intake and evaluation are withdrawn, so only one task is chased.
    for level_task in case_awaiting.tasks.exclude(level_flow=""):
        services.task_cancel(task=level_task, actor=director, reason="Niet nodig in deze test")
    # Assigned Monday 7 Dec 2026; norm 10 working days → deadline Monday 21 Dec 2026.
    # Reminder 2 working days before: Thursday 17 Dec, 08:00. Regiegroep 5 working days after
    # the deadline, skipping Christmas (25, 26 Dec) and the weekend: Tuesday 29 Dec 2026.
    with time_machine.travel(at(2026, 12, 7, 9), tick=False):
        return services.task_assign(
            case=case_awaiting,
            actor=director,
            task_type=TaskType.objects.get(code="schoolgesprek"),
            organisation=halt,
            instruction="Schoolgesprek",
        )


@pytest.mark.django_db
def test_the_chasing_moments_are_computed_once_at_assignment(task):
    assert task.deadline.astimezone(AMSTERDAM).date() == dt.date(2026, 12, 21)
    assert task.remind_at == at(2026, 12, 17, 8)
    assert task.regie_escalate_at.astimezone(AMSTERDAM).date() == dt.date(2026, 12, 29)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 12, 16, 12), (0, 0, 0)),
        (at(2026, 12, 17, 8, 1), (1, 0, 0)),
        (at(2026, 12, 21, 23), (1, 0, 0)),
        (at(2026, 12, 22, 0, 1), (1, 1, 0)),
        (at(2026, 12, 30, 0, 1), (1, 1, 1)),
    ],
)
def test_sweep_at_each_moment(task, moment, expected):
    with time_machine.travel(moment, tick=False):
        first = sweep_deadlines()
        again = sweep_deadlines()
    assert (first.reminded, first.overdue, first.escalated_to_regie) == expected
    assert (again.reminded, again.overdue, again.escalated_to_regie) == (0, 0, 0)


@pytest.mark.django_db
def test_who_is_told_what(task, halt_worker, director):
    with time_machine.travel(at(2026, 12, 30, 9), tick=False):
        sweep_deadlines()
    worker_messages = set(
        Notification.objects.filter(recipient=halt_worker).values_list("message", flat=True)
    )
    assert "Herinnering: een taak van uw organisatie nadert de deadline" in worker_messages
    assert "Een taak van uw organisatie is over de deadline" in worker_messages
    director_messages = set(
        Notification.objects.filter(recipient=director).values_list("message", flat=True)
    )
    assert {"Taak over de deadline", "Taak geëscaleerd naar de regiegroep"} <= director_messages


@pytest.mark.django_db
def test_done_work_is_not_chased(task, halt_worker):
    services.task_claim(task=task, actor=halt_worker)
    with time_machine.travel(at(2026, 12, 15, 9), tick=False):
        services.task_complete(task=task, actor=halt_worker, result="Gedaan")
    with time_machine.travel(at(2027, 1, 15, 9), tick=False):
        result = sweep_deadlines()
    assert (result.reminded, result.overdue, result.escalated_to_regie) == (0, 0, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_the_sweep_and_sends_the_regie_mail(task):
    """Through procrastinate: the periodic job, then the e-mail job it queues."""
    from procrastinate.contrib.django import app

    from tests.processes import forget_queued_sweeps
    from workflows.tasks.jobs import deadline_sweep

    forget_queued_sweeps()
    with time_machine.travel(at(2026, 12, 30, 9), tick=True):
        deadline_sweep.defer(timestamp=0)
        # The connector the worker command uses (psycopg), as in production.
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(
                queues=["default", "notifications"], wait=False, install_signal_handlers=False
            )
    regie_mails = [m for m in mail.outbox if m.to == ["regie@halt.example"]]
    assert len(regie_mails) == 1
    assert "geëscaleerd" in regie_mails[0].body
    youth = task.case.youth
    for mail_message in mail.outbox:  # the regiegroep's and every notification e-mail
        text = f"{mail_message.subject}\n{mail_message.body}"
        for personal in (
            youth.first_name,
            youth.last_name,
            youth.full_name,
            f"{youth.date_of_birth:%d-%m-%Y}",
            youth.date_of_birth.isoformat(),
            task.case.reference,
        ):
            assert personal not in text, (personal, mail_message.subject)


@pytest.mark.parametrize(("column", "moment", "index"), STEPS)
@pytest.mark.django_db
def test_each_sweep_step_reads_only_open_work_whose_marker_is_empty(column, moment, index):
    """Each step's UPDATE is planned on a partial index whose predicate is the step's own
    filter (open, marker empty), so a step never rescans the work it already marked."""
    from django.db import connection
    from django.utils import timezone

    from workflows.tasks.deadlines import sweep_sql

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s",
            [index],
        )
        (predicate,) = cursor.fetchone()
        assert f"{column} IS NULL" in predicate and "open" in predicate and "claimed" in predicate
        # Statistics of this table as it is now, not as an earlier test in this database left
        # them (a transactional test's rows made the planner pick another index now and then).
        cursor.execute("ANALYZE workflows_partnertask")
        cursor.execute("SET LOCAL enable_seqscan = off")  # the plan, whatever the table holds
        cursor.execute("EXPLAIN " + sweep_sql(column, moment), [timezone.now(), timezone.now()])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(rf"Index Scan (using|on) {index}\b", plan), plan
    assert "= ANY ($" in plan, plan  # the UPDATE finds the locked rows by primary key


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_passes_a_task_someone_is_changing_and_takes_it_next_time(task):
    """A partner holds the task (completing it, say) while the sweep runs: the sweep does not
    wait for them (it cannot deadlock with them or stall them); the next sweep marks it."""
    import threading

    from django.db import connections, transaction

    from workflows.tasks.models import PartnerTask

    held, release = threading.Event(), threading.Event()

    def partner_holds_the_task():
        try:
            with transaction.atomic():
                PartnerTask.objects.select_for_update().get(pk=task.pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    partner = threading.Thread(target=partner_holds_the_task)
    partner.start()
    try:
        assert held.wait(timeout=10)
        with connections["default"].cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting would fail the test, not hang it
        with time_machine.travel(at(2026, 12, 22, 9), tick=False):
            assert sweep_deadlines().overdue == 0
        task.refresh_from_db()
        assert task.overdue_at is None
    finally:
        release.set()
        partner.join()
    with connections["default"].cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")
    with time_machine.travel(at(2026, 12, 22, 9, 5), tick=False):
        assert sweep_deadlines().overdue == 1
