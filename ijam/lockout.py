# SPDX-License-Identifier: AGPL-3.0-or-later
"""What django-axes asks of IJAM: the client's address and the page of a lockout (ADR 0015).

Axes counts failed log-ins per user name and per IP address (``AXES_LOCKOUT_PARAMETERS``) and,
past ``AXES_FAILURE_LIMIT``, refuses every further log-in for ``AXES_COOLOFF_TIME``, also with
the right password. It works at the level of ``django.contrib.auth.authenticate``, so it covers
every log-in form that calls it: ``/inloggen/``, ``/beheer/login/`` and any later login view.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

#: One text for every lockout: it never says whether the user name exists.
LOCKED_OUT = (
    "Inloggen is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over "
    "{minutes} minuten opnieuw, of vraag het functioneel beheer de blokkering op te heffen."
)


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address a log-in comes from (``AXES_CLIENT_IP_CALLABLE``).

    By default the connection's own address: X-Forwarded-For is written by whoever sends the
    request and is ignored. Behind ``IJAM_TRUSTED_PROXY_COUNT`` proxies that each append the
    address they saw, the entry that many places from the right is the one the outermost
    trusted proxy saw; the entries left of it are the client's to invent. A header that is
    too short or not an address falls back to the connection's address."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.IJAM_TRUSTED_PROXY_COUNT
    if proxies < 1:
        return remote
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(chain) < proxies:
        return remote
    return _address(chain[-proxies]) or remote


def lockout_message() -> str:
    return LOCKED_OUT.format(minutes=settings.IJAM_LOGIN_COOLOFF_MINUTES)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page of a refused log-in (``AXES_LOCKOUT_CALLABLE``): the same for every user name,
    known or not, and for the admin's log-in; status 429 (too many requests)."""
    del original_response, credentials  # the answer must not depend on them
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return HttpResponse(lockout_message(), status=429, content_type="text/plain")
    context = {"message": lockout_message()}
    return render(request, "registration/locked_out.html", context, status=429)


@checks.register(checks.Tags.security)
def proxy_address_check(app_configs=None, **kwargs):
    """Behind a TLS proxy without ``IJAM_TRUSTED_PROXY_COUNT`` every log-in comes from the
    proxy's address: five failed attempts by anyone would lock everyone out."""
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    if behind_proxy and settings.IJAM_TRUSTED_PROXY_COUNT < 1:
        return [
            checks.Warning(
                "USE_X_FORWARDED_PROTO staat aan, maar IJAM_TRUSTED_PROXY_COUNT is 0: elke "
                "inlogpoging lijkt van het adres van de proxy te komen, dus vijf mislukte "
                "pogingen van wie dan ook blokkeren het inloggen voor iedereen.",
                hint="Zet IJAM_TRUSTED_PROXY_COUNT op het aantal proxy's dat X-Forwarded-For "
                "aanvult (meestal 1).",
                id="ijam.W015",
            )
        ]
    return []
