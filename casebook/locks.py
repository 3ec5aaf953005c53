# SPDX-License-Identifier: AGPL-3.0-or-later
"""Row locks for the services, always the same kind and in one order (ADR 0010).

Every service that changes a row locks it first with ``for_update``: ``SELECT … FOR NO KEY
UPDATE`` of that table only (``of=("self",)``). NO KEY UPDATE, because no service changes a
primary key: a concurrent insert that merely refers to the row (an audit event, a task, a
signal naming the case) takes a KEY SHARE lock for its foreign key, which NO KEY UPDATE lets
through, where FOR UPDATE would make it wait.

A transaction that locks several rows takes them in this order, so two transactions never
wait for each other in a circle:

1. sittings (``Meeting``, in id order when there are two), then minutes and their items;
2. the group approach (``Group``), then its members and plan actions;
3. youths, then cases, each in id order (``lock_in_order`` for several at once);
4. partner tasks, in id order (a task's case or group is locked before the task);
5. signals;
6. the audit chain: its lock is taken by the chain trigger at COMMIT, after all of the above.

The deadline sweep locks tasks with ``SKIP LOCKED`` and so never waits for anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from casebook.errors import ConflictError


def for_update(model_or_queryset: type[models.Model] | models.QuerySet) -> models.QuerySet:
    """``SELECT … FOR NO KEY UPDATE OF <this table>``, for a row the caller will change."""
    queryset = (
        model_or_queryset._default_manager.all()
        if isinstance(model_or_queryset, type)
        else model_or_queryset
    )
    return queryset.select_for_update(of=("self",), no_key=True)


def lock_in_order(model: type[models.Model], ids: Iterable[int]) -> dict[int, models.Model]:
    """Lock several rows of one table at once, in id order; returns them by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {row.pk: row for row in for_update(model).filter(pk__in=wanted).order_by("pk")}


# --- Optimistic versions ----------------------------------------------------------------------
#
# A form carries the version of the object it was made from; the service that changes the
# object locks it, compares (``check_version``) and raises the version (``bump``). A form
# without a version is as stale as one with an old version: ``posted_version`` turns both into
# the same visible conflict. Internal callers (the system, the demo) pass ``None``: no check.

STALE = (
    "{what} is intussen door iemand anders gewijzigd. Bekijk de nieuwe stand en probeer het "
    "zo nodig opnieuw."
)
UNVERSIONED = (
    "Deze pagina was niet meer actueel (of onvolledig verstuurd). Bekijk de nieuwe stand en "
    "probeer het opnieuw."
)


def check_version(obj: models.Model, expected: int | None, what: str) -> None:
    """Refuse the change when the form saw another version of ``obj`` (a 409)."""
    if expected is not None and obj.version != expected:
        raise ConflictError(STALE.format(what=what))


def bump(obj: models.Model, *fields: str) -> None:
    """Save ``fields`` and raise the version, so every form made before this change is stale."""
    obj.version += 1
    obj.save(update_fields=["version", *fields])


def posted_version(value) -> int:
    """The version a posted form carried; none, or not a number, is a conflict (a 409)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConflictError(UNVERSIONED) from None
