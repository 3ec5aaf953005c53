# SPDX-License-Identifier: AGPL-3.0-or-later
"""The programme manager's form for the value of a KPI IJAM cannot measure."""

from __future__ import annotations

from django import forms

from reports.models import Kpi


class ManualValueForm(forms.Form):
    kpi = forms.ModelChoiceField(
        label="KPI",
        queryset=Kpi.objects.filter(is_active=True, measure="").order_by("order", "code"),
        empty_label="Kies een KPI",
        error_messages={"invalid_choice": "Kies een KPI uit de lijst."},
    )
    value = forms.DecimalField(
        label="Waarde (als getal, optioneel)",
        required=False,
        max_digits=10,
        decimal_places=1,
        localize=True,
        help_text="Alleen als de doelstelling een getal heeft, bijvoorbeeld 42 (%).",
    )
    summary = forms.CharField(
        label="Stand van zaken", max_length=300, help_text="Kort en zonder namen van personen."
    )
    source = forms.CharField(
        label="Bron", max_length=200, help_text="Bijvoorbeeld: partnerenquête najaar 2026."
    )
    measured_on = forms.DateField(
        label="Peildatum",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een geldige datum in."},
    )
