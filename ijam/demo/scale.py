# SPDX-License-Identifier: AGPL-3.0-or-later
"""Scale data for benchmarks: many youths with cases, signals and a genuine audit chain.

The demo generator (``seed_demo``) goes through the real services so its history is what
users would have made. At 100,000 youths that is too slow, so this module writes the same
shapes with bulk inserts: rows are built in Python and inserted with ``bulk_create`` in
batches; the audit events are hash-chained exactly as ``audit_record`` would chain them, so
``verify_audit_chain`` passes on the result.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from casebook.models import (
    AuditEvent,
    Case,
    CaseInvolvement,
    ClosureReason,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Role,
    Signal,
    SignalCategory,
    User,
    Youth,
)
from casebook.models.audit import normalise
from casebook.models.youths import normalise_name
from workflows.ladder.machine import AWAITING, CLOSED, JONGE_AANWAS, NETWERKOVERLEG, PGA, CaseState

LEVEL_LABELS = dict(CaseState.choices)
# Share of cases per state at the end of the generated history.
STATE_WEIGHTS = {AWAITING: 6, NETWERKOVERLEG: 38, JONGE_AANWAS: 18, PGA: 8, CLOSED: 30}
BATCH = 5000


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[float(weights[k]) for k in keys])[0]


def generate(
    count: int, *, seed: int = 2026, progress: Callable[[str], None] = lambda _m: None
) -> None:
    """Add ``count`` youths, each with one case and 1–3 signals, and their audit events."""
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("nl_NL")
    Faker.seed(seed)
    neighbourhoods = list(Neighbourhood.objects.exclude(district__code="HEUVELLAND"))
    weights = {n: float(n.risk_weight) or 0.1 for n in neighbourhoods}
    categories = list(SignalCategory.objects.filter(is_active=True))
    reasons = list(
        ClosureReason.objects.filter(is_active=True).exclude(
            code=ClosureReason.DUPLICATE_REGISTRATION  # given by linking a duplicate only
        )
    )
    zvh = Organisation.objects.get(kind=OrganisationKind.ZVH, is_active=True)
    director = User.objects.filter(roles__code=Role.PROCESS_DIRECTOR).first()
    reporters = list(User.objects.filter(roles__code=Role.PARTNER).select_related("organisation"))
    if not (neighbourhoods and categories and reasons and director and reporters):
        raise RuntimeError("Laad eerst de demo-gegevens (seed_demo) voor de schaalgegevens.")
    first_names = [fake.first_name() for _ in range(400)]
    last_names = [fake.last_name() for _ in range(800)]
    now = timezone.now()
    today = timezone.localdate()

    pool = _Pool(
        rng,
        first_names,
        last_names,
        weights,
        categories,
        reasons,
        zvh,
        director,
        reporters,
        now,
        today,
    )
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        with transaction.atomic():
            _batch(size, pool)
        done += size
        progress(f"{done}/{count} jongeren")


@dataclass(frozen=True)
class _Pool:
    """What every batch draws from."""

    rng: random.Random
    first_names: list
    last_names: list
    weights: dict
    categories: list
    reasons: list
    zvh: Organisation
    director: User
    reporters: list
    now: dt.datetime
    today: dt.date


def _batch(size: int, pool: _Pool) -> None:
    rng, first_names, last_names = pool.rng, pool.first_names, pool.last_names
    weights, categories, reasons = pool.weights, pool.categories, pool.reasons
    zvh, director, reporters, now, today = (
        pool.zvh,
        pool.director,
        pool.reporters,
        pool.now,
        pool.today,
    )
    youths = []
    for _ in range(size):
        first, last = rng.choice(first_names), rng.choice(last_names)
        age = rng.choices(range(8, 28), weights=[1] * 5 + [3] * 5 + [2] * 10)[0]
        born = today - dt.timedelta(days=age * 365 + rng.randrange(0, 360))
        registered = today - dt.timedelta(days=rng.randrange(0, 365))
        youths.append(
            Youth(
                first_name=first,
                last_name=last,
                date_of_birth=born,
                neighbourhood=_weighted(rng, weights),
                registered_on=registered,
                search_name=normalise_name(first, last),
            )
        )
    Youth.objects.bulk_create(youths, batch_size=BATCH)

    cases, plans = [], []
    for youth in youths:
        opened = timezone.make_aware(
            dt.datetime.combine(youth.registered_on, dt.time(9))
            + dt.timedelta(minutes=rng.randrange(0, 480))
        )
        state = _weighted(rng, STATE_WEIGHTS)
        path = _path_to(state, rng)
        changed = opened + dt.timedelta(days=rng.randrange(1, 30)) if path else opened
        closed_at = changed if state == CLOSED else None
        case = Case(
            youth=youth,
            coordinator_organisation=zvh,
            opened_at=opened,
            level_changed_at=min(changed, now),
            closed_at=closed_at and min(closed_at, now),
            closure_reason=rng.choice(reasons) if state == CLOSED else None,
            version=1 + len(path),
        )
        case.__dict__["level"] = state  # bulk creation of historical rows bypasses the machine
        cases.append(case)
        plans.append((opened, path))
    Case.objects.bulk_create(cases, batch_size=BATCH)

    signals, involvements, events = [], [], []
    for case, (opened, path) in zip(cases, plans, strict=True):
        involvements.append(
            CaseInvolvement(case=case, organisation=zvh, reason="coordinator", since=opened)
        )
        seen_orgs = set()
        for i in range(rng.choice((1, 1, 1, 2, 2, 3))):
            reporter = rng.choice(reporters)
            received = opened + dt.timedelta(days=i * rng.randrange(1, 20))
            status = "received" if case.level == AWAITING else "taken_up"
            signal = Signal(
                youth=case.youth,
                case=case,
                category=rng.choice(categories),
                description="Schaalgegevens: signaal voor benchmarks.",
                reporter=reporter,
                reporter_organisation=reporter.organisation,
                received_at=received,
                status_changed_at=received,
            )
            signal.__dict__["status"] = status
            signals.append(signal)
            if reporter.organisation_id not in seen_orgs:
                seen_orgs.add(reporter.organisation_id)
                involvements.append(
                    CaseInvolvement(
                        case=case,
                        organisation=reporter.organisation,
                        reason="reporter",
                        since=received,
                    )
                )
        events.append(_event(director, "case.opened", case, opened, None, {"niveau": AWAITING}))
        source, at = AWAITING, opened
        for name, target in path:
            at = at + dt.timedelta(days=rng.randrange(1, 40))
            events.append(
                _event(
                    director,
                    f"case.{name}",
                    case,
                    min(at, now),
                    {"niveau": source, "niveau_naam": LEVEL_LABELS[source]},
                    {"niveau": target, "niveau_naam": LEVEL_LABELS[target]},
                    reason="Besluit casustafel (schaalgegevens)",
                )
            )
            source = target
    Signal.objects.bulk_create(signals, batch_size=BATCH)
    CaseInvolvement.objects.bulk_create(involvements, batch_size=BATCH, ignore_conflicts=True)
    _append_chain(events)


def _path_to(state: str, rng: random.Random) -> list[tuple[str, str]]:
    """A plausible sequence of moves ending in ``state``."""
    if state == AWAITING:
        return []
    if state == CLOSED:
        if rng.random() < 0.2:
            return [("screen_out", CLOSED)]
        return [*_path_to(rng.choice((NETWERKOVERLEG, JONGE_AANWAS, PGA)), rng), ("close", CLOSED)]
    levels = (NETWERKOVERLEG, JONGE_AANWAS, PGA)
    entry = state if rng.random() < 0.6 else rng.choice(levels)
    order = {level: i for i, level in enumerate(levels)}
    path = [("screen_in", entry)]
    if order[entry] < order[state]:
        path.append(("escalate", state))
    elif order[entry] > order[state]:
        path.append(("deescalate", state))
    return path


def _event(actor, action, case, at, before, after, reason=""):
    return AuditEvent(
        occurred_at=at,
        kind=AuditEvent.Kind.WRITE,
        actor=actor,
        actor_organisation_id=actor.organisation_id,
        actor_label=f"{actor.get_full_name()} (schaalgegevens)",
        action=action,
        object_type="casebook.case",
        object_id=str(case.pk),
        case=case,
        youth=case.youth,
        reason=reason,
        before=normalise(before),
        after=normalise(after),
    )


def _append_chain(events: list[AuditEvent]) -> None:
    """Insert events oldest first; the chain trigger links each to its predecessor when the
    transaction commits."""
    events.sort(key=lambda e: e.occurred_at)
    for event in events:
        event.seal()
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)


def generate_tasks(count: int, *, organisation_open: int, organisation_id: int, seed: int = 7):
    """Add ``count`` open partner tasks (viewflow process, work task and task row each) in a
    few set-based statements; ``organisation_open`` of them belong to ``organisation_id``.

    Deadlines spread from 60 days ago to 60 days ahead; moments already passed count as
    handled (as if the worker had been running), so a sweep sees only what is newly due. The
    other tasks go to organisations with task workers only, as every real task does.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef

    from casebook.selectors.people import task_workers
    from workflows.tasks.models import TaskType

    org_ct = ContentType.objects.get(app_label="casebook", model="organisation").pk
    director = User.objects.filter(roles__code=Role.PROCESS_DIRECTOR).values_list("pk", flat=True)
    type_ids = list(TaskType.objects.values_list("pk", flat=True))
    staffed = Exists(task_workers().filter(organisation=OuterRef("pk")))
    other_orgs = list(
        Organisation.objects.filter(staffed)
        .exclude(pk=organisation_id)
        .values_list("pk", flat=True)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed / 1000])
        cursor.execute(
            """
            CREATE TEMP TABLE scale_tasks ON COMMIT DROP AS
            SELECT g AS n,
                   now() + (random() * 120 - 60) * interval '1 day' AS deadline,
                   CASE WHEN g <= %(own)s THEN %(org)s
                        ELSE (%(others)s::bigint[])[1 + floor(random() * %(n_others)s)::int]
                   END AS organisation_id,
                   (%(types)s::bigint[])[1 + floor(random() * %(n_types)s)::int] AS task_type_id,
                   (SELECT min(id) FROM casebook_case)
                     + floor(random() * (SELECT max(id) - min(id) FROM casebook_case))::bigint
                     AS case_guess
              FROM generate_series(1, %(count)s) g
            """,
            {
                "own": organisation_open,
                "org": organisation_id,
                "others": other_orgs,
                "n_others": len(other_orgs),
                "types": type_ids,
                "n_types": len(type_ids),
                "count": count,
            },
        )
        cursor.execute("ALTER TABLE scale_tasks ADD COLUMN process_id bigint")
        cursor.execute(
            "UPDATE scale_tasks "
            "SET process_id = nextval(pg_get_serial_sequence('viewflow_process', 'id'))"
        )
        cursor.execute(
            """
            INSERT INTO viewflow_process (id, flow_class, status, created, data)
                 SELECT process_id, 'workflows/flows.PartnerTaskFlow', 'NEW', now(), '{}'::jsonb
                   FROM scale_tasks
            """
        )
        cursor.execute(
            """
            INSERT INTO viewflow_task (flow_task, flow_task_type, status, created, token,
                                       owner_permission, owner_permission_content_type_id,
                                       owner_permission_obj_pk, process_id, data)
                 SELECT 'workflows/flows.PartnerTaskFlow.work', 'HUMAN', 'NEW', now(), 'start',
                        'workflows.work_on_task', %s, organisation_id::text, process_id,
                        '{}'::jsonb
                   FROM scale_tasks
            """,
            [org_ct],
        )
        cursor.execute(
            """
            INSERT INTO workflows_partnertask (process_ptr_id, instruction, deadline, state,
                        result, closing_reason, remind_at, regie_escalate_at, reminded_at,
                        overdue_at, regie_escalated_at, version, level_flow, case_id,
                        created_by_id, organisation_id, task_type_id)
                 SELECT s.process_id, 'Schaalgegevens: taak voor benchmarks', s.deadline, 'open',
                        '', '', s.deadline - interval '2 days', s.deadline + interval '7 days',
                        CASE WHEN s.deadline - interval '2 days' <= now() THEN now() END,
                        CASE WHEN s.deadline <= now() THEN now() END,
                        CASE WHEN s.deadline + interval '7 days' <= now() THEN now() END,
                        1, '', c.id, %s, s.organisation_id, s.task_type_id
                   FROM scale_tasks s
                   JOIN LATERAL (SELECT id FROM casebook_case WHERE id >= s.case_guess
                                  ORDER BY id LIMIT 1) c ON true
            """,
            [director[0]],
        )
        cursor.execute("ANALYZE viewflow_process, viewflow_task, workflows_partnertask")
