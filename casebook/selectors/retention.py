# SPDX-License-Identifier: AGPL-3.0-or-later
"""What has passed its retention term, and what the next run would do (ADR 0020). Reads only.

The terms are settings (``IJAM_RETENTION_*``), the processing log's the register's
(``ProcessingActivity.retention_months``). ``retention_plan(now)`` is the dry run: per record
type how many rows a run at ``now`` would anonymise or remove, and their ids (log lines and
log-in records are counted only). ``casebook.services.retention`` does it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast

from casebook.models import (
    AuditEvent,
    Case,
    EmergencyAccess,
    FamilyLink,
    Group,
    GroupMember,
    ProcessingActivity,
    ProcessingLogLine,
    RetentionRun,
    RoleGrant,
    SecondFactorReset,
    Signal,
    Youth,
)
from casebook.models.signals import SignalStatus
from notifications.models import Notification
from workflows.groups.steps import GroupStep
from workflows.ladder.machine import CLOSED, OPEN_STATES
from workflows.tasks.models import PartnerTask


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` less ``months`` calendar months (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def expired_lines(now: dt.datetime):
    """The log lines past the term of the activity version they were written under: started
    more than its ``retention_months`` before ``now``. One range per term (few), each on the
    BRIN index of ``start_time``."""
    terms: dict[int, list[int]] = {}
    for pk, months in ProcessingActivity.objects.values_list("pk", "retention_months"):
        terms.setdefault(months, []).append(pk)
    condition = models.Q(pk__in=[])
    for months, activity_ids in terms.items():
        condition |= models.Q(
            processing_activity_id__in=activity_ids, start_time__lt=months_before(now, months)
        )
    return ProcessingLogLine.objects.filter(condition)


@dataclass(frozen=True)
class RecordType:
    code: str
    label: str  # Dutch, for the page and the command
    term: str  # Dutch: the term and from when it counts


def record_types() -> tuple[RecordType, ...]:
    """Every kind of record the job removes or anonymises, with its term as configured."""
    s = settings
    return (
        RecordType(
            "closed_case",
            "Afgesloten casussen",
            f"{_months(s.IJAM_RETENTION_CLOSED_CASE_MONTHS)} na het afsluiten "
            f"(niet ingestroomd na screening: {_months(s.IJAM_RETENTION_SIGNAL_MONTHS)})",
        ),
        RecordType(
            "signal",
            "Signalen",
            f"niet opgepakt: {_months(s.IJAM_RETENTION_SIGNAL_MONTHS)} na het besluit; "
            "opgepakt: met de casus",
        ),
        RecordType(
            "group",
            "Afgesloten groepsaanpakken",
            f"{_months(s.IJAM_RETENTION_GROUP_MONTHS)} na het afsluiten",
        ),
        RecordType(
            "youth",
            "Jongeren (naam, geboortedatum, familierelaties)",
            "zodra geen casus, signaal of groepslidmaatschap binnen zijn termijn meer bestaat",
        ),
        RecordType(
            "emergency_access",
            "Redenen van doorbraken",
            "met de casus waarop de doorbraak was",
        ),
        RecordType(
            "audit_payload",
            "Persoonsgegevens in de audittrail (toelichting, oud, nieuw)",
            "met de jongere, casus, signaal of groep waarover de gebeurtenis gaat; de "
            "gebeurtenis zelf, haar plaats en zegel blijven",
        ),
        RecordType(
            "processing_log",
            "Regels in het verwerkingenlogboek",
            "de bewaartermijn van de verwerkingsactiviteit in het register",
        ),
        RecordType(
            "notification",
            "Meldingen in IJAM",
            f"{_months(s.IJAM_RETENTION_NOTIFICATION_MONTHS)} na het aanmaken",
        ),
        RecordType(
            "login_record",
            "Mislukte inlogpogingen (gebruikersnaam, IP-adres) en verlopen sessies",
            f"pogingen {_months(s.IJAM_RETENTION_LOGIN_MONTHS)}; sessies zodra ze verlopen zijn",
        ),
        RecordType(
            "account_request",
            "Toelichtingen bij roltoekenningen en herstel van de tweede factor",
            f"{_months(s.IJAM_RETENTION_ACCOUNT_REQUEST_MONTHS)} na het besluit",
        ),
    )


def _months(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} jaar"
    return f"{months} {'maand' if months == 1 else 'maanden'}"


# --- What has expired (reads only) --------------------------------------------------------------


@dataclass(frozen=True)
class Cutoffs:
    """Records that ended before these moments have passed their term."""

    case: dt.datetime
    signal: dt.datetime
    group: dt.datetime
    notification: dt.datetime
    login: dt.datetime
    account_request: dt.datetime

    @classmethod
    def at(cls, now: dt.datetime) -> Cutoffs:
        s = settings
        return cls(
            case=months_before(now, s.IJAM_RETENTION_CLOSED_CASE_MONTHS),
            signal=months_before(now, s.IJAM_RETENTION_SIGNAL_MONTHS),
            group=months_before(now, s.IJAM_RETENTION_GROUP_MONTHS),
            notification=months_before(now, s.IJAM_RETENTION_NOTIFICATION_MONTHS),
            login=months_before(now, s.IJAM_RETENTION_LOGIN_MONTHS),
            account_request=months_before(now, s.IJAM_RETENTION_ACCOUNT_REQUEST_MONTHS),
        )


def expired_cases(now: dt.datetime) -> models.QuerySet[Case]:
    """Closed cases past their term and not yet anonymised. A case that never reached the
    ladder (screened out: it has signals, none taken up) has the signal's term; any other
    case the closed case's."""
    cut = Cutoffs.at(now)
    signals = Signal.objects.filter(case=OuterRef("pk"))
    screened_out = Exists(signals) & ~Exists(signals.filter(status=SignalStatus.TAKEN_UP))
    return Case.objects.filter(level=CLOSED, anonymised_at__isnull=True).filter(
        (screened_out & Q(closed_at__lt=cut.signal)) | (~screened_out & Q(closed_at__lt=cut.case))
    )


def expired_signals(now: dt.datetime) -> models.QuerySet[Signal]:
    """Signals not taken up and past the signal term, and every signal of a case that expires
    or was anonymised (a signal taken up follows its case)."""
    cut = Cutoffs.at(now)
    gone_cases = Case.objects.filter(
        Q(anonymised_at__isnull=False) | Q(pk__in=expired_cases(now).values("pk"))
    )
    return Signal.objects.filter(anonymised_at__isnull=True).filter(
        Q(status=SignalStatus.NOT_TAKEN_UP, status_changed_at__lt=cut.signal)
        | Q(case__in=gone_cases.values("pk"))
    )


def expired_groups(now: dt.datetime) -> models.QuerySet[Group]:
    """Closed group approaches (step 7 or 2A) past their term, not yet anonymised."""
    cut = Cutoffs.at(now)
    return Group.objects.filter(
        step=GroupStep.CLOSED, anonymised_at__isnull=True, step_changed_at__lt=cut.group
    )


def expired_youths(now: dt.datetime) -> models.QuerySet[Youth]:
    """Youths with nothing left in its term: every case, signal and group membership of theirs
    is anonymised or expires now. A youth a relative's open case names as family stays, so
    the system approach keeps its picture; one registered within the signal term always
    stays (nothing of theirs can have expired yet)."""
    cut = Cutoffs.at(now)
    live_cases = Case.objects.filter(youth=OuterRef("pk"), anonymised_at__isnull=True).exclude(
        pk__in=expired_cases(now).values("pk")
    )
    live_signals = Signal.objects.filter(youth=OuterRef("pk"), anonymised_at__isnull=True).exclude(
        pk__in=expired_signals(now).values("pk")
    )
    live_memberships = GroupMember.objects.filter(
        youth=OuterRef("pk"), group__anonymised_at__isnull=True
    ).exclude(group__in=expired_groups(now).values("pk"))
    named_by_open_case = FamilyLink.objects.filter(
        related_youth=OuterRef("pk"), youth__cases__level__in=OPEN_STATES
    )
    return Youth.objects.filter(
        anonymised_at__isnull=True, registered_on__lt=cut.signal.date()
    ).filter(
        ~Exists(live_cases),
        ~Exists(live_signals),
        ~Exists(live_memberships),
        ~Exists(named_by_open_case),
    )


def expired_emergency_accesses(now: dt.datetime) -> models.QuerySet[EmergencyAccess]:
    """Emergency accesses with a reason left, on a case that expires or was anonymised."""
    gone = Q(case__anonymised_at__isnull=False) | Q(case__in=expired_cases(now).values("pk"))
    return EmergencyAccess.objects.filter(gone).exclude(reason="", review_note="")


def expired_audit_payloads(now: dt.datetime) -> models.QuerySet[AuditEvent]:
    """Events with a payload left about a youth, case, signal or group (or a task of the
    group) that is anonymised or expires now. Events from before keys (``key_id`` empty) keep
    their payload: their plain hash covers it, so it cannot go without breaking the chain
    (ADR 0020)."""
    youths = Youth.objects.filter(
        Q(anonymised_at__isnull=False) | Q(pk__in=expired_youths(now).values("pk"))
    )
    cases = Case.objects.filter(
        Q(anonymised_at__isnull=False) | Q(pk__in=expired_cases(now).values("pk"))
    )
    signals = Signal.objects.filter(
        Q(anonymised_at__isnull=False) | Q(pk__in=expired_signals(now).values("pk"))
    )
    gone_groups = Group.objects.filter(
        Q(anonymised_at__isnull=False) | Q(pk__in=expired_groups(now).values("pk"))
    )
    groups = gone_groups.annotate(text_id=Cast("pk", models.CharField())).values("text_id")
    # A task of a group as a whole names no youth or case: its events are found by the task.
    group_tasks = (
        PartnerTask.objects.filter(group__in=gone_groups.values("pk"))
        .annotate(text_id=Cast("pk", models.CharField()))
        .values("text_id")
    )
    return (
        AuditEvent.objects.filter(payload_removed_at__isnull=True)
        .exclude(key_id="")
        .filter(
            Q(youth__in=youths.values("pk"))
            | Q(case__in=cases.values("pk"))
            | Q(signal__in=signals.values("pk"))
            | Q(object_type="casebook.group", object_id__in=groups)
            | Q(object_type="workflows.partnertask", object_id__in=group_tasks)
        )
    )


def expired_notifications(now: dt.datetime) -> models.QuerySet[Notification]:
    return Notification.objects.filter(created_at__lt=Cutoffs.at(now).notification)


def expired_login_records(now: dt.datetime) -> list[models.QuerySet]:
    cut = Cutoffs.at(now).login
    return [
        AccessAttempt.objects.filter(attempt_time__lt=cut),
        AccessFailureLog.objects.filter(attempt_time__lt=cut),
        AccessLog.objects.filter(attempt_time__lt=cut),
        Session.objects.filter(expire_date__lt=now),
    ]


def expired_account_requests(now: dt.datetime) -> list[models.QuerySet]:
    cut = Cutoffs.at(now).account_request
    return [
        RoleGrant.objects.filter(decided_at__lt=cut).exclude(reason=""),
        SecondFactorReset.objects.filter(decided_at__lt=cut).exclude(request_reason="", reason=""),
    ]


# --- The plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    record_type: RecordType
    count: int
    ids: tuple[int, ...] | None  # None: counted only (log lines, log-in records; the page)

    @property
    def code(self) -> str:
        return self.record_type.code


@dataclass(frozen=True)
class RetentionPlan:
    now: dt.datetime
    lines: tuple[PlanLine, ...]

    def count(self, code: str) -> int:
        return next(line.count for line in self.lines if line.code == code)

    def ids(self, code: str) -> tuple[int, ...] | None:
        return next(line.ids for line in self.lines if line.code == code)

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)


def _ids(queryset: models.QuerySet) -> tuple[int, ...]:
    return tuple(queryset.order_by("pk").values_list("pk", flat=True))


def retention_plan(now: dt.datetime, *, with_ids: bool = True) -> RetentionPlan:
    """What a run at ``now`` would anonymise or remove, per record type. Reads only. Without
    ids (the page: counts only) each type is one COUNT, however many rows have expired."""
    found: dict[str, tuple[int, tuple[int, ...] | None]] = {}
    for code, queryset in (
        ("closed_case", expired_cases(now)),
        ("signal", expired_signals(now)),
        ("group", expired_groups(now)),
        ("youth", expired_youths(now)),
        ("emergency_access", expired_emergency_accesses(now)),
        ("audit_payload", expired_audit_payloads(now)),
        ("notification", expired_notifications(now)),
    ):
        if with_ids:
            ids = _ids(queryset)
            found[code] = (len(ids), ids)
        else:
            found[code] = (queryset.count(), None)
    found["processing_log"] = (expired_lines(now).count(), None)
    found["login_record"] = (sum(q.count() for q in expired_login_records(now)), None)
    account = expired_account_requests(now)
    found["account_request"] = (sum(q.count() for q in account), None)
    lines = tuple(PlanLine(rt, *found[rt.code]) for rt in record_types())
    return RetentionPlan(now=now, lines=lines)


def last_run() -> RetentionRun | None:
    """The latest run of the retention job, or None."""
    return RetentionRun.objects.order_by("-started_at", "-pk").first()
