# SPDX-License-Identifier: AGPL-3.0-or-later
"""Task pages: the partner inbox, the procesregisseur's overview, one task, and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from casebook.errors import ConflictError, IjamError, TransitionRefused, add_form_errors
from casebook.models import Organisation
from casebook.selectors.cases import case_for_user, sees_all_cases
from casebook.services.audit import audit_read
from workflows.flows import WORK_PERMISSION
from workflows.forms import (
    InboxFilterForm,
    IntakeForm,
    RioTrackForm,
    TaskAssignForm,
    TaskDeadlineForm,
    TaskReasonForm,
    TaskReassignForm,
    TaskResultForm,
    end_of_day,
)
from workflows.selectors import (
    InboxFilters,
    inbox,
    organisation_open_tasks,
    returned_tasks,
    task_for_user,
    work_overview,
)
from workflows.services import tasks as task_services
from workflows.services.level_flows import intake_request_information, rio_track_start
from workflows.services.tasks import ASSIGN_PERMISSION

PAGE_SIZE = 25


@login_required
@permission_required(WORK_PERMISSION, raise_exception=True)
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    if not request.user.organisation_id:
        raise PermissionDenied
    form = InboxFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = InboxFilters(
        state=data.get("state") or "open",
        task_type=data["task_type"].pk if data.get("task_type") else None,
        level=data.get("level") or "",
        mine=bool(data.get("mine")),
    )
    page = Paginator(inbox(request.user, filters), PAGE_SIZE).get_page(request.GET.get("pagina"))
    audit_read(actor=request.user, what="task_inbox", detail={"pagina": page.number})
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "workflows/inbox.html",
        {"form": form, "page_obj": page, "querystring": query.urlencode(), "now": timezone.now()},
    )


@login_required
@permission_required(ASSIGN_PERMISSION, raise_exception=True)
@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    context = {"loads": work_overview(), "returned": returned_tasks()[:50], "now": timezone.now()}
    organisation_id = request.GET.get("organisatie", "")
    if organisation_id.isdigit():
        organisation = Organisation.objects.filter(pk=int(organisation_id)).first()
        if organisation is None:
            raise Http404
        page = Paginator(organisation_open_tasks(organisation.pk), PAGE_SIZE).get_page(
            request.GET.get("pagina")
        )
        context.update(
            organisation=organisation,
            page_obj=page,
            querystring=f"organisatie={organisation.pk}",
        )
    return render(request, "workflows/overview.html", context)


def _task_context(request, task, overrides: dict | None = None) -> dict:
    user = request.user
    overrides = overrides or {}
    is_worker = user.has_perm(WORK_PERMISSION, task.organisation)
    is_director = user.has_perm(ASSIGN_PERMISSION)
    forms = {}
    if task.is_open:
        if is_worker and task.state == "open":
            forms["claim"] = overrides.get("claim") or TaskReasonForm(task=task)
        if is_worker and task.state == "claimed" and task.claimed_by_id == user.pk:
            forms["complete"] = overrides.get("complete") or TaskResultForm(task=task)
        if is_worker and (task.state == "open" or task.claimed_by_id == user.pk):
            forms["return"] = overrides.get("return") or TaskReasonForm(
                task=task, auto_id="id_return_%s"
            )
        if is_director and task.task_type.code == "intake":
            forms["intake"] = overrides.get("intake") or IntakeForm(
                task=task, auto_id="id_intake_%s"
            )
        if is_director:
            forms["deadline"] = overrides.get("deadline") or TaskDeadlineForm(
                task=task, auto_id="id_deadline_%s"
            )
            forms["reassign"] = overrides.get("reassign") or TaskReassignForm(
                task=task, auto_id="id_reassign_%s"
            )
            forms["cancel"] = overrides.get("cancel") or TaskReasonForm(
                task=task, auto_id="id_cancel_%s"
            )
    return {
        "task": task,
        "case": task.case,
        "member": task.group_member,
        "youth": task.subject_youth,
        "sees_all": sees_all_cases(user),
        "forms": forms,
        "now": timezone.now(),
    }


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for_user(request.user, pk)
    audit_read(actor=request.user, obj=task, case=task.case, youth=task.subject_youth, what="task")
    return render(request, "workflows/task_detail.html", _task_context(request, task))


ACTIONS = {
    "oppakken": ("claim", TaskReasonForm, "U heeft de taak opgepakt."),
    "afronden": ("complete", TaskResultForm, "De taak is afgerond."),
    "teruggeven": ("return", TaskReasonForm, "De taak is teruggegeven aan de procesregisseur."),
    "annuleren": ("cancel", TaskReasonForm, "De taak is geannuleerd."),
    "doorzetten": ("reassign", TaskReassignForm, "De taak ligt nu bij de nieuwe organisatie."),
    "deadline": ("deadline", TaskDeadlineForm, "De deadline is aangepast."),
    "intake": ("intake", IntakeForm, "De partners zijn om informatie gevraagd."),
}


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    key, form_class, done = ACTIONS[action]
    task = task_for_user(request.user, pk)
    form = form_class(request.POST, task=task, auto_id=f"id_{key}_%s")
    if key == "claim":  # claiming needs no reason
        form.fields["reason"].required = False
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        common = {"task": task, "actor": request.user, "expected_version": data["version"]}
        try:
            if key == "claim":
                task_services.task_claim(**common)
            elif key == "complete":
                task_services.task_complete(**common, result=data["result"])
            elif key == "return":
                task_services.task_return(**common, reason=data["reason"])
            elif key == "cancel":
                task_services.task_cancel(**common, reason=data["reason"])
            elif key == "reassign":
                task_services.task_reassign(
                    **common, organisation=data["organisation"], reason=data["reason"]
                )
            elif key == "deadline":
                task_services.task_move_deadline(
                    **common, deadline=end_of_day(data["deadline"]), reason=data["reason"]
                )
            elif key == "intake":
                intake_request_information(
                    task=task,
                    actor=request.user,
                    organisations=list(data["organisations"]),
                    deadline=end_of_day(data["deadline"]),
                    instruction=data["instruction"],
                )
        except (ConflictError, TransitionRefused) as exc:
            form.add_error(None, exc.message)
            status = 409
        except IjamError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            add_form_errors(form, exc)
        else:
            messages.success(request, done)
            if key == "reassign" and not sees_all_cases(request.user):
                return redirect("workflows:inbox")
            return redirect("workflows:task-detail", pk=task.pk)
    task = task_for_user(request.user, pk)
    context = _task_context(request, task, {key: form})
    context["open_form"] = key
    return render(request, "workflows/task_detail.html", context, status=status)


@login_required
@permission_required(ASSIGN_PERMISSION, raise_exception=True)
@require_POST
def rio_track_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Start the RIO track (re-integration plan, basic conditions, aftercare) at PGA level."""
    case = case_for_user(request.user, case_pk)
    form = RioTrackForm(request.POST)
    if form.is_valid():
        try:
            rio_track_start(
                case=case, actor=request.user, release_on=form.cleaned_data["release_on"]
            )
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Het RIO-traject is gestart: de RIO heeft zeven taken.")
            return redirect(reverse("casebook:case-detail", args=[case.pk]) + "#taken")
    from casebook.views import case_page_context

    context = case_page_context(request, case, {"rio": form})
    context["open_form"] = "rio"
    return render(request, "casebook/case_detail.html", context, status=400)


@login_required
@permission_required(ASSIGN_PERMISSION, raise_exception=True)
@require_POST
def task_assign_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The procesregisseur assigns ad-hoc work from a case page."""
    case = case_for_user(request.user, case_pk)
    form = TaskAssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = task_services.task_assign(
                case=case,
                actor=request.user,
                task_type=data["task_type"],
                organisation=data["organisation"],
                assignee=data["assignee"],
                instruction=data["instruction"],
                deadline=form.deadline_value(),
            )
        except IjamError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                f"Taak toegewezen aan {task.organisation.name}, uiterlijk "
                f"{timezone.localtime(task.deadline):%d-%m-%Y}.",
            )
            return redirect("casebook:case-detail", pk=case.pk)
    from casebook.views import case_page_context

    context = case_page_context(request, case, {"task": form})
    context["open_form"] = "task"
    return render(request, "casebook/case_detail.html", context, status=400)
