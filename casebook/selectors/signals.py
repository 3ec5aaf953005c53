# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads about signals."""

from __future__ import annotations

from django.db.models import QuerySet

from casebook.models import Signal, User


def my_signals(user: User) -> QuerySet[Signal]:
    """The signals ``user`` reported, with their status and feedback: nothing of the case."""
    return (
        Signal.objects.filter(reporter=user)
        .select_related("category", "youth")
        .only(
            "pk",
            "received_at",
            "status",
            "status_changed_at",
            "feedback",
            "observed_on",
            "category__name",
            "youth__first_name",
            "youth__last_name_prefix",
            "youth__last_name",
        )
        .order_by("-received_at")
    )
