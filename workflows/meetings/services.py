# SPDX-License-Identifier: AGPL-3.0-or-later
"""Case tables: sittings from a series' rhythm, the agenda and publishing it.

Publishing the agenda asks every invited partner for information through the task engine,
due the series' preparation lead time (working days) before the sitting. Each organisation
sees only the agenda items of cases it is involved in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone

from casebook.bounds import LOCATION_LENGTH, SHORT_TEXT, bounded_text
from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update, lock_in_order
from casebook.models import AuditAction, Case, CaseInvolvement, User
from casebook.permissions import ASSIGN_TASK, RECORD_MINUTES
from casebook.services.access import involvement_end_work_done
from casebook.services.audit import audit_record
from workflows.ladder.machine import CLOSED
from workflows.meetings.models import AgendaItem, Meeting, MeetingSeries
from workflows.meetings.selectors import invited_organisations
from workflows.tasks import calendar
from workflows.tasks.models import OPEN_TASK_STATES, PartnerTask, TaskState, TaskType, TaskTypeCode
from workflows.tasks.services import has_task_workers, task_assign


def _require_director(actor: User) -> None:
    if not actor.has_perm(ASSIGN_TASK):
        raise NotAllowed("Alleen de procesregisseur beheert de agenda.")


def _require_preparer(actor: User) -> None:
    """Preparing an agenda (building it, adding, removing, ordering cases) is ZVH work: the
    procesregisseur and the procesondersteuner. Sending it out stays the procesregisseur's."""
    if not actor.has_perm(RECORD_MINUTES):
        raise NotAllowed("Alleen het Zorg- en Veiligheidshuis bereidt de agenda voor.")


SITTING = "Deze zitting"

#: How far ahead the sittings of every series are planned (by the worker, hourly).
PLANNING_HORIZON = dt.timedelta(weeks=12)


def sittings_generate(*, series: MeetingSeries, until: dt.date) -> int:
    """Plan the sittings of the series' rhythm after its last planned slot, up to ``until``.
    Returns how many were new.

    Forward only, one sitting per slot (a unique constraint): a sitting moved by hand keeps
    its slot and is never planned again, and the work does not grow with the series' history.
    A slot on a weekend or public holiday (Tweede Kerstdag, Koningsdag…) is held on the next
    working day; a slot whose moment another sitting already took (moved there) is skipped,
    and so is a slot before today (a series that starts in the past, a worker that was down).
    Runs in the worker (``workflows.meetings.jobs``) and when a series is created, never on a
    page view. A changed rhythm applies from the next slot on."""
    zone = timezone.get_default_timezone()
    last = Meeting.objects.filter(series=series, slot__isnull=False).aggregate(m=Max("slot"))["m"]
    step = dt.timedelta(weeks=series.every_weeks)
    day = series.first_date if last is None else timezone.localtime(last, zone).date() + step
    if day < (today := timezone.localdate()):  # the past is not planned: on to today's slot
        day += -((day - today) // step) * step
    created = 0
    while day <= until:
        slot = dt.datetime.combine(day, series.weekday_time, tzinfo=zone)
        starts_at = dt.datetime.combine(
            calendar.add_working_days(day, 0), series.weekday_time, tzinfo=zone
        )
        try:
            with transaction.atomic():
                if not Meeting.objects.filter(series=series, starts_at=starts_at).exists():
                    Meeting.objects.create(
                        series=series, slot=slot, starts_at=starts_at, location=series.location
                    )
                    created += 1
        except IntegrityError:
            pass  # planned at the same time by a concurrent run: that sitting counts
        day += step
    return created


def sittings_plan_ahead(*, today: dt.date | None = None) -> int:
    """Keep every active series planned ``PLANNING_HORIZON`` ahead (the worker's job)."""
    until = (today or timezone.localdate()) + PLANNING_HORIZON
    return sum(
        sittings_generate(series=series, until=until)
        for series in MeetingSeries.objects.filter(is_active=True)
    )


def _previous(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series=meeting.series, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )


def agenda_build(*, meeting: Meeting, actor: User, expected_version: int | None = None) -> int:
    """Fill the agenda with the cases due: new on this level since the previous sitting, an
    evaluation due, overdue or returned work. Keeps what is there. Returns items added."""
    _require_preparer(actor)
    level = meeting.series.level
    previous = _previous(meeting)
    since = (
        previous.starts_at
        if previous
        else meeting.starts_at - dt.timedelta(weeks=meeting.series.every_weeks)
    )
    cases = Case.objects.filter(level=level)
    due: dict[int, str] = {}
    for case_id in cases.filter(
        level_changed_at__gt=since, level_changed_at__lte=meeting.starts_at
    ).values_list("pk", flat=True):
        due.setdefault(case_id, AgendaItem.Reason.NEW)
    for case_id in PartnerTask.objects.filter(
        case__in=cases,
        task_type__code=TaskTypeCode.EVALUATION,
        level_flow=level,
        state__in=OPEN_TASK_STATES,
        deadline__lte=meeting.starts_at + dt.timedelta(days=1),
    ).values_list("case_id", flat=True):
        due.setdefault(case_id, AgendaItem.Reason.EVALUATION)
    for case_id in (
        PartnerTask.objects.filter(case__in=cases)
        .filter(
            Q(state__in=OPEN_TASK_STATES, deadline__lt=meeting.starts_at)
            | Q(state=TaskState.RETURNED, closed_at__gt=since)
        )
        .values_list("case_id", flat=True)
    ):
        due.setdefault(case_id, AgendaItem.Reason.TASKS)
    with transaction.atomic():
        meeting = for_update(Meeting).get(pk=meeting.pk)
        check_version(meeting, expected_version, SITTING)
        order = meeting.items.aggregate(m=Max("order"))["m"] or 0
        existing = set(meeting.items.values_list("case_id", flat=True))
        added = 0
        for case_id, reason in sorted(due.items()):
            if case_id in existing:
                continue
            order += 1
            AgendaItem.objects.create(meeting=meeting, case_id=case_id, reason=reason, order=order)
            added += 1
        bump(meeting)
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_AGENDA_BUILT,
            obj=meeting,
            after={"zitting": str(meeting), "toegevoegd": added},
        )
    return added


def agenda_add(
    *, meeting: Meeting, actor: User, case: Case, expected_version: int | None = None
) -> AgendaItem:
    _require_preparer(actor)
    if case.level == CLOSED:
        raise ValidationFailed("Een afgesloten casus kan niet op de agenda.")
    with transaction.atomic():
        meeting = for_update(Meeting).get(pk=meeting.pk)
        check_version(meeting, expected_version, SITTING)
        if meeting.status == Meeting.Status.HELD:
            raise TransitionRefused("De agenda van een gehouden zitting verandert niet meer.")
        if meeting.items.filter(case=case).exists():
            raise ValidationFailed(f"{case.reference} staat al op de agenda.")
        order = (meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1
        item = AgendaItem.objects.create(
            meeting=meeting, case=case, reason=AgendaItem.Reason.MANUAL, order=order
        )
        bump(meeting)
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_ITEM_ADDED,
            obj=meeting,
            case=case,
            youth=case.youth,
            after={"zitting": str(meeting)},
        )
    return item


def agenda_remove(*, item: AgendaItem, actor: User, expected_version: int | None = None) -> None:
    _require_preparer(actor)
    with transaction.atomic():
        meeting = for_update(Meeting).get(pk=item.meeting_id)
        check_version(meeting, expected_version, SITTING)
        if not meeting.items.filter(pk=item.pk).exists():
            raise ConflictError("Deze casus staat intussen niet meer op de agenda.")
        if meeting.status == Meeting.Status.HELD:
            raise TransitionRefused("De agenda van een gehouden zitting verandert niet meer.")
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_ITEM_REMOVED,
            obj=meeting,
            case=item.case,
            youth=item.case.youth,
            before={"zitting": str(meeting)},
        )
        item.delete()
        bump(meeting)


def agenda_move(
    *, item: AgendaItem, actor: User, up: bool, expected_version: int | None = None
) -> None:
    """Swap an item with its neighbour."""
    _require_preparer(actor)
    with transaction.atomic():
        meeting = for_update(Meeting).get(pk=item.meeting_id)
        check_version(meeting, expected_version, SITTING)
        items = list(meeting.items.order_by("order", "pk"))
        index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
        if index is None:
            raise ConflictError("Deze casus staat intussen niet meer op de agenda.")
        other = index - 1 if up else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
            for position, agenda_item in enumerate(items, start=1):
                if agenda_item.order != position:
                    AgendaItem.objects.filter(pk=agenda_item.pk).update(order=position)
            bump(meeting)


@dataclass(frozen=True)
class PublishResult:
    tasks: list[PartnerTask]
    #: Invited organisations where nobody may pick up an information request.
    unstaffed: list[str]


def agenda_publish(
    *, meeting: Meeting, actor: User, expected_version: int | None = None
) -> PublishResult:
    """Send the agenda: every invited partner (not the ZVH itself) gets an information request
    per case, due the preparation lead time before the sitting."""
    _require_director(actor)
    meeting_day = timezone.localtime(meeting.starts_at).date()
    due_day = calendar.add_working_days(meeting_day, -meeting.series.preparation_working_days)
    deadline = calendar.end_of_day(due_day)
    if deadline <= timezone.now():
        raise ValidationFailed(
            "De voorbereidingstermijn is al verstreken; verplaats de zitting of voeg de "
            "informatie zelf toe."
        )
    information = TaskType.objects.get(code=TaskTypeCode.INFORMATION)
    with transaction.atomic():
        meeting = for_update(Meeting).select_related("series").get(pk=meeting.pk)
        check_version(meeting, expected_version, SITTING)
        if meeting.status != Meeting.Status.PLANNED:
            raise TransitionRefused("De agenda van deze zitting is al verstuurd.")
        items = list(meeting.items.select_related("case", "case__coordinator_organisation"))
        if not items:
            raise ValidationFailed("De agenda is leeg.")
        # The cases next (lock order: sitting, then cases by id), before task_assign locks
        # each of them in agenda order.
        lock_in_order(Case, [item.case_id for item in items])
        tasks, unstaffed = [], set()
        for item in items:
            for organisation in invited_organisations(case=item.case, series=meeting.series):
                if organisation == item.case.coordinator_organisation:
                    continue
                if not has_task_workers(organisation):
                    # Nobody there may pick up a request (ADR 0013): none is sent, and the
                    # procesregisseur is told which organisations to ask another way.
                    unstaffed.add(organisation.name)
                    continue
                tasks.append(
                    task_assign(
                        case=item.case,
                        actor=actor,
                        task_type=information,
                        organisation=organisation,
                        deadline=deadline,
                        instruction=f"Lever informatie aan voor {meeting.series.name} van "
                        f"{meeting_day:%d-%m-%Y}.",
                    )
                )
        meeting.status = Meeting.Status.PUBLISHED
        meeting.published_at = timezone.now()
        bump(meeting, "status", "published_at")
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_AGENDA_PUBLISHED,
            obj=meeting,
            after={
                "zitting": str(meeting),
                "agendapunten": len(items),
                "informatieverzoeken": len(tasks),
                "zonder_takenbehandelaar": sorted(unstaffed),
            },
        )
    return PublishResult(tasks=tasks, unstaffed=sorted(unstaffed))


def meeting_schedule(
    *, series: MeetingSeries, actor: User, starts_at: dt.datetime, location: str = ""
) -> Meeting:
    """Add an extra sitting by hand."""
    _require_director(actor)
    location = bounded_text(location, LOCATION_LENGTH, field="location")
    if starts_at <= timezone.now():
        raise ValidationFailed("Een nieuwe zitting ligt in de toekomst.")
    with transaction.atomic():
        if Meeting.objects.filter(series=series, starts_at=starts_at).exists():
            raise ValidationFailed("Er is al een zitting op dat moment.")
        meeting = Meeting.objects.create(
            series=series,
            starts_at=starts_at,
            location=location or series.location,
            generated=False,
        )
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_SCHEDULED,
            obj=meeting,
            after={"zitting": str(meeting)},
        )
    return meeting


def meeting_move(
    *,
    meeting: Meeting,
    actor: User,
    starts_at: dt.datetime,
    reason: str,
    expected_version: int | None = None,
) -> Meeting:
    """Move a sitting (with a reason). A generated sitting keeps its new time."""
    _require_director(actor)
    reason = bounded_text(reason, SHORT_TEXT)  # a one-line field on the sitting's page
    if not reason:
        raise ValidationFailed("Geef een reden voor het verplaatsen.")
    if starts_at <= timezone.now():
        raise ValidationFailed("Een zitting verplaats je naar de toekomst.")
    with transaction.atomic():
        meeting = for_update(Meeting).get(pk=meeting.pk)
        check_version(meeting, expected_version, SITTING)
        if meeting.status == Meeting.Status.HELD:
            raise TransitionRefused("Een gehouden zitting verplaats je niet meer.")
        if (
            Meeting.objects.filter(series=meeting.series, starts_at=starts_at)
            .exclude(pk=meeting.pk)
            .exists()
        ):
            raise ValidationFailed("Er is al een zitting op dat moment.")
        before = {"aanvang": meeting.starts_at}
        meeting.starts_at = starts_at
        meeting.generated = False
        bump(meeting, "starts_at", "generated")
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_MOVED,
            obj=meeting,
            reason=reason,
            before=before,
            after={"aanvang": starts_at},
        )
    return meeting


def agenda_propose(
    *, case: Case, actor: User, escalate: bool, expected_version: int | None = None
) -> AgendaItem:
    """Put a proposal to move the case up or down on the next open sitting of a table of its
    level (``expected_version``: the case as the page showed it)."""
    _require_director(actor)
    tables = list(MeetingSeries.objects.filter(level=case.level, is_active=True))
    if not tables:
        raise ValidationFailed("Voor dit niveau is geen casustafel ingericht.")
    meeting = (
        Meeting.objects.filter(
            series__in=tables, starts_at__gt=timezone.now(), status=Meeting.Status.PLANNED
        )
        # Two tables of one level may sit at the same hour: the same one every time.
        .order_by("starts_at", "pk")
        .first()
    )
    if meeting is None:
        raise ValidationFailed(
            "Er is geen komende zitting gepland waarvan de agenda nog open is; plan er een in "
            "de kalender."
        )
    reason = (
        AgendaItem.Reason.PROPOSED_ESCALATION
        if escalate
        else AgendaItem.Reason.PROPOSED_DEESCALATION
    )
    with transaction.atomic():
        # Lock order: the sitting, then the case.
        meeting = for_update(Meeting).get(pk=meeting.pk)
        if meeting.status != Meeting.Status.PLANNED:
            raise ConflictError(
                "De agenda van de komende zitting is net verstuurd. Probeer het opnieuw: het "
                "voorstel gaat dan naar de zitting daarna."
            )
        case = for_update(Case).select_related("youth").get(pk=case.pk)
        check_version(case, expected_version, "Deze casus")
        if case.level != tables[0].level:  # closed, or moved to another level meanwhile
            raise ConflictError(
                "Deze casus is intussen afgesloten of van niveau veranderd. Bekijk de casus "
                "opnieuw."
            )
        bump(meeting)
        item, created = AgendaItem.objects.get_or_create(
            meeting=meeting,
            case=case,
            defaults={
                "reason": reason,
                "order": (meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1,
            },
        )
        if not created:
            item.reason = reason
            item.save(update_fields=["reason"])
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_PROPOSAL_ADDED,
            obj=meeting,
            case=case,
            youth=case.youth,
            after={"zitting": str(meeting), "voorstel": item.get_reason_display()},
        )
    return item


# --- Involvement that ends when the work is done ---------------------------------------------


def _invited_ahead(case: Case, organisation_id: int, now: dt.datetime) -> bool:
    """Whether the organisation is invited for ``case`` to a sitting still to come."""
    for item in AgendaItem.objects.filter(case=case, meeting__starts_at__gte=now).select_related(
        "meeting__series"
    ):
        invited = invited_organisations(case=case, series=item.meeting.series)
        if any(organisation.pk == organisation_id for organisation in invited):
            return True
    return False


def involvements_sweep(*, now: dt.datetime | None = None) -> int:
    """End the involvement of every organisation whose work in an open case is over: it had
    tasks there, none is open, and it is not invited for the case to a sitting to come. (An
    organisation that only reported a signal stays involved until the case closes or the
    procesregisseur ends it.) The grace period then runs (``casebook.policy``). Daily."""
    now = now or timezone.now()
    tasks = PartnerTask.objects.filter(
        case=OuterRef("case"), organisation_id=OuterRef("organisation")
    )
    candidates = (
        CaseInvolvement.objects.filter(ended_at__isnull=True, case__closed_at__isnull=True)
        .exclude(reason=CaseInvolvement.Reason.COORDINATOR)
        .exclude(organisation_id=F("case__coordinator_organisation_id"))
        .filter(Exists(tasks))
        .exclude(Exists(tasks.filter(state__in=OPEN_TASK_STATES)))
        .values_list("case_id", "organisation_id")
        .distinct()
    )
    ended = 0
    for case_id, organisation_id in list(candidates):
        with transaction.atomic():
            case = for_update(Case).select_related("youth").get(pk=case_id)
            if case.level == CLOSED or _invited_ahead(case, organisation_id, now):
                continue
            if PartnerTask.objects.filter(
                case=case, organisation_id=organisation_id, state__in=OPEN_TASK_STATES
            ).exists():
                continue  # new work arrived meanwhile
            ended += involvement_end_work_done(case=case, organisation_id=organisation_id)
    return ended
