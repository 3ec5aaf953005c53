# SPDX-License-Identifier: AGPL-3.0-or-later
"""Live pages: when work changes, the pages that show it fetch themselves again (issue 15).

Every change of a task or a case writes an audit event; a ``post_save`` receiver on the audit
trail collects, per transaction, which live lists changed, and once the transaction commits
tells their websocket groups (``notifications.services.push_changed``): the organisation's
inbox, the work overview, the case page. The message names only the list ("tasks",
"case-12"), never a youth or a task; the page then reloads its live part through the
normal views, so the policy decides what anyone sees, exactly as on a reload. A change that
rolls back pushes nothing.
"""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.db.models.signals import post_save

from casebook.models import AuditEvent
from notifications.services import (
    WORKLOAD_GROUP,
    case_group,
    organisation_work_group,
    push_changed,
)
from workflows.tasks.models import PartnerTask

_pending = threading.local()


def _changes() -> dict[str, set]:
    if not hasattr(_pending, "changes"):
        _pending.changes = {"tasks": set(), "cases": set()}
    return _pending.changes


def _flush() -> None:
    changes, _pending.changes = _changes(), {"tasks": set(), "cases": set()}
    groups: dict[str, str] = {}
    case_ids = set(changes["cases"])
    if changes["tasks"]:
        rows = PartnerTask.objects.filter(pk__in=changes["tasks"]).values_list(
            "organisation_id", "case_id"
        )
        for organisation_id, case_id in rows:
            if organisation_id:
                groups[organisation_work_group(organisation_id)] = "tasks"
            if case_id:
                case_ids.add(case_id)
        groups[WORKLOAD_GROUP] = "tasks"
    for case_id in case_ids:
        groups[case_group(case_id)] = f"case-{case_id}"
    push_changed(groups)


def _registered() -> bool:
    return any(callback is _flush for _sids, callback, _robust in connection.run_on_commit)


def audit_event_saved(sender, instance: AuditEvent, created: bool, **kwargs) -> None:
    if not created or instance.kind != AuditEvent.Kind.WRITE:
        return
    if instance.action.startswith("task."):
        if instance.object_id.isdigit():
            _changes()["tasks"].add(int(instance.object_id))
    elif instance.action.startswith("case.") and instance.case_id:
        _changes()["cases"].add(instance.case_id)
    else:
        return
    if not connection.in_atomic_block:
        _flush()
    elif not _registered():
        transaction.on_commit(_flush, robust=True)


def register() -> None:
    post_save.connect(audit_event_saved, sender=AuditEvent, dispatch_uid="workflows-live")
