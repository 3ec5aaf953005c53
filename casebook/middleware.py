# SPDX-License-Identifier: AGPL-3.0-or-later
"""Turn service errors that escape a view into the right page (409 conflict, 403, 400, 429)."""

from __future__ import annotations

from django.shortcuts import render

from casebook.errors import ConflictError, IjamError, NotAllowed, TransitionRefused


class ConflictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ConflictError | TransitionRefused):
            return render(request, "409.html", {"message": exception.message}, status=409)
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": exception.message}, status=403)
        if isinstance(exception, IjamError):
            return render(
                request, "409.html", {"message": exception.message}, status=exception.status_code
            )
        return None
