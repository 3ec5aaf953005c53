# SPDX-License-Identifier: AGPL-3.0-or-later
"""A PDF holds user text, and a partner chooses some of it (a group's name): it can neither
make the server fetch an address nor change what the document says about itself."""

from __future__ import annotations

import http.server
import threading

import pytest

from casebook.documents import FetchRefused, static_only_fetcher, to_pdf
from casebook.templatetags.documents import css_string
from tests import factories
from workflows.groups.documents import group_overview_html, group_plan_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    """A local web server that counts the requests it gets (what an SSRF would hit)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body{}")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_a_document_fetches_nothing_from_outside(listener):
    base, hits = listener
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/a.css">'
        f"<style>@import url({base}/b.css); body{{background:url({base}/c.png)}}</style></head>"
        f'<body><img src="{base}/d.png"><img src="file:///etc/passwd">Tekst</body></html>'
    )
    assert to_pdf(html).startswith(b"%PDF")
    assert hits == []


def test_the_fetcher_refuses_every_address_but_the_static_files(settings):
    fetcher = static_only_fetcher()
    for url in (
        "http://127.0.0.1:8000/healthz",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "data:text/css,body{}",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    own = (settings.BASE_DIR / "static" / "ijam" / "live.js").resolve()
    response = fetcher.fetch(own.as_uri())
    assert response.read()
    response.close()


ATTACK = "Css\n}}body{background:url(%s/healthz?x)}@page{@bottom-left{content:'x"


def test_a_group_name_cannot_break_out_of_the_footer(director, listener):
    base, hits = listener
    group = factories.youth_group(director, "Groep")
    group.name = ATTACK % base
    group.save(update_fields=["name"])
    for render in (group_overview_html, group_plan_html):
        html = render(group, None)
        footer = html.split("@bottom-left", 1)[1].split(";", 1)[0]
        assert "url(" not in footer and "}" not in footer and "\n" not in footer
        assert to_pdf(html).startswith(b"%PDF")
    assert hits == []


def test_the_css_string_escapes_everything_that_could_end_it():
    escaped = css_string('a"b\\c}d<e\nf&amp;g' + "\u202e")
    for dangerous in ('"', "\\c", "}", "<", "\n", "\u202e", "&amp;"):
        assert dangerous not in escaped
    assert escaped.startswith("a\\000022b")
