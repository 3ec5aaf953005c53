# SPDX-License-Identifier: AGPL-3.0-or-later
"""Appending to the sealed, hash-chained audit trail, and verifying it (ADR 0002)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from casebook.models import AuditChainLink, AuditEvent, Case, Signal, User, Youth
from casebook.models.audit import (
    GENESIS_HASH,
    SYSTEM_ACTOR_LABEL,
    AuditAction,
    UnknownAuditKey,
    audit_keys,
    normalise,
)
from casebook.services.trace_context import current_trace_id

ACTIONS = frozenset(AuditAction.values)


def actor_role(actor: User | None) -> str:
    """The names of the roles ``actor`` holds ("Partnerprofessional"), as the audit event's
    snapshot of the role they acted in. A request's user brings them from its sign-in query
    (``casebook.auth.RoleBackend.get_user``); any other user object costs one query, once."""
    if actor is None or not actor.pk:
        return ""
    names = getattr(actor, "acting_role_names", None)
    if names is None:
        names = actor.acting_role_names = sorted(actor.roles.values_list("name", flat=True))
    return ", ".join(names)[:200]


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return SYSTEM_ACTOR_LABEL
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
        actor_role=actor_role(actor),
        # The request's or job's processing trace: its log lines carry the same id (ADR 0019).
        trace_id=current_trace_id() or "",
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
    # Sealed with the audit key here; the deferred chain trigger links the event when the
    # transaction commits (ADR 0010).
    event.seal()
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


def audit_denied(*, actor: User, path: str, method: str, status: int) -> AuditEvent:
    """Log that ``actor`` was refused: a hidden object (404) or a refused action (403)."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=AuditAction.ACCESS_DENIED,
            obj=None,
            after={"pad": path, "methode": method, "status": status},
            kind=AuditEvent.Kind.READ,
            object_type="url",
            object_id=path[:40],
        )


@dataclass(frozen=True)
class ChainBreak:
    """The first problem found: at an event, or (``event_id`` None) with the chain as a whole."""

    event_id: int | None
    problem: str


@dataclass(frozen=True)
class AnchorPoint:
    """A head of the chain recorded outside the database: what the chain must still hold."""

    position: int
    hash: str
    legacy: int  # how many events from before keys start the chain


def verify_chain(
    *, chunk_size: int = 5000, anchor: AnchorPoint | None = None
) -> Iterator[int | ChainBreak]:
    """Walk the chain in order. Yields each verified event id, or a ``ChainBreak`` and stops.

    Every link must follow on the one before it (position, ``prev_hash``), its hash must be
    ``sha256(prev_hash || seal)`` with the seal recomputed, with the audit key, from the event
    as it is now, and every event must have a link. Events from before keys (plain SHA-256)
    may only start the chain. Given an ``anchor``, the chain must still reach its position
    with its hash there, and start with as many events from before keys: a removed tail, an
    emptied table or a rewritten history shows. Events of the current transaction are
    chained first, as at commit."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS casebook_auditevent_chain IMMEDIATE")
    keys = audit_keys()
    expected_prev, expected_position = GENESIS_HASH, 1
    legacy, sealed_seen = 0, False
    links = AuditChainLink.objects.select_related("event").order_by("position")
    for link in links.iterator(chunk_size=chunk_size):
        if link.position != expected_position or link.prev_hash != expected_prev:
            yield ChainBreak(
                link.event_id, "verwijst niet naar de vorige gebeurtenis (ontbrekend of ingevoegd)"
            )
            return
        if link.event.key_id:
            sealed_seen = True
        elif sealed_seen:
            yield ChainBreak(
                link.event_id,
                "heeft geen zegel met de auditsleutel maar staat na verzegelde gebeurtenissen "
                "(vervalst of buiten IJAM om herschreven)",
            )
            return
        else:
            legacy += 1
        try:
            expected = link.compute_hash(keys)
        except UnknownAuditKey as unknown:
            yield ChainBreak(
                link.event_id,
                f"is verzegeld met een onbekende sleutel ({unknown.args[0]}): zet die in "
                "IJAM_AUDIT_KEYS, of de gebeurtenis is vervalst",
            )
            return
        if expected != link.hash:
            yield ChainBreak(
                link.event_id,
                "inhoud komt niet overeen met het zegel of de opgeslagen hash (gewijzigd of "
                "vervalst)",
            )
            return
        if anchor is not None and link.position == anchor.position and link.hash != anchor.hash:
            yield ChainBreak(
                link.event_id,
                f"wijkt af van het anker op positie {anchor.position}: de audittrail is tot daar "
                "herschreven",
            )
            return
        expected_prev, expected_position = link.hash, expected_position + 1
        yield link.event_id
    unchained = AuditEvent.objects.filter(chain_link__isnull=True).order_by("id").first()
    if unchained is not None:
        yield ChainBreak(unchained.id, "staat niet in de keten (buiten IJAM om toegevoegd)")
        return
    if anchor is None:
        return
    length = expected_position - 1
    if length < anchor.position:
        yield ChainBreak(
            None,
            f"de keten telt {length} gebeurtenissen, maar het anker legde er al "
            f"{anchor.position} vast: {anchor.position - length} zijn verwijderd (ingekort of "
            "geleegd)",
        )
    elif legacy != anchor.legacy:
        yield ChainBreak(
            None,
            f"de keten begint met {legacy} gebeurtenissen zonder zegel, het anker legde er "
            f"{anchor.legacy} vast (herschreven)",
        )
