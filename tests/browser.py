# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared pieces of the browser tests: Chromium through Playwright against the live server."""

from __future__ import annotations

import pytest
from django.db import connections

from tests.second_factor import app_of, current_code

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        yield context.new_page()
        browser.close()
    # Connections opened during the test (also from inside Playwright's event loop) end with
    # it, so the test database can be dropped afterwards.
    connections.close_all()


def log_in(page, user):
    """Log in as a person does: the password, then the code the authenticator app shows now
    (the user's app is set up here if the test made none)."""
    app = app_of(user)
    page.context.clear_cookies()
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/tweede-factor/**")
    page.get_by_label("Code").fill(current_code(app))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
