# SPDX-License-Identifier: AGPL-3.0-or-later
"""Retention: what has passed its term is anonymised or removed, daily (ADR 0020).

What has expired, and the dry run ``retention_plan(now)``, are reads
(``casebook.selectors.retention``). ``retention_run(now)`` does it, in batches of
``IJAM_RETENTION_BATCH`` rows, each batch its own transaction that locks its rows in the
order of ``casebook.locks``.
A run is idempotent (what it anonymised is marked ``anonymised_at`` and never counted again)
and ends with one ``RetentionRun`` row and one audit event holding the counts, never a name.

What stays is what the steering group's counts need: the rows of cases, signals, groups,
members and youths with their levels, statuses, dates, organisations, categories, tiers and
neighbourhood; a youth keeps its birth year (age bands). What goes: names, the exact birth
date, family links, every free text about the youth (signal descriptions and feedback, plan
goals, minutes summaries and decisions' grounds, task instructions and results, the group's
duiding, notes and reasons, emergency-access reasons), and the personal payload (reason,
before, after) of every audit event about an anonymised youth, case, signal or group: through
the one UPDATE the audit trail allows (migration 0031), so each event keeps its place, seal and
link and ``verify_audit_chain`` still passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from casebook.locks import for_update
from casebook.models import (
    AuditAction,
    AuditEvent,
    Case,
    EmergencyAccess,
    FamilyLink,
    Group,
    GroupNote,
    GroupPlanAction,
    GroupStepDecision,
    GroupTierChange,
    KeptLadderMove,
    PlanGoal,
    RetentionRun,
    Signal,
    Youth,
)
from casebook.models.retention import LADDER_MOVE_ACTIONS
from casebook.selectors.retention import (
    expired_account_requests,
    expired_audit_payloads,
    expired_cases,
    expired_emergency_accesses,
    expired_groups,
    expired_login_records,
    expired_notifications,
    expired_signals,
    expired_youths,
)
from casebook.services.audit import audit_record
from casebook.services.processing import prune_expired
from workflows.meetings.models import Decision, MinutesItem
from workflows.tasks.models import PartnerTask

#: How an anonymised youth is named on every page that still shows the record.
ANONYMOUS_NAME = "Geanonimiseerd"


# --- The run -------------------------------------------------------------------------------------


def _batches(select: Callable[[], models.QuerySet], apply: Callable[[list], int]) -> int:
    """Lock and change rows ``select()`` finds, a batch per transaction, until none is left.
    ``apply`` gets the locked rows and returns how many it anonymised or removed."""
    size = settings.IJAM_RETENTION_BATCH
    done = 0
    while True:
        with transaction.atomic():
            rows = list(for_update(select().order_by("pk"))[:size])
            if not rows:
                return done
            done += apply(rows)


def _anonymise_cases(cases: list[Case], now: dt.datetime) -> int:
    ids = [case.pk for case in cases]
    PlanGoal.objects.filter(case__in=ids).update(goal="")
    items = MinutesItem.objects.filter(case__in=ids)
    items.exclude(summary="").update(summary="")
    Decision.objects.filter(item__in=items).exclude(reason="").update(reason="")
    _empty_tasks(PartnerTask.objects.filter(case__in=ids))
    return Case.objects.filter(pk__in=ids).update(anonymised_at=now, version=F("version") + 1)


def _empty_tasks(tasks: models.QuerySet) -> None:
    tasks.update(instruction="", result="", closing_reason="")


def _empty_emergency_accesses(accesses: list[EmergencyAccess]) -> int:
    ids = [access.pk for access in accesses]
    return EmergencyAccess.objects.filter(pk__in=ids).update(
        reason="", review_note="", version=F("version") + 1
    )


def _anonymise_signals(signals: list[Signal], now: dt.datetime) -> int:
    return Signal.objects.filter(pk__in=[s.pk for s in signals]).update(
        description="", feedback="", anonymised_at=now, version=F("version") + 1
    )


def _anonymise_groups(groups: list[Group], now: dt.datetime) -> int:
    ids = [group.pk for group in groups]
    done = Group.objects.filter(pk__in=ids).update(
        # The name is unique: "Groep <id> (geanonimiseerd)" keeps it so, in one statement.
        name=Concat(Value("Groep "), Cast("pk", models.CharField()), Value(" (geanonimiseerd)")),
        hotspots="",
        dynamics="",
        roles_description="",
        context="",
        plan_goals="",
        evaluation="",
        anonymised_at=now,
        version=F("version") + 1,
    )
    GroupNote.objects.filter(group__in=ids).update(text="")
    GroupStepDecision.objects.filter(group__in=ids).update(reason="")
    GroupTierChange.objects.filter(member__group__in=ids).update(reason="")
    GroupPlanAction.objects.filter(group__in=ids).update(description="")
    _empty_tasks(PartnerTask.objects.filter(group__in=ids))
    return done


def _anonymise_youths(youths: list[Youth], now: dt.datetime) -> int:
    # Asked again now that the rows are locked: a signal registered for one of them while the
    # batch waited for its lock is visible to this new statement, and keeps the youth.
    still = set(
        expired_youths(now).filter(pk__in=[y.pk for y in youths]).values_list("pk", flat=True)
    )
    youths = [youth for youth in youths if youth.pk in still]
    if not youths:
        return 0
    FamilyLink.objects.filter(youth__in=[y.pk for y in youths]).delete()
    for youth in youths:
        # The birth year stays (age bands); 1 July is the middle of it.
        youth.first_name = ANONYMOUS_NAME
        youth.last_name_prefix = ""
        youth.last_name = ""
        youth.search_name = ""
        youth.date_of_birth = dt.date(youth.date_of_birth.year, 7, 1)
        youth.anonymised_at = now
    fields = ["first_name", "last_name_prefix", "last_name", "search_name", "date_of_birth"]
    return Youth.objects.bulk_update(youths, [*fields, "anonymised_at"])


def _remove_payloads(events: list[AuditEvent], now: dt.datetime) -> int:
    """The audit trail's one allowed change (migration 0032): empty the payload, mark it.
    A ladder move keeps its two level codes in a table of their own first."""
    moves = [
        KeptLadderMove(
            event_id=e.pk,
            from_level=str((e.before or {}).get("niveau") or "")[:40],
            to_level=str((e.after or {}).get("niveau") or "")[:40],
        )
        for e in events
        if e.action in LADDER_MOVE_ACTIONS and e.payload_removed_at is None and e.key_id
    ]
    KeptLadderMove.objects.bulk_create(moves, ignore_conflicts=True)
    return (
        AuditEvent.objects.filter(pk__in=[e.pk for e in events], payload_removed_at__isnull=True)
        .exclude(key_id="")
        .update(reason="", before=None, after=None, payload_removed_at=now)
    )


def _delete(querysets: list[models.QuerySet]) -> int:
    """Delete the rows (small tables: Django's delete, which follows their own relations);
    how many rows of the querysets' own models went."""
    done = 0
    for queryset in querysets:
        with transaction.atomic():
            _total, per_model = queryset.delete()
            done += per_model.get(queryset.model._meta.label, 0)
    return done


def retention_run(*, now: dt.datetime, trigger: str = RetentionRun.Trigger.JOB) -> RetentionRun:
    """Anonymise or remove everything past its term at ``now`` (see the module). Batches of
    ``IJAM_RETENTION_BATCH`` rows, each its own transaction locking its rows (groups, youths,
    cases, signals: the order of ``casebook.locks``); a run that stops half-way leaves every
    batch done or not, and the next run picks up the rest. Ends with a ``RetentionRun`` and
    the audit event ``retention.run``, both with counts only. Returns the run."""
    started = now
    counts: dict[str, int] = {}
    counts["group"] = _batches(lambda: expired_groups(now), lambda g: _anonymise_groups(g, now))
    counts["closed_case"] = _batches(lambda: expired_cases(now), lambda c: _anonymise_cases(c, now))
    counts["emergency_access"] = _batches(
        lambda: expired_emergency_accesses(now), _empty_emergency_accesses
    )
    counts["signal"] = _batches(lambda: expired_signals(now), lambda s: _anonymise_signals(s, now))
    counts["youth"] = _batches(lambda: expired_youths(now), lambda y: _anonymise_youths(y, now))
    counts["audit_payload"] = _batches(
        lambda: expired_audit_payloads(now), lambda e: _remove_payloads(e, now)
    )
    counts["processing_log"] = prune_expired(now=now, batch_size=settings.IJAM_RETENTION_BATCH)
    counts["notification"] = _delete([expired_notifications(now)])
    counts["login_record"] = _delete(expired_login_records(now))
    account = 0
    with transaction.atomic():
        grants, resets = expired_account_requests(now)
        account += grants.update(reason="")
        account += resets.update(request_reason="", reason="")
    counts["account_request"] = account
    with transaction.atomic():
        run = RetentionRun.objects.create(
            started_at=started, finished_at=timezone.now(), trigger=trigger, counts=counts
        )
        audit_record(actor=None, action=AuditAction.RETENTION_RUN, obj=run, after=counts)
    return run
