# SPDX-License-Identifier: AGPL-3.0-or-later
"""Rendering IJAM's documents to PDF (WeasyPrint). Every PDF goes through ``to_pdf``.

WeasyPrint fetches what a document refers to (images, style sheets, fonts). A document holds
user text, so it must never make the server fetch an address a user chose: ``url_fetcher``
serves only IJAM's own static files and refuses every other URL (http, https, ftp, other
files), and WeasyPrint then leaves that resource out."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from casebook.selectors.access import AccessOverview
from casebook.services.processing import Code as Activity
from casebook.services.processing import log_subjects


class FetchRefused(ValueError):
    """A document referred to something outside IJAM's static files."""


def _static_roots() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "static"]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def _allowed(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return False
    path = Path(unquote(parsed.path)).resolve()
    return path.is_file() and any(path.is_relative_to(root) for root in _static_roots())


def static_only_fetcher():
    """WeasyPrint's fetcher, refusing every URL but IJAM's own static files (built lazily:
    WeasyPrint is imported only when a PDF is made)."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not _allowed(url):
                # No address in the message: it reaches the technical log (no user text there).
                raise FetchRefused("A document referred to a resource outside IJAM's own files.")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols=("file",), allow_redirects=False)


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=static_only_fetcher()).write_pdf()


def access_overview_html(overview: AccessOverview, *, issued_by=None) -> str:
    """The access overview as a letter for the youth or a parent (ADR 0019): organisations,
    roles, activities and legal bases, emergency access, the period covered, the date of issue;
    no case content, and staff names only when the privacy officer chose them
    (``overview.show_names``). Logged as a processing of the youth's data."""
    log_subjects(Activity.PRIVACY, [overview.youth.pk], "access_overview_pdf.viewed")
    return render_to_string(
        "casebook/documents/access_overview.html",
        {"overview": overview, "issued_by": issued_by, "issued_at": timezone.localtime()},
    )
