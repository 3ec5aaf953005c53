# SPDX-License-Identifier: AGPL-3.0-or-later
"""Forms of the ladder's moves, the level flow's intake and the RIO track. They validate
shape; the services enforce the rules (criteria, reasons, permissions)."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casebook import bounds
from casebook.forms import DATE_INPUT
from casebook.models import ClosureReason, LevelCriterion, Organisation
from workflows.ladder.machine import AWAITING, CaseState, allowed_targets
from workflows.tasks.forms import VersionedForm


class TransitionForm(forms.Form):
    """Screen in, escalate or de-escalate: target level, criteria checklist and reason."""

    target_level = forms.ChoiceField(label=_("Naar niveau"))
    criteria = forms.MultipleChoiceField(
        label=_("Criteria"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        max_length=10_000,
        label=_("Onderbouwing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom dit besluit? Dit komt in de audittrail."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the view checks it

    def __init__(self, *args, case, move: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{move}_%s")  # several forms share the case page
        super().__init__(*args, **kwargs)
        self.move = move
        labels = dict(CaseState.choices)
        targets = allowed_targets(move, case.level)
        self.fields["target_level"].choices = [(t, labels[t]) for t in targets]
        self.criteria_by_level = {
            level: [c for c in LevelCriterion.objects.filter(level=level, is_active=True)]
            for level in targets
        }
        self.fields["criteria"].choices = [
            (f"{level}:{c.code}", c.text)
            for level, criteria in self.criteria_by_level.items()
            for c in criteria
        ]
        self.initial.setdefault("version", case.version)

    def criteria_codes(self) -> list[str]:
        """The checked criterion codes of the chosen target level."""
        prefix = f"{self.cleaned_data['target_level']}:"
        return [
            v.removeprefix(prefix) for v in self.cleaned_data["criteria"] if v.startswith(prefix)
        ]


class CloseForm(forms.Form):
    closure_reason = forms.ModelChoiceField(
        label=_("Reden van afsluiten"),
        queryset=ClosureReason.objects.none(),
        empty_label=_("Kies een reden"),
    )
    reason = forms.CharField(
        label=_("Onderbouwing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the view checks it

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)
        reasons = ClosureReason.objects.filter(is_active=True)
        if case.level == AWAITING:
            reasons = reasons.filter(allowed_from_screening=True)
        self.fields["closure_reason"].queryset = reasons
        self.initial.setdefault("version", case.version)


class IntakeForm(VersionedForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Welke partners leveren informatie aan?"),
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Informatie uiterlijk"),
        widget=DATE_INPUT,
        help_text=_("Vóór de bespreking van de casus."),
        validators=[bounds.within_two_years],
    )
    instruction = forms.CharField(
        max_length=10_000,
        label=_("Vraag aan de partners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RioTrackForm(forms.Form):
    release_on = forms.DateField(
        label=_("Datum (verwachte) vrijlating"), widget=DATE_INPUT, validators=[bounds.release]
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_rio_%s")
        super().__init__(*args, **kwargs)


class DuplicateLinkForm(forms.Form):
    """Screening: the case's youth is a known youth registered again (ADR 0012). The choice
    is one of the possible matches the case page shows."""

    youth = forms.TypedChoiceField(
        label=_("Dit is dezelfde jongere als"), coerce=int, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        max_length=10_000,
        label=_("Onderbouwing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Waarom is dit dezelfde jongere? Dit komt in de audittrail."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the view checks it

    def __init__(self, *args, case, candidates, **kwargs):
        kwargs.setdefault("auto_id", "id_link_%s")
        super().__init__(*args, **kwargs)
        self.candidates = {youth.pk: youth for youth in candidates}
        self.fields["youth"].choices = [(youth.pk, _candidate_label(youth)) for youth in candidates]
        self.initial.setdefault("version", case.version)

    def chosen_youth(self):
        return self.candidates[self.cleaned_data["youth"]]


def _candidate_label(youth) -> str:
    case = getattr(youth, "open_case", None)
    where = f"casus {case.reference} ({case.get_level_display()})" if case else _("geen open casus")
    return (
        f"{youth.full_name}, geboren {date_format(youth.date_of_birth, 'j F Y')}, "
        f"{youth.neighbourhood.name} — {where}"
    )
