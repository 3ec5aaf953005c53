# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about the case tables: who is invited for a case, and which agenda items and minutes
items a user or a recipient organisation may see (need-to-know: ZVH staff all, a partner only
the cases its organisation is involved in). Pages and PDFs both ask these."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from casebook import policy
from casebook.models import Case, Organisation, Signal, User
from workflows.meetings.models import (
    AgendaItem,
    AttendanceRule,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesItem,
)
from workflows.tasks.models import OPEN_TASK_STATES


def invited_organisations(*, case: Case, series: MeetingSeries) -> list[Organisation]:
    """The table's members, the case coordinator, every organisation with open work on the
    case, and whoever the attendance rules add (e.g. the OM for a criminal-law component)."""
    invited = set(series.member_organisations.filter(is_active=True))
    invited.add(case.coordinator_organisation)
    invited |= set(
        Organisation.objects.filter(
            tasks__case=case, tasks__state__in=OPEN_TASK_STATES, is_active=True
        )
    )
    school_signal = Signal.objects.filter(case=case, category__is_school_signal=True).exists()
    for rule in AttendanceRule.objects.filter(is_active=True):
        applies = (
            rule.condition == AttendanceRule.Condition.ALWAYS
            or (
                rule.condition == AttendanceRule.Condition.CRIMINAL_LAW
                and case.criminal_law_component
            )
            or (rule.condition == AttendanceRule.Condition.SCHOOL_SIGNAL and school_signal)
        )
        if applies:
            invited |= set(Organisation.objects.filter(kind=rule.organisation_kind, is_active=True))
    return sorted(invited, key=lambda organisation: organisation.name)


def _cut_to(items: QuerySet, organisation: Organisation | None) -> QuerySet:
    """``None``: the ZVH's own, full copy; an organisation: the cases it is involved in."""
    return policy.cut_to_organisation(items, None if organisation is None else organisation.pk)


def agenda_items(meeting: Meeting, organisation: Organisation | None) -> QuerySet[AgendaItem]:
    """The agenda of a sitting as ``organisation`` may see it (``None``: all of it)."""
    items = meeting.items.select_related("case", "case__youth", "case__youth__neighbourhood")
    return _cut_to(items, organisation)


def minutes_items(minutes: Minutes, organisation: Organisation | None) -> QuerySet[MinutesItem]:
    """The items of the minutes as ``organisation`` may see them (``None``: all of them)."""
    items = minutes.items.select_related("case", "case__youth").prefetch_related(
        "attendees", "decisions__closure_reason"
    )
    return _cut_to(items, organisation)


def agenda_for_user(*, meeting: Meeting, user: User) -> QuerySet[AgendaItem]:
    """The agenda items ``user`` may see: all for ZVH staff, a partner only its own cases'."""
    return policy.case_items_for(user, agenda_items(meeting, None))


def sittings_ahead(*, weeks: int) -> QuerySet[Meeting]:
    """The sittings of the coming ``weeks``, soonest first (a read: planning is the worker's)."""
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()))
    return (
        Meeting.objects.filter(
            starts_at__gte=start, starts_at__lte=start + dt.timedelta(weeks=weeks)
        )
        .select_related("series")
        .order_by("starts_at")
    )


def meeting_for_user(user: User, pk: int) -> Meeting:
    """The sitting if ``user`` may see it: every sitting for ZVH staff; for a task worker a
    sitting with a case of its organisation on the agenda (or in the minutes); otherwise 404,
    so that a sitting the organisation is not invited to is not confirmed to exist."""
    meeting = Meeting.objects.select_related("series").filter(pk=pk).first()
    if meeting is None or not policy.may(user, policy.Act.VIEW, policy.Subject.MEETING):
        raise Http404
    if policy.is_zvh_staff(user):
        return meeting
    own_items = policy.case_items_for(user, meeting.items.all()).exists()
    own_minutes = policy.case_items_for(
        user, MinutesItem.objects.filter(minutes__meeting=meeting)
    ).exists()
    if not (own_items or own_minutes):
        raise Http404
    return meeting
