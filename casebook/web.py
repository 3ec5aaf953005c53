# SPDX-License-Identifier: AGPL-3.0-or-later
"""Small helpers shared by the views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from casebook.errors import IjamError, NotAllowed


@contextmanager
def errors_as_messages(request) -> Iterator[None]:
    """For a redirect-after-POST action: a refusal for the user's role is a 403, any other
    service error becomes a Dutch error message on the next page (and nothing was changed)."""
    try:
        yield
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except IjamError as exc:
        messages.error(request, exc.message)
