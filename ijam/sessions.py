# SPDX-License-Identifier: AGPL-3.0-or-later
"""How long a session lasts: an idle timeout and an absolute maximum (ADR 0015).

- **Idle**: ``IJAM_SESSION_IDLE_MINUTES`` after the last activity the session ends. Activity is
  every request a person makes (pages, forms, htmx, "Ingelogd blijven"); not the page's own
  status check (``/sessie/status/``) nor any request with the header ``X-IJAM-Background``
  (for future polling). The notification websocket does not pass through here and renews
  nothing.
- **Maximum**: ``IJAM_SESSION_MAX_HOURS`` after log-in the session ends, whatever the activity
  (``SESSION_COOKIE_AGE`` is the same, so cookie and row never outlive it).

Both are checked on every request by ``SessionLimitsMiddleware``; the next request after
either goes to the log-in page with a Dutch message saying which, and the end is logged
without personal data (reason and user id). Every page of a signed-in user carries the
seconds left in ``data-`` attributes of ``<body>`` (``session_limits``), from which
``static/ijam/session.js`` warns ``IJAM_SESSION_WARNING_MINUTES`` before the end.
A voluntary log-out says so on the log-in page too.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

log = logging.getLogger("ijam.sessions")

LOGIN_AT = "ijam_login_at"
SEEN_AT = "ijam_seen_at"
#: Requests a page makes on its own, not a person: they do not keep the session alive.
BACKGROUND_HEADER = "X-IJAM-Background"

LOGGED_OUT = "U bent uitgelogd. Sluit de browser als u een gedeelde computer gebruikt."


class Ended(enum.StrEnum):
    IDLE = "inactief"
    MAXIMUM = "maximum"


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.IJAM_SESSION_IDLE_MINUTES)


def max_limit() -> dt.timedelta:
    return dt.timedelta(hours=settings.IJAM_SESSION_MAX_HOURS)


def ended_message(reason: Ended) -> str:
    if reason is Ended.IDLE:
        return (
            f"Uw sessie is beëindigd omdat u {settings.IJAM_SESSION_IDLE_MINUTES} minuten "
            "niets heeft gedaan. Log opnieuw in om verder te werken."
        )
    return (
        f"Uw sessie is beëindigd: u was {settings.IJAM_SESSION_MAX_HOURS} uur ingelogd, de "
        "maximale duur van een sessie. Log opnieuw in om verder te werken."
    )


def _now() -> float:
    return timezone.now().timestamp()


@dataclass(frozen=True)
class SessionClock:
    """When the session began and when its user was last active (POSIX seconds)."""

    login_at: float
    seen_at: float

    @classmethod
    def of(cls, session) -> SessionClock | None:
        try:
            return cls(float(session[LOGIN_AT]), float(session[SEEN_AT]))
        except (KeyError, TypeError, ValueError):
            return None

    def idle_left(self, now: float) -> float:
        return self.seen_at + idle_limit().total_seconds() - now

    def max_left(self, now: float) -> float:
        return self.login_at + max_limit().total_seconds() - now

    def ended(self, now: float) -> Ended | None:
        if self.max_left(now) <= 0:
            return Ended.MAXIMUM
        if self.idle_left(now) <= 0:
            return Ended.IDLE
        return None


@receiver(user_logged_in, dispatch_uid="ijam.sessions.start")
def _start(sender, request, user, **kwargs):
    now = _now()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


@receiver(user_logged_out, dispatch_uid="ijam.sessions.logged_out")
def _logged_out(sender, request, user, **kwargs):
    if request is not None and not getattr(request, "ijam_session_ended", None):
        messages.info(request, LOGGED_OUT, fail_silently=True)


def _renew_every() -> float:
    """Seconds between writes of the last activity: not a session write on every request; the
    idle end may so come at most this much earlier than 30 minutes after the last click."""
    return min(60.0, idle_limit().total_seconds() / 10)


def is_activity(request: HttpRequest) -> bool:
    return BACKGROUND_HEADER not in request.headers and request.path != reverse("session-status")


class SessionLimitsMiddleware:
    """Ends a session that was idle too long or lasted too long; renews the idle time on
    activity. A session without the clock (from before this check) ends as too long."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = _now()
            clock = SessionClock.of(request.session)
            reason = clock.ended(now) if clock is not None else Ended.MAXIMUM
            if reason is not None:
                return self._end(request, reason)
            if is_activity(request) and (
                now - clock.seen_at >= _renew_every() or request.path == reverse("session-renew")
            ):
                request.session[SEEN_AT] = now
                clock = SessionClock(clock.login_at, now)
            request.ijam_session_clock = clock
        return self.get_response(request)

    def _end(self, request: HttpRequest, reason: Ended) -> HttpResponse:
        log.info("Sessie beëindigd (%s) voor gebruiker %s", reason.value, request.user.pk)
        request.ijam_session_ended = reason
        logout(request)
        messages.warning(request, ended_message(reason), fail_silently=True)
        if request.path in (reverse("session-status"), reverse("session-renew")):
            return JsonResponse({"ingelogd": False, "reden": reason.value}, status=401)
        if getattr(request, "htmx", False):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = reverse(settings.LOGIN_URL)
            return response
        if request.method == "GET" and request.path != reverse(settings.LOGIN_URL):
            return redirect_to_login(request.get_full_path())
        return redirect(settings.LOGIN_URL)


def _seconds_left(request: HttpRequest) -> dict | None:
    clock = getattr(request, "ijam_session_clock", None)
    if clock is None:
        return None
    now = _now()
    return {
        "idle_seconds": max(0, int(clock.idle_left(now))),
        "max_seconds": max(0, int(clock.max_left(now))),
        "warn_seconds": int(settings.IJAM_SESSION_WARNING_MINUTES * 60),
        "warn_minutes": settings.IJAM_SESSION_WARNING_MINUTES,
    }


def session_limits(request: HttpRequest) -> dict:
    """Context processor: the seconds the session has left, for ``<body data-…>``."""
    left = _seconds_left(request)
    return {"ijam_session": left} if left else {}


def _answer(request: HttpRequest) -> JsonResponse:
    left = _seconds_left(request)
    if left is None:
        return JsonResponse({"ingelogd": False}, status=401)
    return JsonResponse({"ingelogd": True, **left})


@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left; asking does not count as activity."""
    return _answer(request)


@never_cache
@require_POST
def session_renew(request: HttpRequest) -> JsonResponse:
    """ "Ingelogd blijven": a request of the person, so the middleware renewed the idle time."""
    return _answer(request)
