# SPDX-License-Identifier: AGPL-3.0-or-later
"""Forms of the minutes: attendance and summary per agenda item, and the table's decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casebook.models import ClosureReason, LevelCriterion, Organisation
from casebook.models.configuration import LadderLevel
from workflows.meetings.models import Decision
from workflows.tasks.models import TaskType


class MinutesItemForm(forms.Form):
    discussed = forms.BooleanField(label=_("Besproken"), required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Aanwezig"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        max_length=10_000,
        label=_("Samenvatting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("auto_id", f"id_item{item.pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "name"
        )
        if not self.is_bound:
            self.initial.update(
                discussed=item.discussed,
                attendees=[o.pk for o in item.attendees.all()],
                summary=item.summary,
            )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Besluit"), choices=Decision.Kind.choices)
    target_level = forms.ChoiceField(
        label=_("Naar niveau"), required=False, choices=[("", "—"), *LadderLevel.choices]
    )
    criteria = forms.MultipleChoiceField(
        label=_("Criteria van het nieuwe niveau (vastgesteld door de tafel)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    closure_reason = forms.ModelChoiceField(
        label=_("Reden van afsluiten"),
        required=False,
        queryset=ClosureReason.objects.filter(is_active=True),
    )
    task_type = forms.ModelChoiceField(
        label=_("Taaksoort"), required=False, queryset=TaskType.objects.filter(is_active=True)
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), required=False, queryset=Organisation.objects.filter(is_active=True)
    )
    reason = forms.CharField(
        max_length=10_000,
        label=_("Onderbouwing / opdracht"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("auto_id", f"id_decision{item.pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [
            (f"{c.level}:{c.code}", f"{c.get_level_display()}: {c.text}")
            for c in LevelCriterion.objects.filter(is_active=True).exclude(level="")
        ]

    def criteria_codes(self) -> list[str]:
        prefix = f"{self.cleaned_data.get('target_level')}:"
        return [
            v.removeprefix(prefix) for v in self.cleaned_data["criteria"] if v.startswith(prefix)
        ]
