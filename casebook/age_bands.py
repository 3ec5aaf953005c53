# SPDX-License-Identifier: AGPL-3.0-or-later
"""Age bands for filters and reports.

The plan's bands overlap at 18 (13-18 and 18+); IJAM uses one definition without overlap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AgeBand:
    code: str
    label: str
    min_age: int
    max_age: int

    def birth_date_range(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """Birth dates (inclusive) of people whose age today falls in this band."""
        earliest = _years_before(today, self.max_age + 1) + dt.timedelta(days=1)
        latest = _years_before(today, self.min_age)
        return earliest, latest


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("8-12", "8 t/m 12 jaar (kinderen)", 8, 12),
    AgeBand("13-17", "13 t/m 17 jaar (jongeren)", 13, 17),
    AgeBand("18-27", "18 t/m 27 jaar (jongvolwassenen)", 18, 27),
)
AGE_BANDS_BY_CODE = {band.code: band for band in AGE_BANDS}
