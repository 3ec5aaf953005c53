# SPDX-License-Identifier: AGPL-3.0-or-later
"""Task pages: the partner inbox, the procesregisseur's overview, one task, and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from casebook import policy
from casebook.errors import ConflictError, IjamError, TransitionRefused, add_form_errors
from casebook.models import Organisation
from casebook.policy import Act, Subject
from casebook.services.audit import audit_read
from casebook.services.processing import Code as Activity
from casebook.services.processing import log_subjects
from casebook.web import form_version, posted_id, requires, sees, show_current_version
from workflows.tasks import hooks
from workflows.tasks import services as task_services
from workflows.tasks.calendar import end_of_day
from workflows.tasks.forms import (
    InboxFilterForm,
    TaskDeadlineForm,
    TaskReasonForm,
    TaskReassignForm,
    TaskResultForm,
)
from workflows.tasks.selectors import (
    InboxFilters,
    inbox,
    organisation_open_tasks,
    returned_tasks,
    task_for_user,
    work_overview,
)

PAGE_SIZE = 25


@requires(Act.WORK, Subject.TASK)
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
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
    log_subjects(Activity.PARTNER_TASKS, [t.subject_youth_id for t in page], "task_inbox.viewed")
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "tasks/inbox.html",
        {"form": form, "page_obj": page, "querystring": query.urlencode(), "now": timezone.now()},
    )


@requires(Act.VIEW, Subject.WORKLOAD)
@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    returned = list(returned_tasks()[:50])
    context = {"loads": work_overview(), "returned": returned, "now": timezone.now()}
    shown = [task.subject_youth_id for task in returned]
    organisation_id = posted_id(request.GET.get("organisatie"))
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
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
        shown += [task.subject_youth_id for task in page]
    log_subjects(Activity.PARTNER_TASKS, shown, "task_overview.viewed")
    return render(request, "tasks/overview.html", context)


def _task_context(request, task, overrides: dict | None = None) -> dict:
    user = request.user
    overrides = overrides or {}
    is_worker = policy.works_on(user, task)
    is_director = policy.may(user, Act.ASSIGN, Subject.TASK)
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
    extra_actions = []
    if task.is_open:
        for action in hooks.actions_for(task, user):
            form = overrides.get(action.slug) or action.form_class(
                task=task, auto_id=f"id_{action.slug}_%s"
            )
            extra_actions.append({"action": action, "form": form})
    return {
        "task": task,
        "case": task.case,
        "member": task.group_member,
        "youth": task.subject_youth,
        "sees_all": policy.is_zvh_staff(user),
        "forms": forms,
        "extra_actions": extra_actions,
        "now": timezone.now(),
    }


@sees(Subject.TASK)
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for_user(request.user, pk)
    audit_read(actor=request.user, obj=task, case=task.case, youth=task.subject_youth, what="task")
    log_subjects(Activity.PARTNER_TASKS, [task.subject_youth_id], "task.viewed")
    return render(request, "tasks/task_detail.html", _task_context(request, task))


#: The actions of a task's own organisation; the others are the procesregisseur's.
WORKER_ACTIONS = {"claim", "complete", "return"}

ACTIONS = {
    "oppakken": ("claim", TaskReasonForm, "U heeft de taak opgepakt."),
    "afronden": ("complete", TaskResultForm, "De taak is afgerond."),
    "teruggeven": ("return", TaskReasonForm, "De taak is teruggegeven aan de procesregisseur."),
    "annuleren": ("cancel", TaskReasonForm, "De taak is geannuleerd."),
    "doorzetten": ("reassign", TaskReassignForm, "De taak ligt nu bij de nieuwe organisatie."),
    "deadline": ("deadline", TaskDeadlineForm, "De deadline is aangepast."),
}


@sees(Subject.TASK)
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    task = task_for_user(request.user, pk)
    extra = None
    if action in ACTIONS:
        key, form_class, done = ACTIONS[action]
        if key in WORKER_ACTIONS:
            if not policy.works_on(request.user, task):
                raise PermissionDenied(
                    "Alleen een takenbehandelaar van de organisatie van de taak."
                )
        else:
            policy.require(request.user, Act.ASSIGN, Subject.TASK)
    else:  # an action a process registered for this kind of task (workflows.tasks.hooks)
        extra = hooks.action_for(task, action)
        if extra is None:
            raise Http404
        if not request.user.has_perm(extra.permission):
            raise PermissionDenied
        key, form_class, done = extra.slug, extra.form_class, extra.done
    form = form_class(request.POST, task=task, auto_id=f"id_{key}_%s")
    if key == "claim":  # claiming needs no reason
        form.fields["reason"].required = False
    version, status = form_version(request, form)
    if version is not None and form.is_valid():
        data = form.cleaned_data
        common = {"task": task, "actor": request.user, "expected_version": version}
        try:
            if extra is not None:
                extra.perform(task=task, actor=request.user, data=data, expected_version=version)
            elif key == "claim":
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
        except (ConflictError, TransitionRefused) as exc:
            form.add_error(None, exc.message)
            status = 409
        except IjamError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            add_form_errors(form, exc)
        else:
            messages.success(request, done)
            if key == "reassign" and not policy.is_zvh_staff(request.user):
                return redirect("workflows:inbox")
            return redirect("workflows:task-detail", pk=task.pk)
    task = task_for_user(request.user, pk)
    if status == 409:
        show_current_version(form, task.version)
    context = _task_context(request, task, {key: form})
    context["open_form"] = key
    log_subjects(Activity.PARTNER_TASKS, [task.subject_youth_id], "task.viewed")
    return render(request, "tasks/task_detail.html", context, status=status)
