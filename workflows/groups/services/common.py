# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the group services share: who may run the approach, the reason every decision needs,
and how the steps read."""

from __future__ import annotations

from casebook.bounds import LONG_TEXT, bounded_text
from casebook.errors import NotAllowed, ValidationFailed
from casebook.models import User
from casebook.permissions import RUN_GROUP_APPROACH
from workflows.groups.steps import GroupStep

STEP_LABELS = dict(GroupStep.choices)


def require_director(actor: User) -> None:
    if not actor.has_perm(RUN_GROUP_APPROACH):
        raise NotAllowed("Alleen de procesregisseur voert de groepsaanpak.")


def require_reason(reason: str, limit: int = LONG_TEXT) -> str:
    """The reason of a decision, stripped: present, without NUL, at most ``limit`` characters
    (the group page's hand-written forms post it without a Django form)."""
    reason = bounded_text(reason, limit, field="reason")
    if not reason:
        raise ValidationFailed(
            "Geef een onderbouwing.", field_errors={"reason": ["Geef een onderbouwing."]}
        )
    return reason
