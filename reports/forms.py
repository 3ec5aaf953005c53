# SPDX-License-Identifier: AGPL-3.0-or-later
"""The period picker: a quarter (the default: the last complete one), a year, or from–to."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from reports.figures.areas import DEFAULT_SCHEME, SCHEMES
from reports.periods import QUARTER, RANGE, YEAR, Period, last_complete_quarter

#: The first year IJAM holds data for; nothing earlier can be asked.
FIRST_YEAR = 2020
#: The longest from–to range, in days (five years).
MAX_DAYS = 5 * 366


class PeriodForm(forms.Form):
    soort = forms.ChoiceField(
        label="Soort periode",
        choices=[(QUARTER, "Kwartaal"), (YEAR, "Jaar"), (RANGE, "Van – tot en met")],
        initial=QUARTER,
        error_messages={"invalid_choice": "Kies kwartaal, jaar of een periode van – tot en met."},
    )
    jaar = forms.IntegerField(
        label="Jaar",
        required=False,
        error_messages={"invalid": "Vul een jaar in, bijvoorbeeld 2026."},
    )
    kwartaal = forms.TypedChoiceField(
        label="Kwartaal",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(q, f"{q}e kwartaal") for q in range(1, 5)],
        error_messages={"invalid_choice": "Kies het 1e, 2e, 3e of 4e kwartaal."},
    )
    van = forms.DateField(
        label="Van",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Vul een geldige datum in (dd-mm-jjjj)."},
    )
    tot = forms.DateField(
        label="Tot en met",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Vul een geldige datum in (dd-mm-jjjj)."},
    )

    gebied = forms.ChoiceField(
        label="Gebiedsindeling",
        required=False,
        choices=[(key, label) for key, (label, _sql) in SCHEMES.items()],
        error_messages={"invalid_choice": "Kies een gebiedsindeling uit de lijst."},
    )

    def __init__(self, data=None, *, today: dt.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        default = last_complete_quarter(self.today)
        if not data or "soort" not in data:
            data = {
                "soort": QUARTER,
                "jaar": default.first_day.year,
                "kwartaal": (default.first_day.month - 1) // 3 + 1,
                "gebied": (data or {}).get("gebied", DEFAULT_SCHEME),
            }
        super().__init__(data, **kwargs)

    def _year(self, cleaned) -> int | None:
        year = cleaned.get("jaar")
        if year is None:
            self.add_error("jaar", "Vul een jaar in.")
        elif not FIRST_YEAR <= year <= self.today.year:
            self.add_error("jaar", f"Kies een jaar van {FIRST_YEAR} tot en met {self.today.year}.")
            return None
        return year

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("soort")
        period = None
        if kind == QUARTER:
            year = self._year(cleaned)
            quarter = cleaned.get("kwartaal")
            if quarter is None and "kwartaal" not in self.errors:
                self.add_error("kwartaal", "Kies een kwartaal.")
            if year and quarter:
                period = Period.quarter(year, quarter)
        elif kind == YEAR:
            year = self._year(cleaned)
            if year:
                period = Period.year(year)
        elif kind == RANGE:
            first, last = cleaned.get("van"), cleaned.get("tot")
            if first is None and "van" not in self.errors:
                self.add_error("van", "Vul de eerste dag van de periode in.")
            if last is None and "tot" not in self.errors:
                self.add_error("tot", "Vul de laatste dag van de periode in.")
            if first and last:
                if last < first:
                    self.add_error("tot", "De laatste dag ligt vóór de eerste dag.")
                elif first.year < FIRST_YEAR:
                    self.add_error("van", f"Kies een datum vanaf 1 januari {FIRST_YEAR}.")
                elif last > self.today:
                    self.add_error("tot", "De periode kan niet in de toekomst eindigen.")
                elif (last - first).days + 1 > MAX_DAYS:
                    self.add_error("tot", "Kies een periode van hoogstens vijf jaar.")
                else:
                    period = Period.between(first, last)
        if period and period.first_day > self.today:
            self.add_error(None, "Deze periode is nog niet begonnen.")
            period = None
        cleaned["period"] = period
        cleaned["gebied"] = cleaned.get("gebied") or DEFAULT_SCHEME
        return cleaned

    @property
    def scheme(self) -> str:
        return self.cleaned_data.get("gebied") or DEFAULT_SCHEME

    @property
    def period(self) -> Period | None:
        return self.cleaned_data.get("period") if self.is_valid() else None
