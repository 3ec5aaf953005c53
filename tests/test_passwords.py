# SPDX-License-Identifier: AGPL-3.0-or-later
"""Passwords: Argon2 in production, older hashes upgraded at the next log-in, and Django's
validators (at least 12 characters) wherever a user sets one (ADR 0015).

The test settings hash with MD5 to keep fixtures fast; these tests use the production list
itself (``ijam.settings.PASSWORD_HASHERS``), so they fail when that list breaks."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.test import override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import ijam.settings as production
from tests.browser import PASSWORD

TOO_SHORT = "Dit wachtwoord is te kort. De minimale lengte is 12 tekens."


def test_production_hashes_new_passwords_with_argon2id():
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password("een-nieuw-wachtwoord").startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_a_pbkdf2_hash_becomes_argon2_at_the_next_log_in(client, director):
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        director.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        director.save(update_fields=["password"])
        response = client.post("/inloggen/", {"username": director.username, "password": PASSWORD})
        assert response.status_code == 302
        director.refresh_from_db()
        assert director.password.startswith("argon2$argon2id$")
        assert director.check_password(PASSWORD)


def _set_password_page(client, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(f"/wachtwoord/instellen/{uid}/{token}/")
    assert response.status_code == 302  # Django moves the token into the session
    return response["Location"]


@pytest.mark.django_db
def test_the_set_password_page_refuses_eleven_characters(client, director):
    page = _set_password_page(client, director)
    response = client.post(page, {"new_password1": "Kort-wachtw", "new_password2": "Kort-wachtw"})
    assert response.status_code == 200 and TOO_SHORT in response.content.decode()
    director.refresh_from_db()
    assert director.check_password(PASSWORD)

    accepted = "Lang-genoeg-wachtwoord-7"
    response = client.post(page, {"new_password1": accepted, "new_password2": accepted})
    assert response.status_code == 302
    director.refresh_from_db()
    assert director.check_password(accepted)


@pytest.mark.django_db
def test_the_admins_own_password_change_refuses_eleven_characters(client, zvh):
    from casebook.models import Role
    from tests import factories

    beheerder = factories.user(Role.FUNCTIONAL_ADMIN, zvh, is_staff=True)
    client.force_login(beheerder)
    response = client.post(
        "/beheer/password_change/",
        {"old_password": PASSWORD, "new_password1": "Kort-wachtw", "new_password2": "Kort-wachtw"},
    )
    assert response.status_code == 200 and TOO_SHORT in response.content.decode()
    beheerder.refresh_from_db()
    assert beheerder.check_password(PASSWORD)
