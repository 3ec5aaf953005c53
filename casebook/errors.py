# SPDX-License-Identifier: AGPL-3.0-or-later
"""The application's errors: one shape, a Dutch message a user can act on.

Services raise these; views turn them into form errors (400), a conflict page (409) or 404.
A service that raises has changed nothing: it runs inside one transaction.
"""

from __future__ import annotations


class IjamError(Exception):
    """Base class. ``message`` is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class ValidationFailed(IjamError):
    """The input breaks a rule (age bounds, a missing reason, unmet criteria…)."""


class TransitionRefused(IjamError):
    """The state machine does not allow this move from the current state."""

    status_code = 409


class ConflictError(IjamError):
    """Someone else changed the record since the user loaded it."""

    status_code = 409


class NotAllowed(IjamError):
    """The actor lacks the role for this action."""

    status_code = 403


class TooManyRequests(IjamError):
    """The user asked too often in a short time (the duplicate check's rate limit)."""

    status_code = 429


def add_form_errors(form, exc: IjamError) -> None:
    """Show a service error on the form it came from: on its field when it names one."""
    if exc.field_errors:
        for field, errors in exc.field_errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc.message)
