# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notification centre's filter and the user's preferences."""

from __future__ import annotations

import zoneinfo

from django import forms

from notifications.models import Delivery, NotificationKind

#: Time zones a user may choose for the digest: the Netherlands first, then the rest of the
#: EU's, enough for staff abroad; a choice list, so no free text reaches zoneinfo.
TIME_ZONES = ["Europe/Amsterdam"] + sorted(
    zone
    for zone in zoneinfo.available_timezones()
    if zone.startswith("Europe/") and zone != "Europe/Amsterdam"
)


class NotificationFilterForm(forms.Form):
    soort = forms.ChoiceField(
        label="Soort",
        required=False,
        choices=[("", "Alle soorten"), *NotificationKind.choices],
    )
    ongelezen = forms.BooleanField(label="Alleen ongelezen", required=False)


class PreferencesForm(forms.Form):
    """One choice per kind of notification, and when the daily digest comes."""

    send_at = forms.TimeField(
        label="Tijdstip van het dagelijkse overzicht",
        help_text="Bijvoorbeeld 07:30.",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": "Vul een tijdstip in als uu:mm, bijvoorbeeld 07:30."},
    )
    time_zone = forms.ChoiceField(label="Tijdzone", choices=[(z, z) for z in TIME_ZONES])

    def __init__(self, *args, deliveries: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        deliveries = deliveries or {}
        for kind in NotificationKind:
            self.fields[f"kind_{kind.value}"] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=deliveries.get(kind.value, Delivery.IMMEDIATE),
                widget=forms.Select,
            )

    def kind_fields(self):
        return [self[f"kind_{kind.value}"] for kind in NotificationKind]

    def deliveries(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[f"kind_{kind.value}"] for kind in NotificationKind}
