# SPDX-License-Identifier: AGPL-3.0-or-later
"""Forms of the task pages. They validate shape; the services enforce the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from casebook import bounds
from casebook.forms import DATE_INPUT
from casebook.models import Case, Organisation, User
from workflows.tasks import calendar
from workflows.tasks.models import TaskState, TaskType


class VersionedForm(forms.Form):
    """A form about one task: it carries the task's version (checked by the view: a missing
    or stale one is a conflict, not a form error)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        if task is not None:
            self.initial.setdefault("version", task.version)


class TaskAssignForm(forms.Form):
    task_type = forms.ModelChoiceField(
        label=_("Soort taak"),
        queryset=TaskType.objects.filter(is_active=True),
        empty_label=_("Kies een soort"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        empty_label=_("De standaardorganisatie van de taaksoort"),
    )
    assignee = forms.ModelChoiceField(
        label=_("Persoon (optioneel)"),
        required=False,
        queryset=User.objects.filter(is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "last_name"),
        help_text=_("Leeg: iedereen van de organisatie kan de taak oppakken."),
    )
    instruction = forms.CharField(
        label=_("Opdracht"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leeg: de norm van de taaksoort (werkdagen, zonder weekend en feestdagen)."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_task_%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.organisation.short_name})"
        )

    def clean_deadline(self):
        return bounds.within_two_years(self.cleaned_data.get("deadline"))

    def deadline_value(self) -> dt.datetime | None:
        day = self.cleaned_data.get("deadline")
        return calendar.end_of_day(day) if day else None


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open en in behandeling")), *TaskState.choices, ("all", _("Alle"))],
    )
    task_type = forms.ModelChoiceField(
        label=_("Soort taak"),
        required=False,
        queryset=TaskType.objects.all(),
        empty_label=_("Alle soorten"),
    )
    level = forms.ChoiceField(
        label=_("Niveau casus"),
        required=False,
        # The case's states (the ladder's machine), read from the model: the engine imports
        # no process.
        choices=[("", _("Alle niveaus")), *Case._meta.get_field("level").choices],
    )
    mine = forms.BooleanField(label=_("Alleen mijn taken"), required=False)


class TaskResultForm(VersionedForm):
    result = forms.CharField(
        max_length=10_000,
        label=_("Resultaat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class TaskReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )


class TaskReassignForm(VersionedForm):
    organisation = forms.ModelChoiceField(
        label=_("Nieuwe organisatie"), queryset=Organisation.objects.filter(is_active=True)
    )
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )


class TaskDeadlineForm(VersionedForm):
    deadline = forms.DateField(label=_("Nieuwe deadline"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )

    def clean_deadline(self):
        return bounds.within_two_years(self.cleaned_data.get("deadline"))
