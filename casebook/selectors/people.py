# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who, in an organisation, works its tasks (roles decide, the organisation only scopes)."""

from __future__ import annotations

from django.db.models import QuerySet

from casebook.models import Organisation, OrganisationKind, User
from casebook.permissions import WORK_ON_TASK


def task_workers() -> QuerySet[User]:
    """Active users whose role lets them work tasks (``WORK_ON_TASK``): the only people of an
    organisation who see, hear of and work its tasks. A stuurgroep member or a functioneel
    beheerder of the same organisation is never one of them."""
    app_label, codename = WORK_ON_TASK.split(".")
    return User.objects.filter(
        is_active=True,
        roles__permissions__content_type__app_label=app_label,
        roles__permissions__codename=codename,
    ).distinct()


def coordinating_zvh() -> Organisation | None:
    """The ZVH that runs procesregie: the first one set up, so that an organisation added
    later and marked as a ZVH never takes procesregie (or its full copies) over."""
    return (
        Organisation.objects.filter(kind=OrganisationKind.ZVH, is_active=True)
        .order_by("pk")
        .first()
    )
