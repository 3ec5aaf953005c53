# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor at log-in (ADR 0014): the step after the password, setting up the app at
the first log-in, new recovery codes, and the reset under four eyes.

``casebook.middleware.SecondFactorMiddleware`` sends a signed-in user whose session no second
factor verified here from every other URL."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from casebook.errors import IjamError, add_form_errors
from casebook.forms import (
    SecondFactorCodeForm,
    SecondFactorEnrolForm,
    SecondFactorResetDecisionForm,
    SecondFactorResetRequestForm,
)
from casebook.models import SecondFactorReset
from casebook.policy import Act, Subject
from casebook.selectors.second_factor import (
    decided_resets,
    has_app,
    pending_resets,
    recovery_codes_left,
    users_for_reset,
)
from casebook.services.second_factor import (
    enrolment_device,
    recovery_codes_regenerate,
    second_factor_enrol,
    second_factor_reset_approve,
    second_factor_reset_reject,
    second_factor_reset_request,
    second_factor_verify,
)
from casebook.web import requires


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of ours only: "abc" would be taken for a URL name by redirect() (a 500).
    if (
        target.startswith("/")
        and len(target) <= 2000
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return resolve_url("home")


def _with_next(name: str, request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return reverse(name) + (f"?{urlencode({'next': target})}" if target else "")


def _verified(request: HttpRequest, device) -> None:
    """Mark the session as verified by ``device``, under a new session key (a session id seen
    before the second factor is worth nothing after it)."""
    request.session.cycle_key()
    otp_login(request, device)


def _codes_page(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    response = render(
        request,
        "registration/recovery_codes_new.html",
        {"codes": codes, "first": first, "next": _next(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_step(request: HttpRequest) -> HttpResponse:
    """The code after the password: from the app, or a recovery code instead."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not has_app(request.user):
        return redirect(_with_next("accounts:second-factor-enrol", request))
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device = second_factor_verify(user=request.user, code=form.cleaned_data["code"])
            except IjamError as exc:
                add_form_errors(form, exc)
            else:
                _verified(request, device)
                return redirect(_next(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "registration/second_factor.html", context, status=status)


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG: no script, no style, no data: URI (strict CSP)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, border=4, title="QR-code om IJAM aan uw app toe te voegen", svgclass="ijam-qr"
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol_page(request: HttpRequest) -> HttpResponse:
    """Setting up the authenticator app at the first log-in (or after a reset): a QR code and
    the secret, then the first code; the recovery codes are shown once on success."""
    if has_app(request.user):
        return redirect(_with_next("accounts:second-factor", request))
    form = SecondFactorEnrolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device, codes = second_factor_enrol(
                    user=request.user, code=form.cleaned_data["code"]
                )
            except IjamError as exc:
                add_form_errors(form, exc)
            else:
                _verified(request, device)
                return _codes_page(request, codes, first=True)
    device = enrolment_device(user=request.user)
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    response = render(request, "registration/second_factor_enrol.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and new ones (the old ones stop working)."""
    if request.method == "POST":
        codes = recovery_codes_regenerate(user=request.user)
        return _codes_page(request, codes, first=False)
    context = {"left": recovery_codes_left(request.user)}
    return render(request, "registration/recovery_codes.html", context)


# --- Reset under four eyes -------------------------------------------------------------------

RESET_DECISIONS = {
    "goedkeuren": second_factor_reset_approve,
    "afwijzen": second_factor_reset_reject,
}


@requires(Act.CHANGE, Subject.CONFIGURATION)
@require_http_methods(["GET", "POST"])
def reset_request(request: HttpRequest) -> HttpResponse:
    """The functioneel beheerder asks to reset a user's second factor."""
    form = SecondFactorResetRequestForm(request.POST or None, users=users_for_reset(request.user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                reset = second_factor_reset_request(
                    actor=request.user,
                    user=form.cleaned_data["user"],
                    reason=form.cleaned_data["reason"],
                )
            except IjamError as exc:
                add_form_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    f"Het herstel van de tweede factor van {reset.user.username} is aangevraagd; "
                    "het gaat in als een tweede persoon het goedkeurt.",
                )
                return redirect("accounts:second-factor-reset-request")
    context = {"form": form, "pending": pending_resets()}
    return render(request, "casebook/second_factor_reset_request.html", context, status=status)


def _resets_page(request, *, failed=None, form=None, error="", status=200) -> HttpResponse:
    rows = [
        (
            reset,
            form
            if reset.pk == failed
            else SecondFactorResetDecisionForm(prefix=f"reset-{reset.pk}"),
        )
        for reset in pending_resets()
    ]
    context = {"rows": rows, "decided": decided_resets(), "error": error}
    return render(request, "casebook/second_factor_resets.html", context, status=status)


@requires(Act.APPROVE, Subject.CONFIGURATION)
@require_GET
def reset_list(request: HttpRequest) -> HttpResponse:
    return _resets_page(request)


@login_required
@require_POST
@requires(Act.APPROVE, Subject.CONFIGURATION)
def reset_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in RESET_DECISIONS:
        raise Http404
    form = SecondFactorResetDecisionForm(request.POST, prefix=f"reset-{pk}")
    if not form.is_valid():
        return _resets_page(request, failed=pk, form=form, status=400)
    try:
        reset = RESET_DECISIONS[decision](
            actor=request.user, reset_id=pk, reason=form.cleaned_data["reason"]
        )
    except SecondFactorReset.DoesNotExist as exc:
        raise Http404 from exc
    except IjamError as exc:
        form.add_error("reason" if "reason" in exc.field_errors else None, exc.message)
        return _resets_page(
            request, failed=pk, form=form, error=exc.message, status=exc.status_code
        )
    messages.success(
        request,
        f"Het herstel van de tweede factor van {reset.user.username} is "
        f"{reset.get_decision_display()}.",
    )
    return redirect("accounts:second-factor-resets")
