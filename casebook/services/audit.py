# SPDX-License-Identifier: AGPL-3.0-or-later
"""Appending to the hash-chained audit trail, and verifying it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from casebook.models import AuditEvent, Case, Signal, User, Youth
from casebook.models.audit import GENESIS_HASH, AuditAction, normalise

ACTIONS = frozenset(AuditAction.values)


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "IJAM (systeem)"
    org = f" ({actor.organisation.short_name})" if actor.organisation_id else ""
    return f"{actor.get_full_name() or actor.username}{org}"


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None,
    case: Case | None = None,
    youth: Youth | None = None,
    signal: Signal | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
    kind: str = AuditEvent.Kind.WRITE,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records.

    ``obj`` is the main object; without one (a list page), ``object_type``/``object_id`` say
    what was looked at."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to casebook.models.AuditAction")
    event = AuditEvent(
        occurred_at=timezone.now(),
        kind=kind,
        actor=actor,
        actor_organisation_id=actor.organisation_id if actor else None,
        actor_label=_actor_label(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        case=case,
        youth=youth,
        signal=signal,
        reason=reason,
        before=normalise(before),
        after=normalise(after),
    )
    # The chain trigger takes the chain lock, links the event to its predecessor and turns
    # this content hash into the chain hash, in the same INSERT (it returns both).
    event.hash = event.content_hash()
    event.save(force_insert=True)
    return event


def audit_read(
    *,
    actor: User,
    what: str,
    obj: models.Model | None = None,
    case=None,
    youth=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Log that ``actor`` looked at personal data: a case page, or a list (with its filters)."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=f"{what}.viewed",
            obj=obj,
            case=case,
            youth=youth,
            after=detail,
            kind=AuditEvent.Kind.READ,
            object_type="casebook.case" if obj is None else "",
            object_id="lijst" if obj is None else "",
        )


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def verify_chain(*, chunk_size: int = 5000) -> Iterator[int | ChainBreak]:
    """Walk the chain in order. Yields each verified event id, or a ``ChainBreak`` and stops."""
    expected_prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != expected_prev:
            yield ChainBreak(
                event.id, "verwijst niet naar de vorige gebeurtenis (ontbrekend of ingevoegd)"
            )
            return
        if event.compute_hash() != event.hash:
            yield ChainBreak(
                event.id, "inhoud komt niet overeen met de opgeslagen hash (gewijzigd)"
            )
            return
        expected_prev = event.hash
        yield event.id
