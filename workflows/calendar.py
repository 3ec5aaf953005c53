# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deadlines in Dutch working days.

A working day is a weekday that is not a Dutch public holiday as the maintained ``holidays``
library lists them (``holidays.NL``): Nieuwjaarsdag, Eerste en Tweede Paasdag, Koningsdag
(26 April when 27 April is a Sunday), Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en
Tweede Kerstdag, and Bevrijdingsdag (5 May) in lustrum years only (2025, 2030, …), as most
collective agreements and government offices have it. Goede Vrijdag is listed by the library
but is a normal working day for government bodies, so it counts as a working day unless a
``WorkingCalendar`` says otherwise.

A deadline is the end of its day (23:59:59 local time) and never falls on a non-working day.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

import holidays

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
GOOD_FRIDAY = "Goede vrijdag"


@dataclass(frozen=True)
class WorkingCalendar:
    good_friday_is_holiday: bool = False

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        return day not in _holidays(day.year, self.good_friday_is_holiday)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself does not count).

        ``days=0`` gives ``start`` if it is a working day, else the next one; negative counts
        go backwards (a reminder N working days before a deadline)."""
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        step = dt.timedelta(days=1 if days > 0 else -1)
        remaining = abs(days)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if reversed)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


@functools.lru_cache(maxsize=64)
def _holidays(year: int, good_friday_is_holiday: bool) -> frozenset[dt.date]:
    days = holidays.NL(years=year)
    return frozenset(
        day for day, name in days.items() if good_friday_is_holiday or GOOD_FRIDAY not in name
    )


DEFAULT = WorkingCalendar()


def is_working_day(day: dt.date) -> bool:
    return DEFAULT.is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    return DEFAULT.add_working_days(start, days)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return DEFAULT.working_days_between(start, end)


def _zone() -> zoneinfo.ZoneInfo:
    from django.conf import settings

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=_zone())


def deadline_for(*, start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """The end of the deadline day: ``amount`` working days, or calendar days moved forward to
    the next working day, after ``start``'s local date."""
    if amount < 0:
        raise ValueError("a deadline norm cannot be negative")
    today = start.astimezone(_zone()).date()
    if unit == WORKING_DAYS:
        day = add_working_days(today, amount)
    elif unit == CALENDAR_DAYS:
        day = add_working_days(today + dt.timedelta(days=amount), 0)
    else:
        raise ValueError(f"unknown deadline unit {unit!r}")
    return end_of_day(day)


def reminder_date(deadline: dt.datetime, working_days_before: int) -> dt.date:
    """The working day ``working_days_before`` working days before the deadline's day."""
    return add_working_days(deadline.astimezone(_zone()).date(), -working_days_before)
