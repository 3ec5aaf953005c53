# SPDX-License-Identifier: AGPL-3.0-or-later
"""Forms of the casebook pages. They validate shape; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casebook import bounds
from casebook.age_bands import AGE_BANDS
from casebook.models import (
    Case,
    FamilyLink,
    Intervention,
    LifeDomain,
    Neighbourhood,
    Organisation,
    PlanGoal,
    SignalCategory,
)
from casebook.selectors.cases import CaseFilters, parse_case_reference
from workflows.ladder.machine import CaseState

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        help_text=_("Naam van de jongere of casusnummer"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("closed", _("Afgesloten")), ("all", _("Alle"))],
    )
    level = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=[("", _("Alle niveaus")), *CaseState.choices]
    )
    district = forms.TypedChoiceField(label=_("Wijk"), required=False, coerce=int, empty_value=None)
    neighbourhood = forms.TypedChoiceField(
        label=_("Buurt"), required=False, coerce=int, empty_value=None
    )
    age_band = forms.ChoiceField(
        label=_("Leeftijd"),
        required=False,
        choices=[("", _("Alle leeftijden")), *[(b.code, b.label) for b in AGE_BANDS]],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wijken and buurten from one query: the list page keeps a fixed, small query count.
        buurten = list(Neighbourhood.objects.select_related("district").order_by("name"))
        districts = sorted({(b.district_id, b.district.name) for b in buurten}, key=lambda d: d[1])
        self.fields["district"].choices = [("", _("Alle wijken")), *districts]
        self.fields["neighbourhood"].choices = [
            ("", _("Alle buurten")),
            *[(b.pk, b.name) for b in buurten],
        ]

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters()
        data = self.cleaned_data
        return CaseFilters(
            level=data["level"],
            status=data["status"] or "open",
            neighbourhood=data["neighbourhood"],
            district=data["district"],
            age_band=data["age_band"],
            q=data["q"],
        )


class YouthFieldsMixin(forms.Form):
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=100, validators=[bounds.person_name]
    )
    last_name_prefix = forms.CharField(
        label=_("Tussenvoegsel"), max_length=30, required=False, validators=[bounds.person_name]
    )
    last_name = forms.CharField(
        label=_("Achternaam"), max_length=100, validators=[bounds.person_name]
    )
    date_of_birth = forms.DateField(label=_("Geboortedatum"), widget=DATE_INPUT)
    neighbourhood = forms.ModelChoiceField(
        label=_("Buurt (woonadres)"),
        queryset=Neighbourhood.objects.select_related("district").order_by("name"),
        empty_label=_("Kies een buurt"),
    )


class SignalForm(YouthFieldsMixin, forms.Form):
    """A signal about a youth. ``youth_choice`` is an existing youth's id or "new"."""

    category = forms.ModelChoiceField(
        label=_("Soort signaal"),
        queryset=SignalCategory.objects.filter(is_active=True),
        empty_label=_("Kies een soort"),
    )
    observed_on = forms.DateField(label=_("Datum waarneming"), required=False, widget=DATE_INPUT)
    description = forms.CharField(
        max_length=10_000,
        label=_("Omschrijving"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat heeft u gezien of gehoord? Schrijf feitelijk; geen diagnoses."),
    )
    youth_choice = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def clean_observed_on(self):
        return bounds.observed(self.cleaned_data.get("observed_on"))


class SignalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("take_up", _("Oppakken")), ("decline", _("Niet oppakken"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        max_length=10_000,
        label=_("Terugkoppeling aan de melder"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("De melder leest dit bij 'Mijn signalen'."),
    )


class CaseDetailsForm(forms.Form):
    approach = forms.ChoiceField(label=_("Aanpak"), choices=Case.Approach.choices)
    criminal_law_component = forms.BooleanField(
        label=_("Strafrechtelijke component"),
        required=False,
        help_text=_("Aangevinkt: het OM wordt bij deze casus betrokken."),
    )
    reason = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the view checks it

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_details_%s")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("approach", case.approach)
        self.initial.setdefault("criminal_law_component", case.criminal_law_component)
        self.initial.setdefault("version", case.version)


class FamilyLinkForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relatie"), choices=FamilyLink.Relation.choices)
    related_case = forms.CharField(
        label=_("Casusnummer van het familielid"),
        required=False,
        max_length=bounds.REFERENCE_LENGTH,
        help_text=_("Als het familielid zelf in IJAM staat, bijvoorbeeld IJAM-000123."),
    )
    related_name = forms.CharField(
        label=_("Naam van het familielid"),
        required=False,
        max_length=200,
        help_text=_("Voor familieleden die niet in IJAM staan, zoals ouders."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_family_%s")
        super().__init__(*args, **kwargs)

    def clean_related_case(self):
        value = self.cleaned_data["related_case"].strip()
        if not value:
            return None
        reference = parse_case_reference(value)
        case = (
            Case.objects.select_related("youth").filter(pk=reference).first()
            if reference is not None
            else None
        )
        if case is None:
            raise forms.ValidationError(_("Geen casus gevonden met dit nummer."))
        return case


class PlanGoalForm(forms.Form):
    life_domain = forms.ChoiceField(label=_("Leefgebied"), choices=LifeDomain.choices)
    goal = forms.CharField(
        label=_("Doel"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_goal_%s")
        super().__init__(*args, **kwargs)


class PlanInterventionForm(forms.Form):
    intervention = forms.ModelChoiceField(
        label=_("Interventie"),
        queryset=Intervention.objects.filter(is_active=True).select_related("provider"),
        empty_label=_("Kies uit de catalogus"),
    )
    goal = forms.ModelChoiceField(
        label=_("Voor doel"),
        required=False,
        queryset=PlanGoal.objects.none(),
        empty_label=_("Geen specifiek doel"),
    )
    provider = forms.ModelChoiceField(
        label=_("Uitvoerder"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        empty_label=_("De aanbieder uit de catalogus"),
    )
    starts_on = forms.DateField(
        label=_("Start"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leeg: vandaag."),
        validators=[bounds.within_two_years],
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_plan_%s")
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = PlanGoal.objects.filter(case=case)
        self.fields["intervention"].label_from_instance = lambda i: (
            f"{i.name} ({i.provider.short_name if i.provider else 'aanbieder kiezen'}, "
            f"{i.min_age}-{i.max_age} jaar)"
        )


class EmergencyAccessForm(forms.Form):
    """Break the glass: one open case, a reason, and the acknowledgement that it is reviewed."""

    reference = forms.CharField(
        label=_("Casusnummer"),
        max_length=bounds.REFERENCE_LENGTH,
        help_text=_("Bijvoorbeeld IJAM-000123. Zoeken op naam kan hier niet."),
    )
    reason = forms.CharField(
        label=_("Spoedeisende reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom kunt u niet wachten tot de procesregisseur u betrekt?"),
    )
    acknowledged = forms.BooleanField(
        label=_(
            "Ik begrijp dat deze doorbraak wordt vastgelegd, dat de procesregisseur bericht krijgt "
            "en dat de privacy officer beoordeelt of zij terecht was."
        ),
        required=False,
    )


class EmergencyReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Oordeel"),
        choices=[("justified", _("Terecht")), ("unjustified", _("Onterecht"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij een onterechte doorbraak."),
    )


class RoleGrantDecisionForm(forms.Form):
    """Approve or reject one pending role grant; a rejection needs a reason (the service)."""

    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij afwijzen; de aanvrager ziet deze toelichting."),
    )


class AccessRequestForm(forms.Form):
    """The privacy officer identifies the person of a subject-access request."""

    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    # Only the privacy officer gets this field (the view drops it for anyone else).
    show_names = forms.BooleanField(
        label=_("Namen van medewerkers tonen"),
        required=False,
        help_text=_(
            "Standaard toont het overzicht organisaties en rollen. Kiest u voor namen, dan wordt "
            "die keuze in de audittrail vastgelegd."
        ),
    )

    def __init__(self, *args, may_show_names: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_show_names:
            del self.fields["show_names"]


class SecondFactorCodeForm(forms.Form):
    """The code of the log-in step: 6 digits from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("De 6 cijfers uit uw app, of een van uw herstelcodes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class SecondFactorEnrolForm(forms.Form):
    """The first code from the app being set up."""

    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=32,
        help_text=_("De 6 cijfers die de app nu toont."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorResetRequestForm(forms.Form):
    """The functioneel beheerder asks to reset someone's second factor (four eyes)."""

    user = forms.ModelChoiceField(
        label=_("Gebruiker"),
        queryset=None,
        error_messages={"invalid_choice": _("Kies een gebruiker uit de lijst.")},
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        help_text=_("Bijvoorbeeld: telefoon kwijt, nieuwe telefoon, herstelcodes op."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.username} — {u.get_full_name() or 'zonder naam'}"
            + (f" ({u.organisation.short_name})" if u.organisation_id else "")
        )


class SecondFactorResetDecisionForm(forms.Form):
    """Approve or reject one pending reset; a rejection needs a reason (the service)."""

    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij afwijzen; de aanvrager ziet deze toelichting."),
    )
