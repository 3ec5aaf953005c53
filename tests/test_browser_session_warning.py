# SPDX-License-Identifier: AGPL-3.0-or-later
"""End to end in Chromium, with a session of seconds: the warning appears before the idle end,
"Ingelogd blijven" keeps the user signed in past it, and without activity the page goes to the
log-in page by itself, so personal data does not stay on the screen (ADR 0015)."""

from __future__ import annotations

import pytest

from tests.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IDLE_SECONDS = 5
WARNING_SECONDS = 3


def test_the_warning_appears_and_staying_signed_in_works(page, director, settings):  # noqa: F811
    from playwright.sync_api import expect

    settings.IJAM_SESSION_IDLE_MINUTES = IDLE_SECONDS / 60
    settings.IJAM_SESSION_WARNING_MINUTES = WARNING_SECONDS / 60
    log_in(page, director)
    page.goto("/casussen/")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_hidden()

    expect(dialog).to_be_visible(timeout=4000)
    expect(dialog).to_contain_text("uitgelogd")
    dialog.get_by_role("button", name="Ingelogd blijven").click()
    expect(dialog).to_be_hidden()

    # Past the first idle end: still signed in, because the click renewed it.
    page.wait_for_timeout(3500)
    assert page.url.endswith("/casussen/")
    expect(page.get_by_role("button", name="Uitloggen").first).to_be_visible()

    # Now nothing: the page goes to the log-in page by itself, saying why.
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible(timeout=8000)
    expect(page.get_by_text("Uw sessie is beëindigd omdat u")).to_be_visible()
