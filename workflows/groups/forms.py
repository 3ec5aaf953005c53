# SPDX-License-Identifier: AGPL-3.0-or-later
"""Forms of the youth-group pages. They only check input; the services decide."""

from __future__ import annotations

from django import forms

from casebook import bounds
from casebook.forms import DATE_INPUT, YouthFieldsMixin
from casebook.models import (
    Group,
    GroupMember,
    GroupNote,
    GroupParticipant,
    GroupRole,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Tier,
    Track,
)
from workflows.tasks.models import TaskType, TaskTypeCode


class _Prefixed(forms.Form):
    """Several forms share the group page: each gets its own ids (``id_<prefix>_<field>``)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class GroupForm(forms.Form):
    name = forms.CharField(label="Naam van de groep", max_length=150)
    kind = forms.ChoiceField(label="Soort groep", choices=Group.Kind.choices)
    hotspots = forms.CharField(
        label="Hotspots (ook online)", required=False, max_length=bounds.SHORT_TEXT
    )


class GroupSignalForm(forms.Form):
    """Step 1: a partner shares a signal about group behaviour."""

    group = forms.ModelChoiceField(
        label="Over een groep die al in IJAM staat",
        queryset=Group.objects.none(),
        required=False,
        empty_label="Nee, een nieuwe groep",
    )
    name = forms.CharField(
        label="Naam of omschrijving van de groep",
        max_length=150,
        required=False,
        help_text="Bijvoorbeeld de plek waar de groep samenkomt: 'Groep Mosae Forum'.",
    )
    kind = forms.ChoiceField(label="Soort groep", choices=Group.Kind.choices, required=False)
    hotspots = forms.CharField(
        label="Hotspots (plekken, ook online)", required=False, max_length=bounds.SHORT_TEXT
    )
    text = forms.CharField(
        max_length=10_000,
        label="Wat heeft u gezien of gehoord?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Feitelijk: wanneer, waar, welk gedrag, hoeveel jongeren. Namen van jongeren "
        "deelt de procesregisseur later in de ledenlijst.",
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups

    def clean(self):
        data = super().clean()
        if not data.get("group") and not (data.get("name") or "").strip():
            self.add_error("name", "Kies een bestaande groep of geef de groep een naam.")
        return data


class BulkActionForm(_Prefixed):
    id_prefix = "bulk"
    tiers = forms.MultipleChoiceField(
        label="Voor leden met kleur", choices=Tier.choices, widget=forms.CheckboxSelectMultiple
    )
    task_type = forms.ModelChoiceField(
        label="Soort taak", queryset=TaskType.objects.filter(is_active=True)
    )
    organisation = forms.ModelChoiceField(
        label="Uitvoerende organisatie", queryset=Organisation.objects.filter(is_active=True)
    )
    instruction = forms.CharField(
        max_length=10_000,
        label="Actie",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: overlastbrief van gemeente en politie naar het huisadres.",
    )


class MemberForm(YouthFieldsMixin, _Prefixed):
    id_prefix = "member"
    existing_case = forms.CharField(
        label="Casusnummer (als de jongere al in IJAM staat)",
        required=False,
        max_length=bounds.REFERENCE_LENGTH,
    )
    role = forms.ModelChoiceField(label="Rol in de groep", queryset=GroupRole.objects.all())
    tier = forms.ChoiceField(label="Kleur", choices=Tier.choices)
    reason = forms.CharField(
        label="Onderbouwing", widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "date_of_birth", "neighbourhood"):
            self.fields[name].required = False


class InterpretationForm(_Prefixed):
    """The duiding and the plan's aims (structured, not one free text)."""

    id_prefix = "duiding"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the view checks it
    problem_types = forms.MultipleChoiceField(
        label="Soorten problematiek",
        choices=Group.ProblemType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dynamics = forms.CharField(
        max_length=10_000,
        label="Groepsdynamiek",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Hoe hangt de groep samen, wie beïnvloedt wie, wat gebeurt er als groep.",
    )
    roles_description = forms.CharField(
        max_length=10_000,
        label="Rollen in de groep",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    context = forms.CharField(
        max_length=10_000,
        label="Context",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Plek, tijden, aanleiding, relatie met andere groepen of netwerken.",
    )
    hotspots = forms.CharField(
        label="Hotspots (ook online)", required=False, max_length=bounds.SHORT_TEXT
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label="Buurten",
        queryset=Neighbourhood.objects.select_related("district").order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Waar de groep zich ophoudt of waar de leden wonen. Meerdere kiezen: Ctrl- of "
        "Cmd-klik.",
    )
    legacy_label = forms.ChoiceField(
        label="Oud Beke-label (alleen voor oude dossiers)",
        choices=[("", "Geen"), *Group.LegacyLabel.choices],
        required=False,
    )
    plan_goals = forms.CharField(
        max_length=10_000,
        label="Doelen van het (concept) plan van aanpak",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    monitoring_weeks = forms.IntegerField(
        label="Monitoring elke (weken)", min_value=1, max_value=26
    )


class PlanActionForm(_Prefixed):
    id_prefix = "actie"
    track = forms.ChoiceField(label="Spoor", choices=[("", "Kies een spoor"), *Track.choices])
    member = forms.ModelChoiceField(
        label="Groepslid (bij persoons- en gezinsgerichte acties)",
        queryset=GroupMember.objects.none(),
        required=False,
        empty_label="Geen: de hele groep",
    )
    description = forms.CharField(
        label="Actie", widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )
    task_type = forms.ModelChoiceField(
        label="Soort taak",
        queryset=TaskType.objects.filter(is_active=True),
    )
    organisation = forms.ModelChoiceField(
        label="Uitvoerende organisatie", queryset=Organisation.objects.filter(is_active=True)
    )
    due_on = forms.DateField(
        label="Gereed op",
        required=False,
        widget=DATE_INPUT,
        help_text="Leeg: de termijn van de taaksoort, vanaf het moment dat het plan start.",
        validators=[bounds.within_two_years],
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:
            self.fields["member"].queryset = group.members.filter(
                left_on__isnull=True
            ).select_related("youth")
            self.fields["member"].label_from_instance = lambda m: m.youth.full_name
        self.initial.setdefault(
            "task_type", TaskType.objects.filter(code=TaskTypeCode.GROUP_ACTION).first()
        )


class ParticipantForm(_Prefixed):
    id_prefix = "deelnemer"
    organisation = forms.ModelChoiceField(
        label="Organisatie",
        queryset=Organisation.objects.filter(is_active=True).exclude(kind=OrganisationKind.ZVH),
    )
    access = forms.ChoiceField(label="Toegang", choices=GroupParticipant.Access.choices)


class NoteForm(_Prefixed):
    id_prefix = "info"
    kind = forms.ChoiceField(label="Soort informatie", choices=GroupNote.Kind.choices)
    text = forms.CharField(
        label="Informatie", widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )
