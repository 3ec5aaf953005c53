# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sign-in through the municipality's identity provider (issue 12, casebook/oidc.py).

A fake IdP on loopback (a real HTTP server: token, userinfo and key endpoints) signs ID tokens
with its own RSA key, so every check runs as with a real IdP: the state and nonce of the
request, PKCE, the signature, issuer, audience and expiry, and the match to an IJAM account."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from jwt.algorithms import RSAAlgorithm

from casebook import oidc
from casebook.models import Role, User
from tests import factories

CLIENT_ID = "ijam-test"
ISSUER = "https://idp.gemeente.example"


class FakeIdP:
    """What the IdP answers; a test changes ``claims``/``userinfo`` before the callback."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.nonce = ""
        self.claims: dict = {}
        self.userinfo: dict = {}
        self.token_requests: list[dict] = []
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # the token endpoint
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                idp.token_requests.append({k: v[0] for k, v in form.items()})
                self._json(
                    {"id_token": idp.id_token(), "access_token": "at", "token_type": "Bearer"}
                )

            def do_GET(self):
                if self.path.startswith("/jwks"):
                    jwk = json.loads(RSAAlgorithm.to_jwk(idp.key.public_key()))
                    self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                else:  # userinfo
                    self._json(idp.userinfo)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def id_token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "abc-123",
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            "amr": ["pwd", "mfa"],
            **self.claims,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture
def idp():
    fake = FakeIdP()
    with override_settings(
        IJAM_OIDC_ENABLED=True,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET="geheim",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.gemeente.example/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{fake.url}/token",
        OIDC_OP_USER_ENDPOINT=f"{fake.url}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{fake.url}/jwks",
        OIDC_OP_ISSUER=ISSUER,
        IJAM_OIDC_PROVIDER_NAME="Gemeente Maastricht",
        # As production has them with OIDC on: the lockout's backend first.
        AUTHENTICATION_BACKENDS=[
            *settings.AUTHENTICATION_BACKENDS,
            "casebook.oidc.MunicipalIdentityBackend",
        ],
    ):
        yield fake
    fake.server.shutdown()


def sign_in(client, idp, email):
    """Through the IdP and back; returns the callback's response."""
    start = client.get("/inloggen/idp/")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith("https://idp.gemeente.example/authorize?")
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    idp.nonce = query["nonce"][0]
    idp.userinfo = {"sub": "abc-123", "email": email}
    return client.get("/inloggen/idp/terug/", {"code": "c0de", "state": query["state"][0]})


def signed_in_user(client):
    return client.session.get(SESSION_KEY)


def refused(response, client):
    assert response.status_code == 302 and response["Location"] == "/inloggen/"
    page = client.get("/inloggen/")
    assert "Inloggen via Gemeente Maastricht is niet gelukt" in page.content.decode()
    return signed_in_user(client) is None


@pytest.fixture
def regisseur(director):
    director.email = "p.regisseur@maastricht.example"
    director.save()
    return director


def test_a_known_person_signs_in_and_the_idps_second_factor_counts(client, idp, regisseur):
    response = sign_in(client, idp, "P.Regisseur@Maastricht.example")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == str(regisseur.pk)
    assert client.session[oidc.IDP_VERIFIED_SESSION_KEY] == regisseur.pk
    # PKCE: the token request carried the verifier of the challenge sent to the IdP.
    assert idp.token_requests[-1]["code_verifier"]
    # Roles stay IJAM's: the regisseur's permissions, nothing from the IdP.
    assert client.get("/casussen/").status_code == 200


def test_without_a_second_factor_at_the_idp_ijam_asks_its_own(client, idp, regisseur):
    idp.claims = {"amr": ["pwd"]}
    sign_in(client, idp, regisseur.email)
    assert signed_in_user(client) == str(regisseur.pk)
    assert oidc.IDP_VERIFIED_SESSION_KEY not in client.session
    response = client.get("/casussen/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second-factor"))


def test_an_unknown_person_gets_no_account(client, idp, regisseur):
    before = User.objects.count()
    assert refused(sign_in(client, idp, "onbekend@maastricht.example"), client)
    assert User.objects.count() == before


def test_an_inactive_or_ambiguous_account_is_refused(client, idp, regisseur, zvh):
    regisseur.is_active = False
    regisseur.save()
    assert refused(sign_in(client, idp, regisseur.email), client)
    regisseur.is_active = True
    regisseur.save()
    twin = factories.user(Role.PROCESS_SUPPORT, zvh)
    twin.email = regisseur.email.upper()
    twin.save()
    assert refused(sign_in(client, idp, regisseur.email), client)


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-application"},
        {"iss": "https://evil.example"},
        {"exp": int(time.time()) - 60},
        {"nonce": "replayed"},
        {"aud": None},
    ],
    ids=["audience", "issuer", "expired", "nonce", "no-audience"],
)
def test_an_id_token_not_meant_for_ijam_is_refused(client, idp, regisseur, claims):
    idp.claims = claims
    assert refused(sign_in(client, idp, regisseur.email), client)


def test_a_forged_signature_is_refused(client, idp, regisseur):
    idp.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    real_id_token = idp.id_token
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def forged():
        token = real_id_token()
        claims = jwt.decode(token, options={"verify_signature": False})
        return jwt.encode(claims, forger, algorithm="RS256", headers={"kid": "k1"})

    idp.id_token = forged
    assert refused(sign_in(client, idp, regisseur.email), client)


def test_an_unknown_state_is_refused_without_an_error_page(client, idp, regisseur):
    client.get("/inloggen/idp/")
    response = client.get("/inloggen/idp/terug/", {"code": "c0de", "state": "made-up"})
    assert refused(response, client)


def test_an_unreachable_idp_is_a_dutch_message_not_a_500(client, idp, regisseur):
    idp.server.shutdown()
    idp.server.server_close()
    assert refused(sign_in(client, idp, regisseur.email), client)


def test_the_log_in_page_offers_the_idp_only_when_configured(client, db, idp):
    assert "Inloggen via Gemeente Maastricht" in client.get("/inloggen/").content.decode()
    with override_settings(IJAM_OIDC_ENABLED=False):
        assert "Inloggen via" not in client.get("/inloggen/").content.decode()
        assert client.get("/inloggen/idp/").status_code == 404
        assert client.get("/inloggen/idp/terug/?code=x&state=y").status_code == 404


def test_an_old_inactive_account_with_the_same_address_does_not_block(client, idp, regisseur, zvh):
    old = factories.user(Role.PROCESS_SUPPORT, zvh)
    old.email = regisseur.email
    old.is_active = False
    old.save()
    sign_in(client, idp, regisseur.email)
    assert signed_in_user(client) == str(regisseur.pk)
