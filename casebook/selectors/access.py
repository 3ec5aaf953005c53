# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads for the privacy officer: emergency accesses to review, and who could and did see a
youth's data (the access overview for a subject-access request)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case as When_
from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    JSONField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject

from casebook import policy
from casebook.models import (
    AuditEvent,
    Case,
    CaseInvolvement,
    EmergencyAccess,
    ProcessingActivity,
    ProcessingLogLine,
    Youth,
)
from casebook.models.audit import ACTION_LABELS, SYSTEM_ACTOR_LABEL
from casebook.models.processing import LegalBasis, StatusCode, pseudonym


def emergency_accesses() -> QuerySet[EmergencyAccess]:
    """Every emergency access, the ones still to review first, newest first within."""
    return (
        EmergencyAccess.objects.select_related("user", "user__organisation", "case", "reviewed_by")
        .annotate(
            pending_first=When_(
                When(review=EmergencyAccess.Review.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-opened_at", "-pk")
    )


#: How many processings the chronological list shows per page, and the PDF at most (the
#: newest; the summary above them counts every one).
LINES_PER_PAGE = 50
PDF_LINES = 200
#: Where a processing has no audit event to say who did it: a job or timer of IJAM itself, or
#: a processing logged before the audit trail carried the trace id.
NOT_RECORDED = "—"
AUTOMATIC = "IJAM (automatisch)"


@dataclass(frozen=True)
class ActivityUsed:
    """A register version some processing of the youth was logged under."""

    activity: ProcessingActivity
    legal_bases: list[str]  # the Dutch labels

    @property
    def legal_basis_text(self) -> str:
        return "; ".join(self.legal_bases)


@dataclass(frozen=True)
class ProcessingSummary:
    """The processings of one kind: one organisation, in one role, under one activity version,
    doing one thing (and, only when names are shown, one member of staff)."""

    organisation: str
    role: str
    actor: str
    activity: ActivityUsed
    action: str
    count: int
    first: dt.datetime
    last: dt.datetime


@dataclass(frozen=True)
class ProcessingEntry:
    """One processing in the chronological list."""

    when: dt.datetime
    organisation: str
    role: str
    actor: str
    action: str
    activity: ActivityUsed
    failed: bool


@dataclass
class AccessOverview:
    """Who could see a youth's data and who processed it, when, in which role, under which
    activity and legal basis: for a subject-access request (AVG art. 15) and the privacy
    officer's checks (NEN 7513). Facts about access, no case content; staff names only when
    ``show_names``."""

    youth: Youth
    cases: list[Case]
    involvements: list[CaseInvolvement]
    emergencies: list[EmergencyAccess]
    summaries: list[ProcessingSummary]
    activities: list[ActivityUsed]
    total: int
    period_start: dt.datetime | None
    period_end: dt.datetime | None
    denied: int
    show_names: bool
    page: Page | None = None  # the chronological list, newest first
    lines: list[ProcessingEntry] = field(default_factory=list)

    @property
    def organisations(self) -> list[str]:
        return sorted({s.organisation for s in self.summaries if s.organisation != NOT_RECORDED})


def youths_for_access_request(*, user, last_name: str, date_of_birth: dt.date) -> QuerySet[Youth]:
    """The youths a subject-access request may be about: exact surname and date of birth (the
    requester identifies the person; there is no browsing), cut to the youths ``user`` may
    open the overview of (``policy.access_overview_youths``)."""
    youths = Youth.objects.filter(
        last_name__iexact=" ".join(last_name.split()), date_of_birth=date_of_birth
    )
    return policy.access_overview_youths(user, youths).order_by("first_name", "pk")[:10]


def _lines_with_actor(youth: Youth) -> QuerySet[ProcessingLogLine]:
    """The youth's processing-log lines (by its pseudonym: one index lookup), each with who
    acted: the organisation, role and name of the audit event of the same request
    (``trace_id``), the one with the line's action when there is one (a request that read a
    case and then changed it has an event of each). Correlated subqueries on the trail's
    ``trace_id`` index: one statement, however many lines."""
    trace_hex = Func(F("trace_id"), Value("hex"), function="encode", output_field=CharField())
    events = (
        AuditEvent.objects.filter(trace_id=OuterRef("trace_hex"))
        .annotate(
            other_action=When_(
                When(action=OuterRef("name"), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("other_action", "pk")
    )
    return ProcessingLogLine.objects.filter(data_subject_id=pseudonym(youth.pk)).annotate(
        trace_hex=trace_hex,
        # One lookup per line: who, as one JSON value (null without an event).
        event=Subquery(
            events.values(
                who=JSONObject(
                    actor="actor_label",
                    organisation="actor_organisation__name",
                    role="actor_role",
                )
            )[:1],
            output_field=JSONField(),
        ),
    )


def _who(row: dict, show_names: bool) -> tuple[str, str, str]:
    event = row["event"]
    if event is None:  # no audit event of the request
        return NOT_RECORDED, NOT_RECORDED, ""
    actor = event["actor"]
    organisation = event["organisation"] or (
        AUTOMATIC if actor == SYSTEM_ACTOR_LABEL else NOT_RECORDED
    )
    return organisation, event["role"] or NOT_RECORDED, actor if show_names else ""


def _activities(ids) -> dict[int, ActivityUsed]:
    labels = dict(LegalBasis.choices)
    return {
        activity.pk: ActivityUsed(
            activity, [str(labels.get(code, code)) for code in activity.legal_bases]
        )
        for activity in ProcessingActivity.objects.filter(pk__in=set(ids))
    }


def access_overview(
    youth: Youth,
    *,
    show_names: bool = False,
    page: int | str | None = 1,
    per_page: int = LINES_PER_PAGE,
) -> AccessOverview:
    """Everything the overview shows, in a fixed number of queries whatever the number of
    processings: the summaries are one grouped statement, the chronological list one page
    (``per_page`` lines, newest first; ``page=None`` leaves it out)."""
    cases = list(Case.objects.filter(youth=youth).order_by("opened_at"))
    involvements = list(
        CaseInvolvement.objects.filter(case__youth=youth)
        .select_related("organisation", "case")
        .order_by("case__opened_at", "since", "pk")
    )
    emergencies = list(
        EmergencyAccess.objects.filter(case__youth=youth)
        .select_related("user", "user__organisation", "case", "reviewed_by")
        .prefetch_related("user__roles")
        .order_by("-opened_at")
    )
    lines = _lines_with_actor(youth)
    group = ["processing_activity_id", "name", "event"]
    rows = list(
        lines.values(*group)
        .annotate(count=Count("pk"), first=Min("start_time"), last=Max("start_time"))
        .order_by()
    )
    activities = _activities(row["processing_activity_id"] for row in rows)
    merged: dict[tuple, dict] = {}
    for row in rows:  # without names, the rows of one organisation and role fold together
        organisation, role, actor = _who(row, show_names)
        key = (organisation, role, actor, row["processing_activity_id"], row["name"])
        if key in merged:
            seen = merged[key]
            seen["count"] += row["count"]
            seen["first"] = min(seen["first"], row["first"])
            seen["last"] = max(seen["last"], row["last"])
        else:
            merged[key] = dict(row)
    summaries = sorted(
        (
            ProcessingSummary(
                organisation=key[0],
                role=key[1],
                actor=key[2],
                activity=activities[key[3]],
                action=str(ACTION_LABELS.get(key[4], key[4])),
                count=row["count"],
                first=row["first"],
                last=row["last"],
            )
            for key, row in merged.items()
        ),
        key=lambda s: (s.organisation, s.role, s.actor, s.activity.activity.name, s.action),
    )
    total = sum(s.count for s in summaries)
    denied = AuditEvent.objects.filter(
        action="access.denied",
        object_id__in=[f"/casussen/{case.pk}/"[:40] for case in cases],
    ).count()
    overview = AccessOverview(
        youth=youth,
        cases=cases,
        involvements=involvements,
        emergencies=emergencies,
        summaries=summaries,
        activities=sorted(activities.values(), key=lambda a: (a.activity.name, a.activity.version)),
        total=total,
        period_start=min((s.first for s in summaries), default=None),
        period_end=max((s.last for s in summaries), default=None),
        denied=denied,
        show_names=show_names,
    )
    if page is not None and total:
        newest_first = lines.order_by("-start_time", "-pk").values(
            "start_time", "name", "status_code", "processing_activity_id", *group[2:]
        )
        # The total is known from the summaries: no COUNT over the youth's lines again.
        paginator = Paginator(newest_first, per_page)
        paginator.count = total
        overview.page = paginator.get_page(page)
        overview.lines = [
            ProcessingEntry(
                when=row["start_time"],
                organisation=(who := _who(row, show_names))[0],
                role=who[1],
                actor=who[2],
                action=str(ACTION_LABELS.get(row["name"], row["name"])),
                activity=activities[row["processing_activity_id"]],
                failed=row["status_code"] == StatusCode.ERROR,
            )
            for row in overview.page.object_list
        ]
    return overview
