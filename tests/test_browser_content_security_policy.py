# SPDX-License-Identifier: AGPL-3.0-or-later
"""In Chromium, under IJAM's Content-Security-Policy: every kind of page renders without a single
violation (no inline script or style, no eval, nothing from another origin; the admin
included), and htmx still works (the case list's live filter)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casebook.models import Role
from tests import factories
from tests.browser import log_in
from workflows.tasks.models import PartnerTask

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Collects every securitypolicyviolation event of every document, before any page script runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.effectiveDirective + " blocked " + (event.blockedURI || "inline") + " at " +
    event.sourceFile + ":" + event.lineNumber + " (" + (event.sample || "") + ")"
  );
});
"""


class Violations:
    """What the browser refused, from the console and from the DOM events, per page."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.console.append(f"{self.page.url}: {text}")

    def visit(self, url: str, *, status: int = 200) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == status, (url, response)
        assert "Content-Security-Policy" in {name.title() for name in response.headers}, url
        self.page.wait_for_load_state("load")
        self.check(url)

    def check(self, where: str) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        found = [f"{where}: {event}" for event in events] + self.console
        self.console = []
        assert not found, "\n".join(found)


def test_every_kind_of_page_renders_without_a_violation(page, director, police, police_officer):
    case = factories.signal(police_officer).case
    task = PartnerTask.objects.filter(case=case).first()
    group = factories.youth_group(director, "Groep Pieterpad")
    beheerder = factories.user(Role.FUNCTIONAL_ADMIN, factories.zvh(), is_staff=True)
    watch = Violations(page)

    watch.visit("/inloggen/")
    watch.visit("/beheer/login/")
    log_in(page, director)
    watch.check("na het inloggen")
    for url in [
        "/",
        "/casussen/",
        f"/casussen/{case.pk}/",
        f"/taken/{task.pk}/" if task else "/taken/",
        "/overleg/",
        "/groepen/",
        f"/groepen/{group.pk}/",
        "/meldingen/",
        "/signalen/melden/",
    ]:
        watch.visit(url)
    watch.visit("/bestaat-niet/", status=404)

    log_in(page, police_officer)
    watch.visit("/taken/")
    watch.visit(reverse("workflows:overview"), status=403)  # the procesregisseur's overview

    log_in(page, beheerder)
    for url in ["/beheer/", "/beheer/casebook/user/", "/beheer/casebook/user/add/"]:
        watch.visit(url)


def test_htmx_filters_the_case_list_under_the_policy(page, director, police_officer):
    first = factories.signal(police_officer).case
    second = factories.signal(police_officer).case
    watch = Violations(page)
    log_in(page, director)
    watch.visit("/casussen/")
    rows = page.locator("#case-results tbody tr")
    assert rows.count() == 2

    page.get_by_label("Zoeken").fill(second.youth.last_name)
    page.wait_for_url(f"**/casussen/?*q={second.youth.last_name}*")  # htmx pushed the filter
    page.wait_for_function("document.querySelectorAll('#case-results tbody tr').length === 1")
    assert page.locator("#case-results").get_by_text(second.youth.last_name).is_visible()
    assert not page.locator("#case-results").get_by_text(first.youth.last_name).is_visible()
    watch.check("na het filteren")
