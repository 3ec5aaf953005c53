# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deadlines in Dutch working days: a table of cases checked against a printed calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from workflows import calendar
from workflows.calendar import WorkingCalendar

D = dt.date
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        pytest.param(D(2026, 6, 1), 1, D(2026, 6, 2), id="monday+1"),
        pytest.param(D(2026, 6, 5), 1, D(2026, 6, 8), id="friday+1-skips-weekend"),
        pytest.param(D(2026, 6, 6), 1, D(2026, 6, 8), id="saturday-start"),
        pytest.param(D(2026, 4, 24), 1, D(2026, 4, 28), id="koningsdag-2026-monday"),
        pytest.param(D(2026, 4, 2), 5, D(2026, 4, 10), id="zvh-norm-over-easter"),
        pytest.param(D(2026, 5, 13), 1, D(2026, 5, 15), id="hemelvaartsdag"),
        pytest.param(D(2026, 5, 22), 1, D(2026, 5, 26), id="tweede-pinksterdag"),
        pytest.param(D(2026, 12, 24), 1, D(2026, 12, 28), id="christmas-friday-saturday"),
        pytest.param(D(2026, 12, 31), 1, D(2027, 1, 4), id="new-year-friday"),
        pytest.param(D(2025, 5, 2), 1, D(2025, 5, 6), id="bevrijdingsdag-lustrum-2025"),
        pytest.param(D(2026, 5, 4), 1, D(2026, 5, 5), id="bevrijdingsdag-2026-works"),
        pytest.param(D(2026, 6, 6), 0, D(2026, 6, 8), id="zero-on-weekend-moves-on"),
        pytest.param(D(2026, 6, 3), 0, D(2026, 6, 3), id="zero-on-working-day"),
        pytest.param(D(2026, 4, 28), -1, D(2026, 4, 24), id="back-over-koningsdag"),
        pytest.param(D(2026, 12, 28), -2, D(2026, 12, 23), id="back-over-christmas"),
    ],
)
def test_add_working_days(start, days, expected):
    assert calendar.add_working_days(start, days) == expected


def test_good_friday_is_a_working_day_unless_configured():
    assert calendar.is_working_day(D(2026, 4, 3))
    assert not WorkingCalendar(good_friday_is_holiday=True).is_working_day(D(2026, 4, 3))
    assert not calendar.is_working_day(D(2026, 4, 6))  # Easter Monday


def test_working_days_between():
    assert calendar.working_days_between(D(2026, 4, 24), D(2026, 4, 30)) == 3
    assert calendar.working_days_between(D(2026, 4, 30), D(2026, 4, 24)) == -3


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected_day", "utc_offset_hours"),
    [
        pytest.param(
            dt.datetime(2026, 4, 23, 10, tzinfo=AMSTERDAM),
            10,
            "working_days",
            D(2026, 5, 8),
            2,
            id="working-days-summer-time",
        ),
        pytest.param(
            dt.datetime(2026, 6, 5, 16, tzinfo=AMSTERDAM),
            2,
            "calendar_days",
            D(2026, 6, 8),
            2,
            id="calendar-days-landing-on-sunday",
        ),
        pytest.param(
            dt.datetime(2026, 12, 1, 9, tzinfo=AMSTERDAM),
            1,
            "working_days",
            D(2026, 12, 2),
            1,
            id="winter-time",
        ),
        pytest.param(
            # 23:30 UTC on 31 March is already 1 April in Amsterdam.
            dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC),
            1,
            "working_days",
            D(2026, 4, 2),
            2,
            id="local-date-of-start",
        ),
    ],
)
def test_deadline_is_the_end_of_a_working_day(start, amount, unit, expected_day, utc_offset_hours):
    deadline = calendar.deadline_for(start=start, amount=amount, unit=unit)
    local = deadline.astimezone(AMSTERDAM)
    assert local.date() == expected_day
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert local.utcoffset() == dt.timedelta(hours=utc_offset_hours)


@pytest.mark.parametrize(
    ("amount", "unit"), [(-1, "working_days"), (3, "weeks")], ids=["negative", "unknown-unit"]
)
def test_bad_norms_are_refused(amount, unit):
    with pytest.raises(ValueError):
        calendar.deadline_for(
            start=dt.datetime(2026, 6, 1, tzinfo=AMSTERDAM), amount=amount, unit=unit
        )


def test_reminder_date_counts_back_in_working_days():
    deadline = dt.datetime(2026, 12, 28, 23, 59, tzinfo=AMSTERDAM)
    assert calendar.reminder_date(deadline, 2) == D(2026, 12, 23)
