# SPDX-License-Identifier: AGPL-3.0-or-later
"""Row locks for the services, always the same kind and in one order (ADR 0010).

Every service that changes a row locks it first with ``for_update``: ``SELECT … FOR NO KEY
UPDATE`` of that table only (``of=("self",)``). NO KEY UPDATE, because no service changes a
primary key: a concurrent insert that merely refers to the row (an audit event, a task, a
signal naming the case) takes a KEY SHARE lock for its foreign key, which NO KEY UPDATE lets
through, where FOR UPDATE would make it wait.

A transaction that locks several rows takes them in this order, so two transactions never
wait for each other in a circle:

1. the sitting (``Meeting``), then its minutes and their items;
2. the group approach (``Group``), in id order;
3. youths, then cases, each in id order (``lock_cases`` for several at once);
4. group members and plan actions;
5. partner tasks, in id order (a task's case or group is locked before the task);
6. signals;
7. the audit chain: its lock is taken by the chain trigger at COMMIT, after all of the above.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


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
