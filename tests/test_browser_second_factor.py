# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor in a browser (issue 12, ADR 0014): a new user logs in with the password,
sets up the app from the page (typing the secret shown under the QR code, as a phone app
would), keeps the recovery codes, and later logs in with a recovery code instead."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import hotp

from casebook.models import Role
from tests import factories
from tests.browser import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{hotp(key, int(time.time()) // 30):06d}"


def _password(page, user):
    page.context.clear_cookies()
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_first_log_in_sets_up_the_app_and_a_recovery_code_works_once(page):
    from playwright.sync_api import expect

    user = factories.user(Role.PROCESS_DIRECTOR, factories.zvh())
    _password(page, user)
    page.wait_for_url("**/tweede-factor/instellen/**")
    expect(page.get_by_role("heading", name="Tweede factor instellen")).to_be_visible()
    expect(page.locator("svg.ijam-qr")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
    secret = page.locator("[data-ijam-secret]").inner_text()

    page.get_by_label("Code uit de app").fill(
        "000000" if _code_from_secret(secret) != "000000" else "111111"
    )
    page.get_by_role("button", name="App koppelen").click()
    expect(page.get_by_text("Deze code klopt niet")).to_be_visible()

    time.sleep(1.1)  # the throttle's wait after one wrong code
    page.get_by_label("Code uit de app").fill(_code_from_secret(secret))
    page.get_by_role("button", name="App koppelen").click()
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    codes = page.locator("[data-ijam-recovery-code]").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()

    # Later, without the phone: a recovery code instead of the app's code, once.
    for attempt in range(2):
        _password(page, user)
        page.wait_for_url("**/tweede-factor/?**")
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Controleren").click()
        if attempt == 0:
            expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
        else:
            expect(
                page.get_by_text("Deze herstelcode klopt niet of is al gebruikt")
            ).to_be_visible()
            expect(page.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
