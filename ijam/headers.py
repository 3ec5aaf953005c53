# SPDX-License-Identifier: AGPL-3.0-or-later
"""The security headers every response carries (docs/adr/0016-security-headers.md).

- (``csp.middleware.CSPMiddleware``, django-csp's, sends ``settings.CONTENT_SECURITY_POLICY``.)
- ``PermissionsPolicyMiddleware``: ``Permissions-Policy`` switching off every browser feature
  in ``settings.IJAM_PERMISSIONS_POLICY``.
- ``NoStoreMiddleware``: ``Cache-Control: no-store`` on every response to a signed-in user and
  on every document (PDF), so no browser, proxy or shared computer keeps personal data.

Static files never pass through here (the web server or ``ASGIStaticFilesHandler`` serves
them), so they stay cacheable.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers

#: Content types that are a document or an export of the record, whoever asks for them.
DOCUMENT_TYPES = ("application/pdf", "text/csv", "application/vnd.")


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.IJAM_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class NoStoreMiddleware:
    """No cache may keep what a signed-in user was shown: pages, fragments, redirects, error
    pages (403, 404, 409, 500) and documents alike. Anonymous pages (the log-in page) keep
    Django's own headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        document = response.get("Content-Type", "").startswith(DOCUMENT_TYPES)
        if signed_in or document or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
            response["Pragma"] = "no-cache"  # HTTP/1.0 caches
        return response
