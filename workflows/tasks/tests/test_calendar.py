# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deadlines in Dutch working days: tables of cases checked by hand against a printed calendar.

Every date in the tables is written as ``"YYYY-MM-DD Ddd"``; ``day()`` checks the weekday
label against Python's ``calendar`` module, so a mistyped expectation fails loudly instead of
silently agreeing with the code under test. The holidays used (verified by hand):

* 2025: Nieuwjaarsdag Wed 1 Jan; Pasen Sun 20 / Mon 21 Apr; Koningsdag Sat 26 Apr (27 April
  is a Sunday); Bevrijdingsdag Mon 5 May (lustrum); Hemelvaartsdag Thu 29 May; Pinksteren
  Sun 8 / Mon 9 Jun; Kerstmis Thu 25 / Fri 26 Dec.
* 2026: Nieuwjaarsdag Thu 1 Jan; Goede Vrijdag Fri 3 Apr (a working day by default); Pasen
  Sun 5 / Mon 6 Apr; Koningsdag Mon 27 Apr; Bevrijdingsdag Tue 5 May (no lustrum: working);
  Hemelvaartsdag Thu 14 May; Pinksteren Sun 24 / Mon 25 May; Kerstmis Fri 25 / Sat 26 Dec.
* 2027: Nieuwjaarsdag Fri 1 Jan.
* 2016: Hemelvaartsdag fell on Thu 5 May (Bevrijdingsdag, not a lustrum year).

Europe/Amsterdam is UTC+1 in winter and UTC+2 in summer; in 2026 summer time runs from
Sunday 29 March to Sunday 25 October.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import zoneinfo

import holidays
import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from workflows.tasks import calendar
from workflows.tasks.calendar import LiberationDay, WorkingCalendar

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
END = (23, 59, 59, 999999)
UTC = dt.UTC
WD, CD = "working_days", "calendar_days"
case = pytest.param
WC = WorkingCalendar


def day(label: str) -> dt.date:
    """``"2026-04-24 Fri"`` → ``date(2026, 4, 24)``, after checking the weekday label."""
    iso, weekday = label.split()
    value = dt.date.fromisoformat(iso)
    actual = stdlib_calendar.day_abbr[stdlib_calendar.weekday(value.year, value.month, value.day)]
    assert actual == weekday, f"{iso} is a {actual}, not a {weekday}"
    return value


def at(label: str, hour: int, minute: int = 0, tz: dt.tzinfo = AMSTERDAM) -> dt.datetime:
    return dt.datetime.combine(day(label), dt.time(hour, minute), tzinfo=tz)


# --- which days count ---------------------------------------------------------------------------

WORKING_DAY_CASES = [
    case("2026-03-10 Tue", True, id="plain-tuesday"),
    case("2026-03-13 Fri", True, id="plain-friday"),
    case("2026-03-14 Sat", False, id="saturday"),
    case("2026-03-15 Sun", False, id="sunday"),
    case("2026-01-01 Thu", False, id="nieuwjaarsdag-2026"),
    case("2026-01-02 Fri", True, id="day-after-new-year"),
    case("2026-04-03 Fri", True, id="goede-vrijdag-2026-works"),
    case("2026-04-06 Mon", False, id="tweede-paasdag-2026"),
    case("2026-04-27 Mon", False, id="koningsdag-2026"),
    case("2026-04-28 Tue", True, id="day-after-koningsdag-2026"),
    case("2025-04-26 Sat", False, id="koningsdag-2025-saturday"),
    case("2025-04-28 Mon", True, id="monday-after-koningsdag-2025-not-moved"),
    case("2025-05-05 Mon", False, id="bevrijdingsdag-2025-lustrum"),
    case("2026-05-05 Tue", True, id="bevrijdingsdag-2026-works"),
    case("2026-05-14 Thu", False, id="hemelvaartsdag-2026"),
    case("2026-05-15 Fri", True, id="friday-after-hemelvaart"),
    case("2026-05-25 Mon", False, id="tweede-pinksterdag-2026"),
    case("2026-12-24 Thu", True, id="christmas-eve-2026"),
    case("2026-12-25 Fri", False, id="eerste-kerstdag-2026"),
    case("2026-12-28 Mon", True, id="monday-after-christmas-2026-not-moved"),
    case("2025-12-26 Fri", False, id="tweede-kerstdag-2025"),
    case("2016-05-05 Thu", False, id="hemelvaart-on-5-may-2016"),
]


@pytest.mark.parametrize(("label", "working"), WORKING_DAY_CASES)
def test_is_working_day(label, working):
    assert calendar.is_working_day(day(label)) is working


def test_the_2026_holidays_are_exactly_the_official_ones():
    assert WorkingCalendar().holidays_in(2026) == {
        day("2026-01-01 Thu"),
        day("2026-04-05 Sun"),
        day("2026-04-06 Mon"),
        day("2026-04-27 Mon"),
        day("2026-05-14 Thu"),
        day("2026-05-24 Sun"),
        day("2026-05-25 Mon"),
        day("2026-12-25 Fri"),
        day("2026-12-26 Sat"),
    }


def test_the_2025_holidays_include_koningsdag_on_saturday_and_bevrijdingsdag():
    assert WorkingCalendar().holidays_in(2025) == {
        day("2025-01-01 Wed"),
        day("2025-04-20 Sun"),
        day("2025-04-21 Mon"),
        day("2025-04-26 Sat"),
        day("2025-05-05 Mon"),
        day("2025-05-29 Thu"),
        day("2025-06-08 Sun"),
        day("2025-06-09 Mon"),
        day("2025-12-25 Thu"),
        day("2025-12-26 Fri"),
    }


POLICY_CASES = [
    case(WC(good_friday_is_holiday=True), "2026-04-03 Fri", False, id="gv-off"),
    case(WC(liberation_day="every_year"), "2026-05-05 Tue", False, id="bd-yearly"),
    case(WC(liberation_day=LiberationDay.NEVER), "2025-05-05 Mon", True, id="bd-never"),
    case(WC(liberation_day="never"), "2016-05-05 Thu", False, id="bd-never-hemelvaart"),
    case(WC(liberation_day="lustrum"), "2045-05-05 Fri", False, id="bd-lustrum-2045"),
    case(WC(liberation_day="lustrum"), "2027-05-05 Wed", True, id="bd-2027-works"),
]


@pytest.mark.parametrize(("policy", "label", "working"), POLICY_CASES)
def test_bevrijdingsdag_and_goede_vrijdag_are_policy(policy, label, working):
    assert policy.is_working_day(day(label)) is working
    assert calendar.is_working_day(day(label), working_calendar=policy) is working


def test_the_policy_comes_from_settings_read_at_call_time():
    assert calendar.is_working_day(day("2026-04-03 Fri"))
    config = {"liberation_day": "every_year", "good_friday_is_holiday": True}
    with override_settings(IJAM_WORKING_CALENDAR=config):
        assert not calendar.is_working_day(day("2026-04-03 Fri"))
        assert not calendar.is_working_day(day("2026-05-05 Tue"))
        deadline = calendar.deadline_for(
            start=at("2026-04-02 Thu", 10), amount=5, unit="working_days"
        )
        assert deadline.date() == day("2026-04-13 Mon")


def test_holiday_lookups_are_cached_per_year(monkeypatch):
    calls = []
    real = holidays.NL

    def counting(*args, **kwargs):
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    calendar._holidays.cache_clear()
    monkeypatch.setattr(holidays, "NL", counting)
    for _ in range(3):
        calendar.working_days_between(day("2026-12-01 Tue"), day("2027-01-31 Sun"))
    assert calls == [2026, 2027]
    calendar._holidays.cache_clear()


# --- counting -----------------------------------------------------------------------------------

ADD_CASES = [
    case("2026-03-10 Tue", 1, "2026-03-11 Wed", id="weekday+1"),
    case("2026-03-09 Mon", 5, "2026-03-16 Mon", id="monday+5-is-next-monday"),
    case("2026-03-13 Fri", 1, "2026-03-16 Mon", id="friday+1-is-monday"),
    case("2026-03-14 Sat", 1, "2026-03-16 Mon", id="saturday-start+1"),
    case("2026-03-15 Sun", 2, "2026-03-17 Tue", id="sunday-start+2"),
    case("2026-03-11 Wed", 0, "2026-03-11 Wed", id="zero-on-working-day"),
    case("2026-03-15 Sun", 0, "2026-03-16 Mon", id="zero-on-sunday"),
    case("2026-04-25 Sat", 0, "2026-04-28 Tue", id="zero-before-koningsdag"),
    case("2026-04-24 Fri", 1, "2026-04-28 Tue", id="koningsdag-2026-monday"),
    case("2025-04-25 Fri", 1, "2025-04-28 Mon", id="koningsdag-2025-on-saturday"),
    case("2026-04-02 Thu", 1, "2026-04-03 Fri", id="goede-vrijdag-counts"),
    case("2026-04-03 Fri", 1, "2026-04-07 Tue", id="tweede-paasdag-2026"),
    case("2026-04-02 Thu", 5, "2026-04-10 Fri", id="zvh-norm-5-from-thursday-before-easter"),
    case("2026-05-13 Wed", 1, "2026-05-15 Fri", id="hemelvaartsdag-2026"),
    case("2026-05-22 Fri", 1, "2026-05-26 Tue", id="tweede-pinksterdag-2026"),
    case("2025-05-02 Fri", 1, "2025-05-06 Tue", id="bevrijdingsdag-2025-lustrum"),
    case("2026-05-04 Mon", 1, "2026-05-05 Tue", id="bevrijdingsdag-2026-works"),
    case("2016-05-04 Wed", 1, "2016-05-06 Fri", id="hemelvaart-on-5-may-2016"),
    case("2026-12-24 Thu", 1, "2026-12-28 Mon", id="christmas-2026-fri-sat"),
    case("2026-12-23 Wed", 2, "2026-12-28 Mon", id="christmas-2026+2"),
    case("2025-12-24 Wed", 1, "2025-12-29 Mon", id="christmas-2025-thu-fri"),
    case("2025-12-31 Wed", 1, "2026-01-02 Fri", id="new-year-2026-thursday"),
    case("2026-12-31 Thu", 1, "2027-01-04 Mon", id="new-year-2027-friday"),
    case("2026-12-23 Wed", 6, "2027-01-04 Mon", id="over-christmas-and-new-year"),
    case("2026-03-16 Mon", -1, "2026-03-13 Fri", id="back-over-weekend"),
    case("2026-03-15 Sun", -1, "2026-03-13 Fri", id="back-from-sunday"),
    case("2026-04-28 Tue", -1, "2026-04-24 Fri", id="back-over-koningsdag"),
    case("2026-04-07 Tue", -1, "2026-04-03 Fri", id="back-to-goede-vrijdag"),
    case("2026-04-07 Tue", -2, "2026-04-02 Thu", id="back-over-easter"),
    case("2026-12-28 Mon", -2, "2026-12-23 Wed", id="back-over-christmas"),
    case("2026-01-05 Mon", -3, "2025-12-30 Tue", id="back-over-new-year"),
    case("2025-05-06 Tue", -1, "2025-05-02 Fri", id="back-over-bevrijdingsdag-2025"),
]


@pytest.mark.parametrize(("start", "days", "expected"), ADD_CASES)
def test_add_working_days(start, days, expected):
    assert calendar.add_working_days(day(start), days) == day(expected)


def test_a_policy_changes_the_zvh_norm_over_easter():
    good_friday_off = WorkingCalendar(good_friday_is_holiday=True)
    assert good_friday_off.add_working_days(day("2026-04-02 Thu"), 5) == day("2026-04-13 Mon")


BETWEEN_CASES = [
    case("2026-03-11 Wed", "2026-03-11 Wed", 0, id="same-day"),
    case("2026-03-13 Fri", "2026-03-16 Mon", 1, id="over-weekend"),
    case("2026-03-14 Sat", "2026-03-15 Sun", 0, id="weekend-only"),
    case("2026-03-09 Mon", "2026-03-16 Mon", 5, id="one-week"),
    case("2026-03-16 Mon", "2026-03-09 Mon", -5, id="one-week-reversed"),
    case("2026-04-02 Thu", "2026-04-10 Fri", 5, id="zvh-norm-over-easter"),
    case("2026-04-24 Fri", "2026-04-30 Thu", 3, id="over-koningsdag"),
    case("2026-12-23 Wed", "2027-01-04 Mon", 6, id="over-the-year-end"),
    case("2027-01-04 Mon", "2026-12-23 Wed", -6, id="over-the-year-end-reversed"),
]


@pytest.mark.parametrize(("start", "end", "expected"), BETWEEN_CASES)
def test_working_days_between(start, end, expected):
    assert calendar.working_days_between(day(start), day(end)) == expected


# --- deadlines ----------------------------------------------------------------------------------

DEADLINE_CASES = [
    case(at("2026-03-10 Tue", 9), 1, WD, "2026-03-11 Wed", 1, id="wd-winter"),
    case(at("2026-06-10 Wed", 9), 5, WD, "2026-06-17 Wed", 2, id="wd-summer"),
    case(at("2026-04-02 Thu", 16), 5, WD, "2026-04-10 Fri", 2, id="zvh-easter"),
    case(at("2026-03-20 Fri", 12), 5, WD, "2026-03-27 Fri", 1, id="before-dst"),
    case(at("2026-03-27 Fri", 12), 1, WD, "2026-03-30 Mon", 2, id="after-dst"),
    case(at("2026-10-23 Fri", 12), 1, WD, "2026-10-26 Mon", 1, id="after-dst-end"),
    case(at("2026-03-14 Sat", 11), 0, WD, "2026-03-16 Mon", 1, id="wd-zero-sat"),
    case(at("2026-03-09 Mon", 10), 3, CD, "2026-03-12 Thu", 1, id="cd-weekday"),
    case(at("2026-03-09 Mon", 10), 6, CD, "2026-03-16 Mon", 1, id="cd-sun-to-mon"),
    case(at("2026-03-09 Mon", 10), 5, CD, "2026-03-16 Mon", 1, id="cd-sat-to-mon"),
    case(at("2026-03-30 Mon", 10), 7, CD, "2026-04-07 Tue", 2, id="cd-paasmaandag"),
    case(at("2026-12-18 Fri", 10), 7, CD, "2026-12-28 Mon", 1, id="cd-kerst"),
    case(at("2026-04-20 Mon", 10), 7, CD, "2026-04-28 Tue", 2, id="cd-koningsdag"),
    case(at("2026-03-02 Mon", 10), 90, CD, "2026-06-01 Mon", 2, id="cd-90-sun"),
    case(at("2026-03-14 Sat", 10), 0, CD, "2026-03-16 Mon", 1, id="cd-zero-sat"),
    # 23:30 UTC on Thursday 12 March is 00:30 on Friday 13 March in Amsterdam (UTC+1).
    case(at("2026-03-12 Thu", 23, 30, UTC), 1, WD, "2026-03-16 Mon", 1, id="local-date"),
    # 23:30 UTC on Tuesday 30 June is 01:30 on Wednesday 1 July in Amsterdam (UTC+2).
    case(at("2026-06-30 Tue", 23, 30, UTC), 2, CD, "2026-07-03 Fri", 2, id="local-cd"),
]


@pytest.mark.parametrize(("start", "amount", "unit", "expected", "offset_hours"), DEADLINE_CASES)
def test_deadline_for(start, amount, unit, expected, offset_hours):
    deadline = calendar.deadline_for(start=start, amount=amount, unit=unit)
    assert timezone.is_aware(deadline)
    local = deadline.astimezone(AMSTERDAM)
    assert local.date() == day(expected)
    assert (local.hour, local.minute, local.second, local.microsecond) == END
    assert local.utcoffset() == dt.timedelta(hours=offset_hours)
    # The same instant in UTC: one (winter) or two (summer) hours before local midnight.
    assert deadline.astimezone(dt.UTC) == dt.datetime.combine(
        day(expected), dt.time(*END), tzinfo=dt.UTC
    ) - dt.timedelta(hours=offset_hours)


def test_deadline_in_summer_and_winter_in_utc():
    summer = calendar.deadline_for(start=at("2026-06-10 Wed", 9), amount=5, unit="working_days")
    winter = calendar.deadline_for(start=at("2026-01-12 Mon", 9), amount=5, unit="working_days")
    assert summer.astimezone(dt.UTC) == dt.datetime(2026, 6, 17, 21, 59, 59, 999999, tzinfo=dt.UTC)
    assert winter.astimezone(dt.UTC) == dt.datetime(2026, 1, 19, 22, 59, 59, 999999, tzinfo=dt.UTC)


FROZEN_NOW_CASES = [
    case(at("2026-04-02 Thu", 14), 5, WD, "2026-04-10 Fri", id="zvh-thu-before-easter"),
    case(at("2026-04-24 Fri", 17), 1, WD, "2026-04-28 Tue", id="fri-before-koningsdag"),
    case(at("2026-12-24 Thu", 23, 45), 1, WD, "2026-12-28 Mon", id="christmas-eve-late"),
    case(at("2026-03-13 Fri", 8), 2, CD, "2026-03-16 Mon", id="cd-sunday-to-monday"),
]


@pytest.mark.parametrize(("now", "amount", "unit", "expected"), FROZEN_NOW_CASES)
def test_deadline_from_a_frozen_now(now, amount, unit, expected):
    with time_machine.travel(now, tick=False):
        assert timezone.now() == now
        deadline = calendar.deadline_for(start=timezone.now(), amount=amount, unit=unit)
    assert deadline == dt.datetime.combine(day(expected), dt.time(*END), tzinfo=AMSTERDAM)


def test_deadline_follows_the_time_zone_setting():
    start = at("2026-03-12 Thu", 23, 30, dt.UTC)
    with override_settings(TIME_ZONE="UTC"):
        deadline = calendar.deadline_for(start=start, amount=1, unit="working_days")
        assert deadline == dt.datetime(2026, 3, 13, *END, tzinfo=dt.UTC)


REMINDER_CASES = [
    case("2026-04-10 Fri", 2, "2026-04-08 Wed", id="plain"),
    case("2026-04-10 Fri", 0, "2026-04-10 Fri", id="zero-is-deadline-day"),
    case("2026-04-07 Tue", 1, "2026-04-03 Fri", id="over-easter-to-goede-vrijdag"),
    case("2026-04-07 Tue", 2, "2026-04-02 Thu", id="over-easter"),
    case("2026-12-28 Mon", 1, "2026-12-24 Thu", id="over-christmas"),
    case("2026-12-28 Mon", 2, "2026-12-23 Wed", id="over-christmas-2"),
    case("2025-05-06 Tue", 1, "2025-05-02 Fri", id="over-bevrijdingsdag-2025"),
    case("2026-05-26 Tue", 3, "2026-05-20 Wed", id="over-pinksteren"),
]


@pytest.mark.parametrize(("deadline_day", "before", "expected"), REMINDER_CASES)
def test_reminder_date(deadline_day, before, expected):
    deadline = dt.datetime.combine(day(deadline_day), dt.time(*END), tzinfo=AMSTERDAM)
    assert calendar.reminder_date(deadline, before) == day(expected)


def test_reminder_date_uses_the_local_date_of_the_deadline():
    # 22:30 UTC on Tuesday 16 June is 00:30 on Wednesday 17 June in Amsterdam (UTC+2).
    deadline = at("2026-06-16 Tue", 22, 30, dt.UTC)
    assert calendar.reminder_date(deadline, 1) == day("2026-06-16 Tue")


def test_reminder_with_a_policy():
    deadline = at("2026-04-07 Tue", 12)
    policy = WorkingCalendar(good_friday_is_holiday=True)
    assert calendar.reminder_date(deadline, 1, working_calendar=policy) == day("2026-04-02 Thu")


# --- refusals -----------------------------------------------------------------------------------

START = dt.datetime(2026, 6, 1, 9, tzinfo=AMSTERDAM)
NAIVE = dt.datetime(2026, 6, 1, 9)  # noqa: DTZ001 - deliberately naive

INVALID_DEADLINES = [
    case(START, -1, WD, "cannot be negative", id="negative-working-days"),
    case(START, -3, CD, "cannot be negative", id="negative-calendar-days"),
    case(START, 3, "weeks", "unknown deadline unit 'weeks'", id="unknown-unit"),
    case(START, 3, "", "unknown deadline unit ''", id="empty-unit"),
    case(NAIVE, 3, WD, "timezone-aware", id="naive-start"),
]


@pytest.mark.parametrize(("start", "amount", "unit", "message"), INVALID_DEADLINES)
def test_deadline_for_refuses(start, amount, unit, message):
    with pytest.raises(ValueError, match=message):
        calendar.deadline_for(start=start, amount=amount, unit=unit)


def test_reminder_date_refuses_a_negative_count_and_a_naive_deadline():
    with pytest.raises(ValueError, match="cannot be negative"):
        calendar.reminder_date(START, -1)
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.reminder_date(NAIVE, 1)


def test_an_unknown_liberation_day_policy_is_refused():
    with pytest.raises(ValueError, match="unknown liberation_day 'sometimes'"):
        WorkingCalendar(liberation_day="sometimes")
    with pytest.raises(ValueError, match="good_friday_is_holiday"):
        WorkingCalendar(good_friday_is_holiday="yes")
