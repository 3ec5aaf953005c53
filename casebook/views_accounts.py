# SPDX-License-Identifier: AGPL-3.0-or-later
"""The four-eyes page: a second person approves or rejects role grants (ADR 0011)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from casebook.errors import IjamError
from casebook.forms import RoleGrantDecisionForm
from casebook.models import RoleGrant
from casebook.policy import Act, Subject
from casebook.selectors.roles import decided_role_grants, pending_role_grants
from casebook.services.accounts import role_grant_approve, role_grant_reject
from casebook.web import requires

DECISIONS = {"goedkeuren": role_grant_approve, "afwijzen": role_grant_reject}


def _page(
    request: HttpRequest,
    *,
    failed: int | None = None,
    form=None,
    error: str = "",
    status: int = 200,
):
    rows = [
        (grant, form if grant.pk == failed else RoleGrantDecisionForm(prefix=f"grant-{grant.pk}"))
        for grant in pending_role_grants()
    ]
    context = {"rows": rows, "decided": decided_role_grants(), "error": error}
    return render(request, "casebook/role_grants.html", context, status=status)


@requires(Act.APPROVE, Subject.CONFIGURATION)
@require_GET
def role_grant_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
@requires(Act.APPROVE, Subject.CONFIGURATION)
def role_grant_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404
    perform = DECISIONS[decision]
    form = RoleGrantDecisionForm(request.POST, prefix=f"grant-{pk}")
    if not form.is_valid():
        return _page(request, failed=pk, form=form, status=400)
    try:
        grant = perform(actor=request.user, grant_id=pk, reason=form.cleaned_data["reason"])
    except RoleGrant.DoesNotExist as exc:
        raise Http404 from exc
    except IjamError as exc:
        form.add_error("reason" if "reason" in exc.field_errors else None, exc.message)
        return _page(request, failed=pk, form=form, error=exc.message, status=exc.status_code)
    messages.success(
        request,
        f"De rol {grant.role.name} voor {grant.user.username} is {grant.get_decision_display()}.",
    )
    return redirect("accounts:role-grants")
