# SPDX-License-Identifier: AGPL-3.0-or-later
"""Youth-group pages: the overview per step and one group with its members and steps."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed

from casebook.errors import IjamError, NotAllowed
from casebook.forms import YouthFieldsMixin
from casebook.models import Case, Group, GroupMember, GroupRole, Organisation, SignalCategory, Tier
from casebook.selectors.cases import VIEW_ALL
from casebook.services.audit import audit_read
from casebook.services.youths import YouthData
from casebook.web import errors_as_messages
from workflows.group_steps import GroupStep
from workflows.models import PartnerTask, TaskType
from workflows.services import groups as services


class GroupForm(forms.Form):
    name = forms.CharField(label="Naam van de groep", max_length=150)
    kind = forms.ChoiceField(label="Soort groep", choices=Group.Kind.choices)
    hotspots = forms.CharField(label="Hotspots (ook online)", required=False)


class BulkActionForm(forms.Form):
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
        label="Actie",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: overlastbrief van gemeente en politie naar het huisadres.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)


class MemberForm(YouthFieldsMixin, forms.Form):
    existing_case = forms.CharField(
        label="Casusnummer (als de jongere al in IJAM staat)", required=False
    )
    role = forms.ModelChoiceField(label="Rol in de groep", queryset=GroupRole.objects.all())
    tier = forms.ChoiceField(label="Kleur", choices=Tier.choices)
    reason = forms.CharField(label="Onderbouwing", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_member_%s")
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "date_of_birth", "neighbourhood"):
            self.fields[name].required = False


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    step = request.GET.get("stap", "")
    groups = Group.objects.annotate(
        current=Count("members", filter=Q(members__left_on__isnull=True)),
        red=Count("members", filter=Q(members__left_on__isnull=True, members__tier=Tier.RED)),
    ).order_by("step", "name")
    if step in GroupStep.values:
        groups = groups.filter(step=step)
    return render(
        request,
        "workflows/group_list.html",
        {"groups": groups, "steps": GroupStep.choices, "step": step, "form": GroupForm()},
    )


@login_required
@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except IjamError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("groups:detail", pk=group.pk)
    else:
        messages.error(request, "Geef de groep een naam en een soort.")
    return redirect("groups:list")


def group_tasks(group: Group):
    """The tasks about the group's members (group actions), newest first."""
    return (
        PartnerTask.objects.filter(group_member__group=group)
        .select_related("task_type", "organisation", "group_member__youth", "group_member__group")
        .order_by("-created", "-pk")[:200]
    )


MEMBER_ORDER = {
    "kleur": ("left_on", "tier", "youth__last_name"),
    "naam": ("left_on", "youth__last_name", "youth__first_name"),
    "leeftijd": ("left_on", "-youth__date_of_birth"),
    "rol": ("left_on", "role__order", "youth__last_name"),
}
TIER_ORDER = {Tier.RED: 0, Tier.ORANGE: 1, Tier.YELLOW: 2}


def _group_context(request, group, member_form=None) -> dict:
    sort = request.GET.get("sorteer", "kleur")
    tier = request.GET.get("kleur", "")
    members_qs = group.members.select_related("youth", "role", "spun_off_case").order_by(
        *MEMBER_ORDER.get(sort, MEMBER_ORDER["kleur"])
    )
    if tier in Tier.values:
        members_qs = members_qs.filter(tier=tier)
    if request.GET.get("vertrokken") != "1":
        members_qs = members_qs.filter(left_on__isnull=True)
    members = list(members_qs)
    if sort == "kleur":  # red, orange, yellow rather than alphabetical
        members.sort(key=lambda m: (m.left_on is not None, TIER_ORDER.get(m.tier, 9)))
    open_cases = {
        c.youth_id: c
        for c in Case.objects.filter(youth__in=[m.youth_id for m in members]).exclude(
            level="closed"
        )
    }
    for member in members:
        member.case = open_cases.get(member.youth_id)
    moves = [(k, label) for k, label in services.MOVES.items() if can_proceed(getattr(group, k))]
    return {
        "group": group,
        "members": members,
        "definition": services.group_definition(group),
        "moves": moves,
        "decisions": group.step_decisions.select_related("decided_by"),
        "member_form": member_form or MemberForm(),
        "bulk_form": BulkActionForm(),
        "member_tasks": group_tasks(group),
        "tiers": Tier.choices,
        "categories": SignalCategory.objects.filter(is_active=True),
        "step_labels": dict(GroupStep.choices),
        "sort": sort,
        "sort_options": [
            ("kleur", "Kleur"),
            ("naam", "Naam"),
            ("leeftijd", "Leeftijd"),
            ("rol", "Rol"),
        ],
        "tier_filter": tier,
        "show_left": request.GET.get("vertrokken") == "1",
    }


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    audit_read(actor=request.user, obj=group, what="group")
    return render(request, "workflows/group_detail.html", _group_context(request, group))


@login_required
@require_POST
def group_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    with errors_as_messages(request):
        if action == "stap":
            services.group_step_move(
                group=group,
                actor=request.user,
                move=request.POST.get("move", ""),
                reason=request.POST.get("reason", ""),
                expected_version=int(request.POST.get("version") or group.version),
            )
            messages.success(request, "Het besluit is vastgelegd.")
        elif action == "bulkactie":
            form = BulkActionForm(request.POST)
            if not form.is_valid():
                raise IjamError(
                    "Kies kleuren, een soort taak, een organisatie en beschrijf de actie."
                )
            tasks = services.group_bulk_action(group=group, actor=request.user, **form.cleaned_data)
            messages.success(request, f"{len(tasks)} taken uitgezet, één per lid.")
        elif action == "lid":
            form = MemberForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "workflows/group_detail.html",
                    _group_context(request, group, form),
                    status=400,
                )
            data = form.cleaned_data
            youth, new_youth = None, None
            reference = data["existing_case"].strip().upper().removeprefix("IJAM-")
            if reference:
                case = (
                    Case.objects.filter(pk=int(reference)).first() if reference.isdigit() else None
                )
                if case is None:
                    raise IjamError("Geen casus gevonden met dit nummer.")
                youth = case.youth
            elif (
                data["first_name"]
                and data["last_name"]
                and data["date_of_birth"]
                and data["neighbourhood"]
            ):
                new_youth = YouthData(
                    first_name=data["first_name"],
                    last_name_prefix=data["last_name_prefix"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                    neighbourhood=data["neighbourhood"],
                )
            else:
                raise IjamError("Geef een casusnummer, of naam, geboortedatum en buurt.")
            services.group_member_add(
                group=group,
                actor=request.user,
                role=data["role"],
                tier=data["tier"],
                reason=data["reason"],
                youth=youth,
                new_youth=new_youth,
            )
            messages.success(request, "Het lid is toegevoegd.")
        else:
            raise Http404
    return redirect("groups:detail", pk=group.pk)


@login_required
@require_POST
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    member = get_object_or_404(GroupMember.objects.select_related("group"), pk=pk)
    with errors_as_messages(request):
        if action == "kleur":
            services.group_member_tier(
                member=member,
                actor=request.user,
                tier=request.POST.get("tier", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "De kleur is aangepast.")
        elif action == "doorverwijzen":
            category = get_object_or_404(SignalCategory, pk=request.POST.get("category") or 0)
            services.group_member_spin_off(
                member=member,
                actor=request.user,
                category=category,
                description=request.POST.get("description", ""),
            )
            messages.success(request, "Doorverwezen naar de IJAM-ladder: er is een signaal gemeld.")
        elif action == "vertrek":
            services.group_member_leave(
                member=member, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Het lid staat als vertrokken genoteerd.")
        else:
            raise Http404
    return redirect("groups:detail", pk=member.group_id)
