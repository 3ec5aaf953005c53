# SPDX-License-Identifier: AGPL-3.0-or-later
"""Small helpers shared by the views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from casebook import policy
from casebook.errors import ConflictError, IjamError, NotAllowed
from casebook.locks import posted_version
from casebook.models import Organisation
from casebook.services.duplicates import DuplicateCheck, duplicate_check


@contextmanager
def errors_as_messages(request) -> Iterator[None]:
    """For a redirect-after-POST action: a refusal for the user's role is a 403, a conflict
    (the page was stale: someone changed the object since) a 409 page with its Dutch message
    (``ConflictMiddleware``), any other service error a Dutch error message on the next page.
    In every case nothing was changed."""
    try:
        yield
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ConflictError:
        raise
    except IjamError as exc:
        messages.error(request, exc.message)


def duplicate_check_for(user, data: dict, purpose: str) -> DuplicateCheck:
    """The duplicate check on what a form holds (``cleaned_data`` of a form with the youth
    fields); candidates only for ZVH staff. Raises ``TooManyRequests`` past the rate limit."""
    return duplicate_check(
        actor=user,
        first_name=data.get("first_name") or "",
        last_name_prefix=data.get("last_name_prefix") or "",
        last_name=data.get("last_name") or "",
        date_of_birth=data.get("date_of_birth"),
        purpose=purpose,
    )


#: The largest id a table can hold (a PostgreSQL bigint).
MAX_ID = 2**63 - 1


def posted_id(value) -> int | None:
    """An id from a form or a query string: a whole number from 1 up to the largest id, or
    ``None`` for anything else (letters, '²', a number of thirty digits), which then simply
    matches nothing instead of reaching the database."""
    if not isinstance(value, str) or not value.isascii() or not value.isdecimal():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def document_recipient(request) -> Organisation | None:
    """ZVH staff get the full document, or a recipient's copy with ?organisatie=<id>;
    a partner always gets its own organisation's copy."""
    if policy.is_zvh_staff(request.user):
        organisation_id = posted_id(request.GET.get("organisatie"))
        if organisation_id is not None:
            return get_object_or_404(Organisation, pk=organisation_id)
        return None
    if not request.user.organisation_id:
        raise PermissionDenied
    return request.user.organisation


def show_current_version(form, version: int) -> None:
    """After a conflict the form is shown again with what the user typed, but with the version
    of the object as it is now: sent again, after reading the new state, it applies to that
    state instead of conflicting once more."""
    if form.is_bound and "version" in form.fields:
        data = form.data.copy()
        data["version"] = str(version)
        form.data = data


def form_version(request, form) -> tuple[int | None, int]:
    """The version a form posted, and the status to answer with if the form is shown again:
    400 for a form with errors; when the version is missing or malformed, the conflict is put
    on the form, the version is ``None`` and the status 409."""
    try:
        return posted_version(request.POST.get("version")), 400
    except ConflictError as exc:
        form.is_valid()
        form.add_error(None, exc.message)
        return None, 409


def requires(act: policy.Act, subject: policy.Subject):
    """View decorator: sign-in first, then the policy's rule for ``act`` on ``subject`` (a 403
    with a Dutch message for a role that may never do it). The objects are cut further by the
    policy's scopes inside the view (a 404 for one out of sight)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            policy.require(request.user, act, subject)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def sees(subject: policy.Subject):
    """View decorator for a page about one object: a role that never sees this kind of object
    gets a 404, as for an object out of its sight, so that no answer confirms that it exists.
    The view then fetches the object through the policy's scope (a 404 outside it) and asks
    ``policy.require`` for its action (a 403: the user sees the object, not this action)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not policy.may(request.user, policy.Act.VIEW, subject):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
