# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads for the privacy officer: emergency accesses to review."""

from __future__ import annotations

from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When

from casebook.models import EmergencyAccess


def emergency_accesses() -> QuerySet[EmergencyAccess]:
    """Every emergency access, the ones still to review first, newest first within."""
    return (
        EmergencyAccess.objects.select_related("user", "user__organisation", "case", "reviewed_by")
        .annotate(
            pending_first=When_(
                When(review=EmergencyAccess.Review.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-opened_at", "-pk")
    )
