# SPDX-License-Identifier: AGPL-3.0-or-later
"""Youth-group pages: the overview per step, one group approach with what the user may see of
it (need-to-know), the partner's group signal, and the group documents per recipient."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed

from casebook import policy
from casebook.documents import to_pdf
from casebook.errors import ConflictError, IjamError, NotAllowed, TooManyRequests, add_form_errors
from casebook.locks import posted_version
from casebook.models import (
    GroupMember,
    GroupPlanAction,
    SignalCategory,
    Tier,
    Track,
)
from casebook.policy import Act, Subject
from casebook.selectors.cases import open_case_of, parse_case_reference, visible_cases
from casebook.services.audit import audit_read
from casebook.services.duplicates import NOTHING as NO_MATCH
from casebook.services.duplicates import DuplicateCheck
from casebook.services.processing import Code as Activity
from casebook.services.processing import log_subjects
from casebook.services.youths import YouthData
from casebook.web import (
    document_recipient,
    duplicate_check_for,
    errors_as_messages,
    pdf_response,
    posted_id,
    requires,
    sees,
    show_current_version,
)
from workflows.groups import documents
from workflows.groups.forms import (
    BulkActionForm,
    GroupForm,
    GroupSignalForm,
    InterpretationForm,
    MemberForm,
    NoteForm,
    ParticipantForm,
    PlanActionForm,
)
from workflows.groups.selectors import (
    GroupAccess,
    group_access,
    group_decisions,
    group_definition,
    group_timeline,
    groups_overview,
    member_list,
    visible_groups,
)
from workflows.groups.services import bulk, members, participants, plan, signals, steps
from workflows.groups.steps import GATES, GroupStep, step_progress
from workflows.tasks.models import OPEN_TASK_STATES, TaskTypeCode


@requires(Act.VIEW, Subject.GROUP)
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    step = request.GET.get("stap", "")
    groups = groups_overview(request.user, step)
    return render(
        request,
        "groups/list.html",
        {
            "groups": groups,
            "steps": GroupStep.choices,
            "step": step,
            "form": GroupForm(),
            "sees_all": policy.is_zvh_staff(request.user),
        },
    )


@requires(Act.RUN, Subject.GROUP)
@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST)
    if form.is_valid():
        with errors_as_messages(request):
            group = steps.group_create(actor=request.user, **form.cleaned_data)
            return redirect("groups:detail", pk=group.pk)
    else:
        messages.error(request, "Geef de groep een naam en een soort.")
    return redirect("groups:list")


@requires(Act.REGISTER, Subject.GROUP)
@require_http_methods(["GET", "POST"])
def group_signal(request: HttpRequest) -> HttpResponse:
    """Step 1 for partners: share a signal about group behaviour."""
    groups = visible_groups(request.user).exclude(step=GroupStep.CLOSED).order_by("name")
    form = GroupSignalForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = signals.group_signal_register(
                actor=request.user,
                text=data["text"],
                group=data["group"],
                name=data["name"],
                kind=data["kind"] or "loose_fixed",
                hotspots=data["hotspots"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            if not visible_groups(request.user).filter(pk=group.pk).exists():
                messages.success(
                    request,
                    "Dank u. Uw signaal is toegevoegd aan een groepsaanpak die al loopt; de "
                    "procesregisseur is op de hoogte gebracht.",
                )
                return redirect("groups:list")
            messages.success(
                request,
                f"Dank u. Uw signaal over {group.name} is vastgelegd; de procesregisseur is "
                "op de hoogte gebracht.",
            )
            return redirect("groups:detail", pk=group.pk)
    status = 400 if form.errors else 200
    return render(request, "groups/signal.html", {"form": form}, status=status)


def _members(request, access: GroupAccess) -> list[GroupMember]:
    return member_list(
        access,
        sort=request.GET.get("sorteer", "kleur" if access.full else "naam"),
        tier=request.GET.get("kleur", ""),
        include_left=request.GET.get("vertrokken") == "1",
    )


def _group_context(request, access: GroupAccess, **forms) -> dict:
    group = access.group
    directs = access.directs and policy.may(request.user, Act.RUN, Subject.GROUP)
    actions = list(access.plan_actions())
    tracks = [
        (value, label, [a for a in actions if a.track == value]) for value, label in Track.choices
    ]
    now = timezone.now()
    all_tasks = access.tasks()
    task_counts = all_tasks.aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_TASK_STATES)),
        overdue=Count("pk", filter=Q(state__in=OPEN_TASK_STATES, deadline__lt=now)),
        closed=Count("pk", filter=~Q(state__in=OPEN_TASK_STATES)),
    )
    show_all_tasks = request.GET.get("taken") == "alle"
    open_tasks = list(all_tasks.filter(state__in=OPEN_TASK_STATES).order_by("deadline", "pk"))
    tasks = list(all_tasks[:300]) if show_all_tasks else open_tasks
    context = {
        "group": group,
        "access": access,
        "directs": directs,
        "members": _members(request, access),
        "definition": group_definition(group),
        "tracks": tracks,
        "tasks": tasks,
        "task_counts": task_counts,
        "show_all_tasks": show_all_tasks,
        "now": now,
        "notes": access.notes()[:100],
        "participants": group.participants.select_related("organisation"),
        "decisions": group_decisions(group),
        "step_progress": step_progress(group.step),
        # A partner sees other organisations' group tasks, without links it could not open.
        "restrict_task_links": not access.directs,
        "GroupStep": GroupStep,
        "tiers": Tier.choices,
        "sort": request.GET.get("sorteer", "kleur" if access.full else "naam"),
        "sort_options": [("kleur", "Kleur"), ("naam", "Naam"), ("leeftijd", "Leeftijd")]
        + [("rol", "Rol")],
        "tier_filter": request.GET.get("kleur", ""),
        "show_left": request.GET.get("vertrokken") == "1",
        "note_form": forms.get("note_form") or NoteForm(),
        "member_check": forms.get("member_check") or NO_MATCH,
        # Whoever may run the approach adds members (the view checks the permission); the form
        # is shown again with its duplicate check to the one who posted it.
        "member_form": forms.get("member_form")
        or (MemberForm() if policy.may(request.user, Act.RUN, Subject.GROUP) else None),
        "may_inform": group.step != GroupStep.CLOSED,
    }
    if access.directs:
        context["show_timeline"] = True
        context["timeline"] = group_timeline(group)
    if directs:
        moves = [(k, label) for k, label in steps.MOVES.items() if can_proceed(getattr(group, k))]
        context |= {
            "moves": moves,
            "gate": GATES.get(group.step, ""),
            "priorities": group._meta.get_field("priority").choices,
            "open_tasks": open_tasks,
            # Monitoring ends with the approach; everything else may be handed over.
            "hand_over_candidates": [
                t for t in open_tasks if t.task_type.code != TaskTypeCode.GROUP_MONITORING
            ],
            "bulk_form": forms.get("bulk_form") or BulkActionForm(),
            "duiding_form": forms.get("duiding_form")
            or InterpretationForm(
                initial={
                    "version": group.version,
                    "neighbourhoods": list(group.neighbourhoods.all()),
                    **{name: getattr(group, name) for name in plan.DUIDING_FIELDS},
                }
            ),
            "action_form": forms.get("action_form") or PlanActionForm(group=group),
            "participant_form": forms.get("participant_form") or ParticipantForm(),
            "plan_open": group.step in plan.PLAN_STEPS,
            "recipients": [p.organisation for p in context["participants"]],
        }
    return context


def _log_group_page(context: dict) -> None:
    """Every youth the group's page shows: the members, the youths of its tasks, of its plan
    actions and of a duplicate check (one line per youth)."""
    youths = [member.youth_id for member in context["members"]]
    youths += [task.subject_youth_id for task in context["tasks"]]
    youths += [task.subject_youth_id for task in context.get("open_tasks") or []]
    for _value, _label, actions in context["tracks"]:
        youths += [action.member.youth_id for action in actions if action.member_id]
    youths += [youth.pk for youth in context["member_check"].candidates]
    log_subjects(Activity.GROUP_APPROACH, youths, "group.viewed")


@sees(Subject.GROUP)
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = group_access(request.user, pk)
    audit_read(actor=request.user, obj=access.group, what="group")
    context = _group_context(request, access)
    _log_group_page(context)
    return render(request, "groups/detail.html", context)


def _render_with(request, access, status: int, **forms) -> HttpResponse:
    context = _group_context(request, access, **forms)
    _log_group_page(context)
    return render(request, "groups/detail.html", context, status=status)


GROUP_ACTIONS = (
    "informatie",
    "duiding",
    "planactie",
    "stap",
    "actie-schrappen",
    "deelnemer",
    "bulkactie",
    "lid",
)


@sees(Subject.GROUP)
@require_POST
def group_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every change to a group approach. Each form carries the group's version: a missing or
    stale one is a visible conflict (409), never a silent overwrite."""
    if action not in GROUP_ACTIONS:
        raise Http404
    access = group_access(request.user, pk)
    group = access.group
    policy.require(request.user, Act.CHANGE if action == "informatie" else Act.RUN, Subject.GROUP)
    version = posted_version(request.POST.get("version"))  # a ConflictError is a 409 page
    if action == "informatie":
        form = NoteForm(request.POST)
        if not form.is_valid():
            return _render_with(request, access, 400, note_form=form)
        with errors_as_messages(request):
            participants.group_note_add(
                group=group, actor=request.user, expected_version=version, **form.cleaned_data
            )
            messages.success(request, "De informatie is toegevoegd.")
        return redirect("groups:detail", pk=group.pk)
    if action == "duiding":
        return _interpretation(request, access, version)
    if action == "planactie":
        return _plan_action(request, access, version)
    with errors_as_messages(request):
        if action == "stap":
            steps.group_step_move(
                group=group,
                actor=request.user,
                move=request.POST.get("move", ""),
                reason=request.POST.get("reason", ""),
                expected_version=version,
                priority=request.POST.get("priority", ""),
                evaluation=request.POST.get("evaluation", ""),
                hand_over=[
                    task_id
                    for value in request.POST.getlist("hand_over")
                    if (task_id := posted_id(value)) is not None
                ],
            )
            messages.success(request, "Het besluit is vastgelegd.")
        elif action == "actie-schrappen":
            plan_action = get_object_or_404(
                GroupPlanAction, group=group, pk=posted_id(request.POST.get("action")) or 0
            )
            plan.group_plan_action_remove(
                action=plan_action,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=version,
            )
            messages.success(request, "De actie is uit het plan gehaald.")
        elif action == "deelnemer":
            form = ParticipantForm(request.POST)
            if not form.is_valid():
                raise IjamError("Kies een organisatie en de toegang.")
            participants.group_participant_set(
                group=group, actor=request.user, expected_version=version, **form.cleaned_data
            )
            messages.success(request, "De deelname is vastgelegd.")
        elif action == "bulkactie":
            form = BulkActionForm(request.POST)
            if not form.is_valid():
                raise IjamError(
                    "Kies kleuren, een soort taak, een organisatie en beschrijf de actie."
                )
            tasks = bulk.group_bulk_action(
                group=group, actor=request.user, expected_version=version, **form.cleaned_data
            )
            messages.success(request, f"{len(tasks)} taken uitgezet, één per lid.")
        elif action == "lid":
            form = MemberForm(request.POST)
            if not form.is_valid():
                return _render_with(request, access, 400, member_form=form)
            try:
                check = _add_member(request, group, form.cleaned_data, version)
            except TooManyRequests as exc:
                form.add_error(None, exc.message)
                return _render_with(request, access, 429, member_form=form)
            if check:  # the same duplicate check as a signal: which youth is it?
                return _render_with(request, access, 200, member_form=form, member_check=check)
            messages.success(request, "Het lid is toegevoegd.")
    return redirect("groups:detail", pk=group.pk)


def _interpretation(request, access: GroupAccess, version: int) -> HttpResponse:
    form = InterpretationForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        try:
            plan.group_interpretation_update(
                group=access.group, actor=request.user, expected_version=version, **data
            )
        except ConflictError as exc:
            add_form_errors(form, exc)
            access = group_access(request.user, access.group.pk)  # the group as it is now
            show_current_version(form, access.group.version)
            return _render_with(request, access, 409, duiding_form=form)
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "De groepsduiding is bijgewerkt.")
            return redirect("groups:detail", pk=access.group.pk)
    return _render_with(request, access, 400, duiding_form=form)


def _plan_action(request, access: GroupAccess, version: int) -> HttpResponse:
    form = PlanActionForm(request.POST, group=access.group)
    if form.is_valid():
        try:
            action = plan.group_plan_action_add(
                group=access.group,
                actor=request.user,
                expected_version=version,
                **form.cleaned_data,
            )
        except ConflictError as exc:
            add_form_errors(form, exc)
            return _render_with(request, access, 409, action_form=form)
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                "De actie is gestart als taak."
                if action.task_id
                else "De actie staat in het plan; zij start als taak wanneer het plan wordt "
                "vastgesteld (stap 6).",
            )
            return redirect("groups:detail", pk=access.group.pk)
    return _render_with(request, access, 400, action_form=form)


def _add_member(request, group, data, version: int) -> DuplicateCheck:
    """Add the member; or, when a new youth looks like youths already in IJAM and nobody chose
    yet, return the duplicate check (the same as a signal's, ADR 0012): ZVH staff choose among
    the candidates; anyone else sees only that a match may exist and can add the youth as
    typed in. A case number reaches only the cases the user may see."""
    youth, new_youth = None, None
    if data["existing_case"].strip():
        reference = parse_case_reference(data["existing_case"])
        case = (
            visible_cases(request.user).select_related("youth").filter(pk=reference).first()
            if reference is not None
            else None
        )
        if case is None:
            raise IjamError("Geen casus gevonden met dit nummer.")
        youth = case.youth
    elif (
        data["first_name"] and data["last_name"] and data["date_of_birth"] and data["neighbourhood"]
    ):
        check = duplicate_check_for(request.user, data, "groepslid")
        choice = request.POST.get("youth_choice", "")
        if check and not choice:
            return check
        if choice and choice != "new":
            youth = next((y for y in check.candidates if str(y.pk) == choice), None)
            if youth is None:
                raise IjamError("Kies een van de getoonde jongeren of 'nieuwe jongere'.")
        else:
            new_youth = YouthData(
                first_name=data["first_name"],
                last_name_prefix=data["last_name_prefix"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                neighbourhood=data["neighbourhood"],
            )
    else:
        raise IjamError("Geef een casusnummer, of naam, geboortedatum en buurt.")
    members.group_member_add(
        group=group,
        actor=request.user,
        role=data["role"],
        tier=data["tier"],
        reason=data["reason"],
        youth=youth,
        new_youth=new_youth,
        expected_version=version,
    )
    return NO_MATCH


@sees(Subject.GROUP_MEMBER)
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One member: role, tier and its history, the tasks about them, and (ZVH) the actions."""
    member = get_object_or_404(GroupMember.objects.select_related("group"), pk=pk)
    access = group_access(request.user, member.group_id)
    member = get_object_or_404(
        access.members().select_related("youth__neighbourhood"), pk=member.pk
    )  # an executing partner opens only the members it works with
    audit_read(actor=request.user, obj=member.group, youth=member.youth, what="group_member")
    log_subjects(Activity.GROUP_APPROACH, [member.youth_id], "group_member.viewed")
    case = open_case_of(member.youth)
    return render(
        request,
        "groups/member.html",
        {
            "group": access.group,
            "member": member,
            "youth": member.youth,
            "access": access,
            "directs": access.directs and policy.may(request.user, Act.RUN, Subject.GROUP),
            "case": case,
            "tier_changes": member.tier_changes.select_related("decided_by").order_by("changed_at")
            if access.full
            else [],
            "tasks": access.tasks().filter(group_member=member),
            "tiers": Tier.choices,
            "GroupStep": GroupStep,
            "restrict_task_links": not access.directs,
            "categories": SignalCategory.objects.filter(is_active=True),
            "now": timezone.now(),
        },
    )


@sees(Subject.GROUP_MEMBER)
@require_POST
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("kleur", "doorverwijzen", "vertrek"):
        raise Http404
    member = get_object_or_404(GroupMember.objects.select_related("group"), pk=pk)
    group_access(request.user, member.group_id)  # 404 when the group is not visible
    policy.require(request.user, Act.RUN, Subject.GROUP)
    version = posted_version(request.POST.get("version"))  # a ConflictError is a 409 page
    with errors_as_messages(request):
        if action == "kleur":
            members.group_member_tier(
                member=member,
                actor=request.user,
                tier=request.POST.get("tier", ""),
                reason=request.POST.get("reason", ""),
                expected_version=version,
            )
            messages.success(request, "De kleur is aangepast.")
        elif action == "doorverwijzen":
            category = SignalCategory.objects.filter(
                pk=posted_id(request.POST.get("category"))
            ).first()
            if category is None:
                raise IjamError("Kies de categorie van het signaal.")
            signals.group_member_spin_off(
                member=member,
                actor=request.user,
                category=category,
                description=request.POST.get("description", ""),
                expected_version=version,
            )
            messages.success(request, "Doorverwezen naar de IJAM-ladder: er is een signaal gemeld.")
        elif action == "vertrek":
            members.group_member_leave(
                member=member,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=version,
            )
            messages.success(request, "Het lid staat als vertrokken genoteerd.")
        else:
            raise Http404
    return redirect("groups:member", pk=member.pk)


DOCUMENTS = {
    "overzicht": (documents.group_overview_html, "groepsoverzicht"),
    "plan": (documents.group_plan_html, "plan-van-aanpak"),
}


@sees(Subject.GROUP)
@require_GET
def group_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The group overview or plan of approach as PDF. ZVH staff get the full copy or, with
    ?organisatie=<id>, a participant's copy; a partner always gets its own organisation's."""
    if kind not in DOCUMENTS:
        raise Http404
    access = group_access(request.user, pk)
    recipient = document_recipient(request)
    render_html, filename = DOCUMENTS[kind]
    html = render_html(access.group, recipient)
    audit_read(
        actor=request.user,
        obj=access.group,
        what=f"group_{kind}_pdf",
        detail={"exemplaar_voor": recipient.name if recipient else "volledig"},
    )
    return pdf_response(to_pdf(html), f"{filename}-{access.group.pk}.pdf")
