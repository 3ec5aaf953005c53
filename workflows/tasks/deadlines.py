# SPDX-License-Identifier: AGPL-3.0-or-later
"""Chasing open work: reminders before the deadline, overdue marking and escalation after it.

``sweep_deadlines`` runs every few minutes in the background worker. Each step is one
set-based ``UPDATE … WHERE <moment> <= now AND <marker> IS NULL … RETURNING`` over the rows it
could lock at once (``SKIP LOCKED``): the marker column makes every reminder and escalation
happen exactly once, however often the sweep runs, whether the worker restarted, or two
workers sweep at the same time; a row someone is changing is left for the next sweep. The
notifications for the rows it marked are queued in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app

from casebook.models import Role, User
from casebook.selectors.people import task_workers
from notifications.models import NotificationKind
from notifications.services import notify_each

OPEN = ("open", "claimed")
#: The job that e-mails the organisation's contact address (``workflows.tasks.jobs``).
REGIE_EMAIL_JOB = "workflows.send_regie_escalation_email"


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    overdue: int
    escalated_to_regie: int


def sweep_sql(column: str, moment_column: str) -> str:
    """The statement one sweep step runs (parameters: now, now). The open states are written
    out, not passed as a parameter, so the planner matches the partial indexes on them
    (``task_due_idx``, ``task_remind_idx``, ``task_regie_idx``): the step reads only open work
    whose marker is still empty, never all overdue work again.

    The step locks its rows and skips rows another transaction holds (a ladder move cancelling
    the case's tasks, a partner completing one): it never waits for them, so it can neither
    deadlock with them nor stall them, and a skipped row's marker is still empty, so the next
    sweep takes it. The locked ids are handed to the UPDATE as one array, so it finds them by
    primary key instead of joining the whole table; no ORDER BY, which would make the planner
    walk the primary key instead of the partial index (and a step that never waits needs no
    order)."""
    states = ", ".join(f"'{state}'" for state in OPEN)
    return f"""
        WITH due AS (
            SELECT process_ptr_id FROM workflows_partnertask
             WHERE state IN ({states}) AND {column} IS NULL AND {moment_column} <= %s
               FOR NO KEY UPDATE SKIP LOCKED
        )
        UPDATE workflows_partnertask AS task
           SET {column} = %s
         WHERE task.process_ptr_id = ANY(ARRAY(SELECT process_ptr_id FROM due))
     RETURNING task.process_ptr_id, task.organisation_id,
               COALESCE(task.claimed_by_id, task.assignee_id), task.case_id
        """  # noqa: S608 - column names and states are constants of this module


def _mark(column: str, moment_column: str, now) -> list[tuple[int, int, int | None, int]]:
    """Set ``column = now`` on open tasks whose ``moment_column`` has passed; return
    (task id, organisation id, person id, case id) of exactly the rows this call marked."""
    with connection.cursor() as cursor:
        cursor.execute(sweep_sql(column, moment_column), [now, now])  # moment <= now; set now
        return cursor.fetchall()


#: The three steps of a sweep, in order: (marker column, moment column, the partial index made
#: for the step in ``workflows.tasks.models``).
STEPS = (
    ("reminded_at", "remind_at", "task_remind_idx"),
    ("overdue_at", "deadline", "task_due_idx"),
    ("regie_escalated_at", "regie_escalate_at", "task_regie_idx"),
)


def sweep_deadlines(now=None) -> SweepResult:
    """Remind, mark overdue and escalate, once each, for all open tasks whose moment came."""
    now = now or timezone.now()
    with transaction.atomic():
        reminded, overdue, escalated = (_mark(column, moment, now) for column, moment, _ in STEPS)
        _notify_assignees(
            reminded,
            "Herinnering: een taak van uw organisatie nadert de deadline",
            NotificationKind.DEADLINE,
        )
        _notify_assignees(
            overdue, "Een taak van uw organisatie is over de deadline", NotificationKind.OVERDUE
        )
        _notify_directors(overdue, "Taak over de deadline", NotificationKind.OVERDUE)
        _notify_regie(escalated)
    return SweepResult(len(reminded), len(overdue), len(escalated))


def _workers_by_organisation(organisation_ids) -> dict[int, list[int]]:
    workers: dict[int, list[int]] = defaultdict(list)
    rows = (
        task_workers()
        .filter(organisation_id__in=organisation_ids)
        .values_list("organisation_id", "pk")
        .distinct()
    )
    for organisation_id, user_id in rows:
        workers[organisation_id].append(user_id)
    return workers


def _create(pairs: list[tuple[int, str, str]], kind: str) -> None:
    """Notifications (recipient, message, url): one INSERT, e-mails queued, pushed live."""
    notify_each(pairs, kind=kind)


def _task_url(task_id: int) -> str:
    return reverse("workflows:task-detail", args=[task_id])


def _notify_assignees(rows, message: str, kind: str) -> None:
    if not rows:
        return
    workers = _workers_by_organisation({org for _t, org, _p, _c in rows})
    pairs = []
    for task_id, organisation_id, person_id, _case in rows:
        recipients = [person_id] if person_id else workers.get(organisation_id, [])
        pairs += [(r, message, _task_url(task_id)) for r in recipients]
    _create(pairs, kind)


def _notify_directors(rows, message: str, kind: str) -> None:
    if not rows:
        return
    directors = list(
        User.objects.filter(roles__code=Role.PROCESS_DIRECTOR, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    _create([(d, message, _task_url(t)) for t, _o, _p, _c in rows for d in directors], kind)


def _notify_regie(rows) -> None:
    """Tell the organisation's contact person for the regiegroep (a queued e-mail with only a
    link), and the procesregisseurs in IJAM."""
    if not rows:
        return
    app.configure_task(REGIE_EMAIL_JOB).batch_defer(*({"task_id": row[0]} for row in rows))
    _notify_directors(rows, "Taak geëscaleerd naar de regiegroep", NotificationKind.OVERDUE)
