# SPDX-License-Identifier: AGPL-3.0-or-later
"""Report periods: a quarter, a year, or any from–to range of whole days.

A period runs from the start of its first day up to (not including) the start of the day after
its last day, in ``settings.TIME_ZONE``: a signal at 23:59 on 31 March counts in the first
quarter, one at 00:00 on 1 April in the second. Every figure is shown beside the *previous*
period (the same length, just before) and the *same period a year earlier*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

QUARTER = "kwartaal"
YEAR = "jaar"
RANGE = "periode"

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def _d(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: dt.date
    last_day: dt.date

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * (quarter - 1) + 1, 1)
        after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return cls(QUARTER, first, after - dt.timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def between(cls, first_day: dt.date, last_day: dt.date) -> Period:
        return cls(RANGE, first_day, last_day)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> dt.datetime:
        """The first moment of the period (aware)."""
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time()))

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period (aware, exclusive)."""
        after = self.last_day + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(after, dt.time()))

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return f"{(self.first_day.month - 1) // 3 + 1}e kwartaal {self.first_day.year}"
        if self.kind == YEAR:
            return str(self.first_day.year)
        return f"{_d(self.first_day)} t/m {_d(self.last_day)}"

    @property
    def short_label(self) -> str:
        if self.kind == QUARTER:
            return f"K{(self.first_day.month - 1) // 3 + 1} {self.first_day.year}"
        if self.kind == YEAR:
            return str(self.first_day.year)
        return f"{self.first_day:%d-%m-%Y} – {self.last_day:%d-%m-%Y}"

    @property
    def key(self) -> str:
        """A stable slug (cache keys, file names)."""
        return f"{self.kind}-{self.first_day:%Y%m%d}-{self.last_day:%Y%m%d}"

    def previous(self) -> Period:
        """The period just before: the previous quarter or year, or the same number of days."""
        if self.kind == QUARTER:
            q = (self.first_day.month - 1) // 3 + 1
            return Period.quarter(self.first_day.year - (q == 1), 4 if q == 1 else q - 1)
        if self.kind == YEAR:
            return Period.year(self.first_day.year - 1)
        last = self.first_day - dt.timedelta(days=1)
        return Period(RANGE, last - dt.timedelta(days=self.days - 1), last)

    def year_earlier(self) -> Period:
        return Period(self.kind, _shift_year(self.first_day, -1), _shift_year(self.last_day, -1))

    def comparisons(self) -> tuple[Period, Period, Period]:
        """This period, the previous one and the same period a year earlier."""
        return (self, self.previous(), self.year_earlier())


def last_complete_quarter(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    q = (today.month - 1) // 3 + 1
    return Period.quarter(today.year - (q == 1), 4 if q == 1 else q - 1)
