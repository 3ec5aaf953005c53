# SPDX-License-Identifier: AGPL-3.0-or-later
"""The published report of a period: every table of ``reports.figures`` through disclosure
control, kept in the cache so the page answers fast (a period that has ended does not change
any more, except through corrections; the current period is kept for a short while)."""

from __future__ import annotations

from dataclasses import replace

from django.core.cache import cache
from django.utils import timezone

from reports import disclosure
from reports.figures import Section, raw_report
from reports.figures.areas import DEFAULT_SCHEME
from reports.periods import Period

#: Seconds a report is kept: an ended period a day, one that is still running five minutes.
ENDED_TTL = 24 * 3600
RUNNING_TTL = 300
CACHE_VERSION = 1


def _cache_key(period: Period, threshold: int, scheme: str) -> str:
    return f"reports:v{CACHE_VERSION}:{period.key}:{scheme}:t{threshold}"


def compute_report(
    period: Period, threshold: int | None = None, scheme: str = DEFAULT_SCHEME
) -> list[Section]:
    """Every section of the period's report, published (nothing suppressed leaves here)."""
    limit = disclosure.threshold() if threshold is None else threshold
    return [
        replace(section, tables=tuple(disclosure.publish(t, limit) for t in section.tables))
        for section in raw_report(period, scheme)
    ]


def report(period: Period, *, scheme: str = DEFAULT_SCHEME, fresh: bool = False) -> list[Section]:
    """The published report of ``period``, from the cache when it is there."""
    limit = disclosure.threshold()
    key = _cache_key(period, limit, scheme)
    if not fresh:
        found = cache.get(key)
        if found is not None:
            return found
    sections = compute_report(period, limit, scheme)
    ttl = ENDED_TTL if period.end <= timezone.now() else RUNNING_TTL
    cache.set(key, sections, ttl)
    return sections


def precompute(today=None) -> list[Period]:
    """Compute and keep the reports the stuurgroep opens most: the last complete quarter (the
    page's default) and the running quarter, for the default area scheme."""
    from reports.periods import last_complete_quarter

    last = last_complete_quarter(today)
    q = (last.first_day.month - 1) // 3 + 1
    running = Period.quarter(last.first_day.year + (q == 4), 1 if q == 4 else q + 1)
    for period in (last, running):
        report(period, fresh=True)
    return [last, running]
