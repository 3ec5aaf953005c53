# SPDX-License-Identifier: AGPL-3.0-or-later
"""Optional sign-in through the municipality's identity provider (OpenID Connect, with
mozilla-django-oidc; ADR 0014).

* Off unless ``OIDC_RP_CLIENT_ID`` is set (then every ``OIDC_OP_*`` endpoint must be set too).
* The IdP proves who someone is; IJAM decides what they may do. A person is matched to an
  existing, active IJAM account by e-mail address (exactly one); an unknown person gets no
  account automatically (``OIDC_CREATE_USER`` off) and roles stay managed in IJAM.
* The IdP's second factor counts when its ID token says one was used: an ``amr`` value from
  ``IJAM_OIDC_MFA_AMR`` (RFC 8176: ``mfa``, ``otp``, ``hwk`` …). Then the session is marked as
  verified for that user (``idp_verified``); otherwise IJAM asks its own second factor as after
  a password log-in.
* Nothing the IdP returns is logged: a refusal is logged by its reason only.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from casebook.auth import RoleBackend

logger = logging.getLogger(__name__)

#: The session key that says: the IdP verified a second factor for this user (its pk).
IDP_VERIFIED_SESSION_KEY = "ijam_idp_second_factor_user"

REFUSED_MESSAGE = (
    "Inloggen via {provider} is niet gelukt. Heeft u nog geen IJAM-account, of hoort uw "
    "e-mailadres bij meer dan één account, vraag het dan aan de functioneel beheerder van het "
    "Zorg- en Veiligheidshuis."
)


def enabled() -> bool:
    return bool(getattr(settings, "IJAM_OIDC_ENABLED", False))


def idp_verified(request) -> bool:
    """Whether the IdP verified a second factor for the user of this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return request.session.get(IDP_VERIFIED_SESSION_KEY) == user.pk


class MunicipalIdentityBackend(OIDCAuthenticationBackend):
    """Authenticates against the IdP; permissions and the session's user come from
    ``RoleBackend`` alone (this backend grants nothing)."""

    def get_payload_data(self, token, key):
        """The ID token's claims, once its signature, expiry, issuer and audience hold
        (mozilla-django-oidc checks neither issuer nor audience by itself)."""
        try:
            jws = jwt.get_unverified_header(token)
            if jws.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation("unexpected signing algorithm")
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.get_settings("OIDC_OP_ISSUER"),
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {type(exc).__name__}") from exc

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is off
        raise SuspiciousOperation("IJAM maakt geen accounts aan bij inloggen via de IdP")

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            logger.info("oidc.login refused: no single active account matches")
            return None
        session = self.request.session
        if second_factor_used(payload):
            session[IDP_VERIFIED_SESSION_KEY] = user.pk
        else:
            session.pop(IDP_VERIFIED_SESSION_KEY, None)
        return user

    def get_user(self, user_id):
        return RoleBackend().get_user(user_id)

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


def second_factor_used(id_token_claims: dict) -> bool:
    """Whether the ID token's ``amr`` (authentication methods) names a second factor that
    ``IJAM_OIDC_MFA_AMR`` accepts."""
    accepted = set(getattr(settings, "IJAM_OIDC_MFA_AMR", ()))
    methods = id_token_claims.get("amr") or ()
    if isinstance(methods, str):
        methods = [methods]
    return bool(accepted) and any(method in accepted for method in methods)


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("Inloggen via de IdP staat uit.")
        return super().dispatch(request, *args, **kwargs)


class SignInView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Sends the browser to the IdP (with state, nonce and PKCE)."""


class CallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """Where the IdP sends the browser back. A refusal says so in Dutch on the log-in page."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self):
        messages.error(
            self.request, REFUSED_MESSAGE.format(provider=settings.IJAM_OIDC_PROVIDER_NAME)
        )
        return HttpResponseRedirect(self.failure_url)

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation:
            logger.info("oidc.login refused: unknown state, nonce or claims")
            return self.login_failure()
        except requests.RequestException as exc:
            logger.warning("oidc.login failed: the IdP did not answer (%s)", type(exc).__name__)
            return self.login_failure()
