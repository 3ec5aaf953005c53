# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deadlines counted in Dutch working days.

Which days are not working days
-------------------------------
* Saturdays and Sundays.
* The official Dutch public holidays as the maintained ``holidays`` library gives them
  (``holidays.NL``, public category): Nieuwjaarsdag (1 January), Eerste en Tweede Paasdag,
  Koningsdag (27 April, or Saturday 26 April when 27 April is a Sunday), Hemelvaartsdag,
  Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag (25 and 26 December). A holiday
  on a weekend is not moved to a weekday: it simply coincides with the weekend.
* Two days are a matter of local policy, not of the library, and are set per
  ``WorkingCalendar``:

  - **Bevrijdingsdag (5 May)** — default ``LiberationDay.LUSTRUM``: a day off only in lustrum
    years (2025, 2030, …), as for government offices and most collective agreements. Other
    choices: ``EVERY_YEAR`` or ``NEVER``. (``holidays.NL`` itself lists it in lustrum years.)
  - **Goede Vrijdag** — default ``good_friday_is_holiday=False``: a normal working day for
    government bodies, although ``holidays.NL`` lists it as a public holiday.

  A municipality changes this without code changes through the optional setting
  ``IJAM_WORKING_CALENDAR``, a dict of ``WorkingCalendar`` fields, for example
  ``{"liberation_day": "every_year", "good_friday_is_holiday": True}``; or a caller passes
  its own ``working_calendar=`` to any function below.

Counting
--------
* ``add_working_days(start, n)``: the start day itself never counts; the n-th working day
  after it is the answer. ``n=0`` gives ``start`` when it is a working day, else the next
  working day. A negative ``n`` counts backwards (reminders "n working days before").
* A deadline (``deadline_for``) is the *end* of its day, 23:59:59.999999 local time in
  ``settings.TIME_ZONE`` (Europe/Amsterdam), and **never falls on a weekend or holiday**: a
  norm in calendar days that lands on a non-working day moves to the next working day.
* Days are counted on the local date of the start moment, so a task opened at 23:30 on a
  Friday evening in Amsterdam counts from that Friday, whatever the UTC date is.

Holiday look-ups are cached per (year, policy) with ``functools.lru_cache``. Everything here
is a pure function of its arguments plus, for the defaults, the Django settings, which are
read lazily at call time (never at import).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass
from typing import Any, Literal

import holidays

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
DeadlineUnit = Literal["working_days", "calendar_days"]

#: Names ``holidays.NL(language="nl")`` uses for the two days whose treatment is policy.
GOOD_FRIDAY = "Goede vrijdag"
LIBERATION_DAY_NAME = "Bevrijdingsdag"

#: The optional Django setting holding ``WorkingCalendar`` field values.
SETTING = "IJAM_WORKING_CALENDAR"

_ONE_DAY = dt.timedelta(days=1)
_END_OF_DAY = dt.time(23, 59, 59, 999999)


class LiberationDay(enum.StrEnum):
    """Whether Bevrijdingsdag (5 May) is a day off."""

    LUSTRUM = "lustrum"  # only in years divisible by 5 (2025, 2030, …)
    EVERY_YEAR = "every_year"
    NEVER = "never"

    def is_day_off(self, year: int) -> bool:
        if self is LiberationDay.EVERY_YEAR:
            return True
        if self is LiberationDay.LUSTRUM:
            return year % 5 == 0
        return False


@dataclass(frozen=True)
class WorkingCalendar:
    """The policy deciding which days count: weekends and ``holidays.NL`` plus two choices.

    ``liberation_day``: when Bevrijdingsdag (5 May) is a day off (default: lustrum years).
    ``good_friday_is_holiday``: whether Goede Vrijdag is a day off (default: no).
    """

    liberation_day: LiberationDay = LiberationDay.LUSTRUM
    good_friday_is_holiday: bool = False

    def __post_init__(self) -> None:
        # Accept the plain strings a settings dict holds; reject anything else clearly.
        try:
            value = LiberationDay(self.liberation_day)
        except ValueError:
            choices = ", ".join(repr(choice.value) for choice in LiberationDay)
            raise ValueError(
                f"unknown liberation_day {self.liberation_day!r}; expected one of {choices}"
            ) from None
        object.__setattr__(self, "liberation_day", value)
        if not isinstance(self.good_friday_is_holiday, bool):
            raise ValueError(
                f"good_friday_is_holiday must be True or False, not {self.good_friday_is_holiday!r}"
            )

    @classmethod
    def from_settings(cls) -> WorkingCalendar:
        """The calendar configured in ``settings.IJAM_WORKING_CALENDAR`` (defaults if unset)."""
        from django.conf import settings

        config: dict[str, Any] = getattr(settings, SETTING, None) or {}
        return cls(**config)

    def holidays_in(self, year: int) -> frozenset[dt.date]:
        """The non-working holidays of ``year`` under this policy (weekends not included)."""
        return _holidays(year, self.liberation_day, self.good_friday_is_holiday)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a weekday that is not a holiday under this policy."""
        return day.weekday() < 5 and day not in self.holidays_in(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself does not count).

        ``days=0`` gives ``start`` if it is a working day, else the next working day. A
        negative ``days`` counts backwards: ``-2`` is the second working day before ``start``.
        """
        if days == 0:
            return self.next_working_day(start)
        step = _ONE_DAY if days > 0 else -_ONE_DAY
        remaining = abs(days)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days after ``start`` up to and including ``end``.

        Negative (minus the count from ``end`` to ``start``) when ``end`` is before ``start``;
        ``0`` when they are the same day.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


@functools.lru_cache(maxsize=256)
def _holidays(
    year: int, liberation_day: LiberationDay, good_friday_is_holiday: bool
) -> frozenset[dt.date]:
    """Non-working holidays of one year: ``holidays.NL`` with the two policy days applied.

    The library may list two names on one date (Hemelvaartsdag fell on 5 May in 2016), so a
    date is dropped only when nothing but a policy day remains on it.
    """
    official = holidays.NL(years=year, language="nl")
    days: set[dt.date] = set()
    for day in official:
        names = set(official.get_list(day))
        names.discard(LIBERATION_DAY_NAME)  # decided below, by our policy
        if not good_friday_is_holiday:
            names.discard(GOOD_FRIDAY)
        if names:
            days.add(day)
    if liberation_day.is_day_off(year):
        days.add(dt.date(year, 5, 5))
    return frozenset(days)


def _calendar(working_calendar: WorkingCalendar | None) -> WorkingCalendar:
    return working_calendar if working_calendar is not None else WorkingCalendar.from_settings()


def is_working_day(day: dt.date, *, working_calendar: WorkingCalendar | None = None) -> bool:
    """Whether ``day`` is a Dutch working day (not a weekend day, not a holiday)."""
    return _calendar(working_calendar).is_working_day(day)


def add_working_days(
    start: dt.date, days: int, *, working_calendar: WorkingCalendar | None = None
) -> dt.date:
    """The date ``days`` working days after ``start``; see ``WorkingCalendar.add_working_days``."""
    return _calendar(working_calendar).add_working_days(start, days)


def working_days_between(
    start: dt.date, end: dt.date, *, working_calendar: WorkingCalendar | None = None
) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end < start``)."""
    return _calendar(working_calendar).working_days_between(start, end)


def _zone() -> dt.tzinfo:
    # Django's default time zone is ZoneInfo(settings.TIME_ZONE), read lazily.
    from django.utils import timezone

    return timezone.get_default_timezone()


def _local_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment!r}")
    return moment.astimezone(_zone()).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59.999999 on ``day`` in ``settings.TIME_ZONE``, timezone-aware."""
    return dt.datetime.combine(day, _END_OF_DAY, tzinfo=_zone())


def deadline_for(
    *,
    start: dt.datetime,
    amount: int,
    unit: DeadlineUnit,
    working_calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """The deadline of a norm of ``amount`` ``unit`` counted from the aware datetime ``start``.

    Counting starts from ``start``'s local date (``settings.TIME_ZONE``). ``working_days``:
    ``add_working_days(local date, amount)``. ``calendar_days``: local date + ``amount``, moved
    to the next working day when that is a weekend day or holiday. The result is the end of
    that day, 23:59:59.999999 local time, so a deadline never falls on a non-working day.

    Raises ``ValueError`` for a negative amount, an unknown unit or a naive ``start``.
    """
    if amount < 0:
        raise ValueError(f"a deadline amount cannot be negative, got {amount}")
    if unit not in (WORKING_DAYS, CALENDAR_DAYS):
        raise ValueError(
            f"unknown deadline unit {unit!r}; expected {WORKING_DAYS!r} or {CALENDAR_DAYS!r}"
        )
    calendar = _calendar(working_calendar)
    day = _local_date(start)
    if unit == WORKING_DAYS:
        due = calendar.add_working_days(day, amount)
    else:
        due = calendar.next_working_day(day + dt.timedelta(days=amount))
    return end_of_day(due)


def reminder_date(
    deadline: dt.datetime,
    working_days_before: int,
    *,
    working_calendar: WorkingCalendar | None = None,
) -> dt.date:
    """The date ``working_days_before`` working days before the deadline's local date.

    ``0`` gives the deadline's own day (the next working day, should it not be one).
    Raises ``ValueError`` for a negative count or a naive ``deadline``.
    """
    if working_days_before < 0:
        raise ValueError(
            f"working_days_before cannot be negative, got {working_days_before}; "
            "use add_working_days for dates after a deadline"
        )
    return _calendar(working_calendar).add_working_days(_local_date(deadline), -working_days_before)
