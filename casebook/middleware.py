# SPDX-License-Identifier: AGPL-3.0-or-later
"""Turn service errors that escape a view into the right page (409 conflict, 403, 400, 429),
log denied access, keep a session without its second factor out of every page, and open
the processing log's trace of every request."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

from casebook import oidc
from casebook.errors import ConflictError, IjamError, NotAllowed, TransitionRefused
from casebook.services.audit import audit_denied
from casebook.services.processing import processing_trace

KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class ConflictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ConflictError | TransitionRefused):
            return render(request, "409.html", {"message": exception.message}, status=409)
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": exception.message}, status=403)
        if isinstance(exception, IjamError):
            return render(
                request, "409.html", {"message": exception.message}, status=exception.status_code
            )
        return None


#: Characters a path may not carry into the audit trail (NUL, controls, bidi overrides).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_PATH_MAX = 200


class DeniedAccessMiddleware:
    """Log every 403 and 404 a signed-in user gets as denied access (hash-chained, for the
    privacy officer): a hidden object (404) and a refused action (403) alike. The path is
    logged cut and cleaned, the query string never (it may hold a name)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code in (403, 404) and user is not None and user.is_authenticated:
            audit_denied(
                actor=user,
                path=_UNSAFE.sub("", request.path)[:_PATH_MAX],
                method=request.method if request.method in KNOWN_METHODS else "OTHER",
                status=response.status_code,
            )
        return response


class ProcessingLogMiddleware:
    """One trace of the processing log per request (ADR 0017): the root span of everything
    the request processes, whose lines are written in one INSERT when the response is ready.
    A calling system's W3C ``traceparent`` becomes the lines' ``foreign_operation``; our
    trace id is always our own. A response of 500 or more marks the lines as errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        method = request.method if request.method in KNOWN_METHODS else "OTHER"
        with processing_trace(
            f"HTTP {method}", traceparent=request.headers.get("traceparent")
        ) as trace:
            # For Django's request logger, which logs a 4xx/5xx after the trace has closed.
            request.processing_trace_id = trace.trace_id_hex
            response = self.get_response(request)
            if response.status_code >= 500:
                trace.fail()
        return response


#: What a signed-in user reaches before the second factor: the step itself (and setting up
#: the app at the first log-in), log-out, and the health check. URL names, not paths.
BEFORE_SECOND_FACTOR = frozenset(
    {"accounts:second-factor", "accounts:second-factor-enrol", "logout", "healthz"}
)


class SecondFactorMiddleware:
    """A signed-in user whose session no second factor verified (``OTPMiddleware``, just
    before this one) reaches nothing but ``BEFORE_SECOND_FACTOR`` and static files: every other
    request (a page, an htmx fragment, a PDF, the notifications, the admin, an unknown address)
    is sent to the second-factor step, with the page asked for as ``next`` (ADR 0014). An htmx
    request gets ``HX-Redirect``, so the step replaces the page rather than a fragment of it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and oidc.idp_verified(request):
            # Signed in through the municipality's IdP, whose second factor counts (ADR 0018).
            user.is_verified = lambda: True
        if user.is_authenticated and not user.is_verified() and not self._open(request):
            return self._to_step(request)
        return self.get_response(request)

    def _open(self, request) -> bool:
        if request.path_info.startswith(self.static_prefix):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in BEFORE_SECOND_FACTOR

    def _to_step(self, request):
        url = reverse("accounts:second-factor")
        if request.headers.get("HX-Request") == "true":  # the header itself: as htmx sends it
            return HttpResponseClientRedirect(url)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
