# SPDX-License-Identifier: AGPL-3.0-or-later
"""Live pages in a real browser against the real server (issue 15): the procesregisseur
assigns a task while the partner's inbox is open in another browser; it appears there within
two seconds without a reload; the partner completes it and the procesregisseur's work
overview follows by itself."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser import CHROMIUM
from tests.processes import PASSWORD, argon2_password, web_server
from tests.second_factor import app_of, current_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page, user) -> None:
    argon2_password(user)
    app = app_of(user)
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/tweede-factor/**")
    page.get_by_label("Code").fill(current_code(app))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()


def _live(page) -> None:
    """Wait until the page's websocket is open (live.js marks the document)."""
    page.wait_for_selector("html[data-ijam-live-connected]", state="attached", timeout=10_000)


def test_a_task_appears_in_the_open_inbox_and_its_completion_in_the_overview(
    monkeypatch, director, halt, halt_worker
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    case = factories.signal(halt_worker).case
    with web_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        regisseur = browser.new_context(base_url=base, locale="nl-NL").new_page()
        partner = browser.new_context(base_url=base, locale="nl-NL").new_page()
        _log_in(regisseur, director)
        _log_in(partner, halt_worker)

        partner.goto("/taken/")
        _live(partner)
        inbox = partner.locator("#ijam-live-inbox")
        expect(inbox.get_by_role("link", name="Schoolgesprek voeren")).to_have_count(0)

        regisseur.goto(f"/casussen/{case.pk}/")
        regisseur.get_by_text("Taak toewijzen").click()
        form = regisseur.locator("details", has_text="Taak toewijzen")
        form.get_by_label("Soort taak").select_option(label="Schoolgesprek voeren")
        form.get_by_label("Organisatie").select_option(label=halt.name)
        form.get_by_label("Opdracht").fill("Voer een schoolgesprek met de mentor.")
        form.get_by_role("button", name="Toewijzen").click()
        expect(regisseur.get_by_text(f"Taak toegewezen aan {halt.name}")).to_be_visible()

        # In the partner's open inbox, without a reload, within two seconds.
        expect(inbox.get_by_role("link", name="Schoolgesprek voeren")).to_be_visible(timeout=2000)
        expect(partner.locator("#ijam-live-status")).to_have_text("Deze pagina is bijgewerkt.")

        regisseur.goto(f"/taken/overzicht/?organisatie={halt.pk}#open-taken")
        _live(regisseur)
        overview = regisseur.locator("#ijam-live-overview")
        expect(overview.get_by_role("link", name="Schoolgesprek voeren")).to_be_visible()

        inbox.get_by_role("link", name="Schoolgesprek voeren").click()
        partner.get_by_role("button", name="Taak oppakken").click()
        partner.get_by_label("Resultaat").fill("Gesprek gevoerd.")
        partner.get_by_role("button", name="Afronden").click()
        expect(partner.get_by_text("De taak is afgerond.")).to_be_visible()

        # The work overview drops the finished task by itself.
        expect(overview.get_by_role("link", name="Schoolgesprek voeren")).to_have_count(
            0, timeout=2000
        )
        browser.close()
