# SPDX-License-Identifier: AGPL-3.0-or-later
"""/healthz: is the database reachable, are migrations applied, is the worker alive, and does
IJAM run as a role that cannot rewrite the audit trail (ADR 0002)?"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return False, type(exc).__name__


def _check_migrations() -> tuple[bool, str]:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return (not plan), ("ok" if not plan else f"{len(plan)} niet toegepast")


def _role_warnings() -> list[str]:
    """What is wrong with the database role, by code only: /healthz is public, so it names
    neither the role nor the tables (the system check does)."""
    from ijam.database_roles import role_problems

    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        return sorted({problem.code for problem in role_problems(cursor)})


def _worker_age() -> float | None:
    from workflows.models import WorkerHeartbeat

    beat = WorkerHeartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    return None if beat is None else (timezone.now() - beat).total_seconds()


def _email_trouble() -> tuple[int, int]:
    from notifications.models import EmailState, Notification

    counts = dict(
        Notification.objects.filter(email_state__in=[EmailState.UNCERTAIN, EmailState.FAILED])
        .values_list("email_state")
        .annotate(n=Count("pk"))
    )
    return counts.get(EmailState.UNCERTAIN, 0), counts.get(EmailState.FAILED, 0)


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = _check_database()
    status: dict = {"database": db_detail}
    ok = db_ok
    if db_ok:
        migrations_ok, migrations_detail = _check_migrations()
        status["migrations"] = migrations_detail
        ok = ok and migrations_ok
        age = _worker_age() if migrations_ok else None
        status["worker_heartbeat_age_seconds"] = None if age is None else round(age, 1)
        worker_ok = age is not None and age <= settings.IJAM_WORKER_MAX_HEARTBEAT_AGE
        status["worker"] = "ok" if worker_ok else "geen recente heartbeat"
        ok = ok and worker_ok
        # A warning, not a failure: the application works, but its audit trail is not safe.
        role_warnings = _role_warnings()
        status["database_role"] = "ok" if not role_warnings else "waarschuwing"
        if role_warnings:
            status["database_role_warnings"] = role_warnings
        if migrations_ok:  # e-mails whose delivery needs a look (ADR 0024), as counts
            status["emails_uncertain"], status["emails_failed"] = _email_trouble()
    status["status"] = "ok" if ok else "fout"
    return JsonResponse(status, status=200 if ok else 503)
