# SPDX-License-Identifier: AGPL-3.0-or-later
"""The security headers (docs/adr/0016-security-headers.md): the Content-Security-Policy and
what keeps it enforceable (no template with inline script, style or event handler), framing
refused, browser features off, and ``Cache-Control: no-store`` on every response a signed-in
user gets. The browser's own verdict on the policy is tests/test_browser_content_security_policy.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.views.defaults import server_error

from casebook.errors import ConflictError, NotAllowed
from casebook.models import Role
from ijam import urls as ijam_urls
from tests import factories
from tests.test_access_matrix import MATRIX, _quiet_refusals, fast_pdf, world  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent

# --- The policy itself -----------------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_the_policy_allows_only_the_own_origin_and_nothing_inline(client):
    response = client.get("/inloggen/")
    csp = policy(response)
    for directive in ("default-src", "script-src", "style-src", "font-src", "form-action"):
        assert csp[directive] == ["'self'"], directive
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["connect-src"] == ["'self'"]  # the websocket is same-origin: 'self' covers it
    for directive in ("base-uri", "frame-ancestors", "object-src"):
        assert csp[directive] == ["'none'"], directive
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "*" not in header


def test_no_page_may_be_framed_and_no_browser_feature_is_on(client, director):
    client.force_login(director)
    for response in (client.get("/"), client.get("/bestaat-niet/")):
        assert policy(response)["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        features = dict(
            item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
            assert features[feature] == "()", feature


# --- Templates that keep the policy enforceable ------------------------------------------------

#: What a template must not hold: each needs 'unsafe-inline' (or eval) in the policy.
FORBIDDEN = {
    "inline <script> (no src)": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"(?<![\w-])style\s*=", re.I),
    "event-handler attribute (on…=)": re.compile(r"(?<![\w-])on[a-z]+\s*=\s*[\"'{]", re.I),
    "hx-on attribute (needs eval)": re.compile(r"(?<![\w-])(data-)?hx-on\b", re.I),
    "js:/javascript: value (needs eval)": re.compile(r"[\"']\s*(js|javascript):", re.I),
}

#: WeasyPrint's documents: rendered to PDF on the server, never served as HTML, so no browser
#: applies the policy to them; their page layout (@page, margins, footers) needs <style>.
DOCUMENT_TEMPLATES = ("templates/documents/", "/documents/")


#: Template comments are never rendered: what they mention is not on the page.
COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)


def findings(text: str) -> list[str]:
    text = COMMENTS.sub(lambda comment: "\n" * comment.group(0).count("\n"), text)
    return [
        f"{what} at line {text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r}"
        for what, pattern in FORBIDDEN.items()
        for match in pattern.finditer(text)
    ]


def served_templates() -> list[Path]:
    skip = {".venv", "staticfiles", "node_modules", ".git", "var"}
    found = []
    for template in sorted(ROOT.rglob("*.html")):
        relative = template.relative_to(ROOT).as_posix()
        if skip & set(template.relative_to(ROOT).parts) or "/templates/" not in f"/{relative}":
            continue
        if any(marker in f"/{relative}" for marker in DOCUMENT_TEMPLATES):
            continue
        found.append(template)
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        "<style>p{}</style>",
        '<p style="color:red">',
        "<p class='x' STYLE='color:red'>",
        '<button onclick="go()">',
        "<body onload='go()'>",
        '<div hx-on:click="go()">',
        '<div data-hx-on::after-request="go()">',
        "<div hx-vals='js:{a: 1}'>",
        '<a href="javascript:go()">',
        "{# a comment #}<style>p{}</style>",
    ],
)
def test_the_template_scan_catches_every_kind_of_inline_code(snippet):
    assert findings(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/ijam/live.js" defer></script>',
        "<script defer src=\"{% static 'vendor/htmx/htmx.min.js' %}\"></script>",
        '<link rel="stylesheet" href="{% static \'ijam/ijam.css\' %}">',
        '<p class="utrecht-paragraph ijam-header__organisation" data-style="x">',
        "<p>Ondersteuner=procesondersteuner, persoon = online</p>",
        '<form hx-get="/casussen/" hx-trigger="change, input delay:400ms from:input[type=search]">',
        "{# no <style> here, nor hx-on #}{% comment %}<script>x()</script>{% endcomment %}",
    ],
)
def test_the_template_scan_leaves_external_code_alone(snippet):
    assert not findings(snippet), snippet


def test_no_served_template_holds_inline_script_style_or_event_handlers():
    templates = served_templates()
    assert ROOT / "templates/base.html" in templates and ROOT / "templates/500.html" in templates
    assert len(templates) > 30  # every folder of templates is found (project and processes)
    problems = [
        f"{template.relative_to(ROOT)}: {finding}"
        for template in templates
        for finding in findings(template.read_text())
    ]
    assert not problems, (
        "Inline code breaks the Content-Security-Policy (ADR 0016); put scripts in "
        "static/ijam/*.js, styles in static/ijam/ijam.css, and pass values as data- "
        "attributes:\n" + "\n".join(problems)
    )


def test_htmx_is_configured_without_inline_styles_eval_or_stored_pages(client):
    html = client.get("/inloggen/").content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert meta is not None
    import json

    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False  # else htmx injects a <style>
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["historyCacheSize"] == 0  # no copy of a page with names in sessionStorage
    vendored = (ROOT / "static/vendor/htmx/htmx.min.js").read_text()
    for option in config:  # the names exist in the vendored htmx (a typo is silently ignored)
        assert f"{option}:" in vendored, option
    assert ".htmx-indicator" in (ROOT / "static/ijam/ijam.css").read_text()


def test_the_500_page_renders_without_context_with_its_stylesheet_as_a_file():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and "Er ging iets mis" in html
    href = re.search(r'<link rel="stylesheet" href="/static/([^"]+)">', html)
    assert href is not None and finders.find(href.group(1)) is not None
    assert "<style" not in html


# --- A test URL configuration with the answers a view can fail with ----------------------------


def _raise_conflict(request):
    raise ConflictError("Iemand anders heeft dit intussen gewijzigd.")


def _raise_not_allowed(request):
    raise NotAllowed("Dat mag u niet.")


def _boom(request):
    raise RuntimeError("kapot")


def _document(request):
    return HttpResponse(b"%PDF-1.7", content_type="application/pdf")


urlpatterns = [
    path("test/conflict/", _raise_conflict),
    path("test/geweigerd/", _raise_not_allowed),
    path("test/kapot/", _boom),
    path("test/document.pdf", _document),
    *ijam_urls.urlpatterns,
]


def assert_no_store(response, where: str) -> None:
    cache_control = {item.strip() for item in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "no-cache", "private"} <= cache_control, (where, cache_control)
    assert response.get("Pragma") == "no-cache", where


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/test/conflict/", 409),
        ("/test/geweigerd/", 403),
        ("/bestaat-niet/", 404),
        ("/test/kapot/", 500),
    ],
)
def test_error_pages_of_a_signed_in_user_are_not_stored(director, url, status, _quiet_refusals):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(director)
    response = client.get(url)
    assert response.status_code == status
    assert_no_store(response, url)
    assert "Content-Security-Policy" in response  # the error pages are under the policy too


@override_settings(ROOT_URLCONF=__name__)
def test_a_document_is_not_stored_whoever_asks(client):
    assert_no_store(client.get("/test/document.pdf"), "document")


def test_the_log_in_page_is_left_to_django(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert response.get("Pragma") is None  # not ours: the log-in page shows no personal data


def test_signed_in_pages_and_redirects_are_not_stored(client, director):
    client.force_login(director)
    for url in ("/", "/casussen/", "/meldingen/", "/inloggen/"):  # /inloggen/ redirects home
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_no_store(response, url)
    response = client.post("/uitloggen/")
    assert response.status_code == 302  # signed out: the redirect to the log-in page is no data


ROLES_ASKED = ("director", "partner", "steering", "admin", "privacy")


@pytest.mark.parametrize("key", [key for key in MATRIX if key.startswith("GET ")])
def test_every_page_of_the_access_matrix_is_not_stored_for_any_role(key, world, db, fast_pdf):  # noqa: F811
    """Every GET URL of IJAM (the access matrix holds them all, with each object variant) as
    five roles: pages, documents, redirects, 403 and 404 alike carry no-store."""
    row = MATRIX[key]
    asked = 0
    for variant in row.expect:
        side = world.sides.get(variant)
        with transaction.atomic():
            if row.prepare:
                row.prepare(world, side)
            url = row.url(world, side)
            for role in ROLES_ASKED:
                response = world.clients[role].get(url)
                assert response.status_code < 500, (key, variant, role)
                assert_no_store(response, f"{key} | {variant} | {role} ({response.status_code})")
                asked += 1
            transaction.set_rollback(True)
    assert asked >= len(ROLES_ASKED)


def test_a_beheerder_in_the_admin_gets_no_store_too(client, db):
    beheerder = factories.user(Role.FUNCTIONAL_ADMIN, factories.zvh(), is_staff=True)
    client.force_login(beheerder)
    for url in ("/beheer/", "/beheer/casebook/user/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_store(response, url)
        assert policy(response)["style-src"] == ["'self'"]  # the admin needs no relaxation
