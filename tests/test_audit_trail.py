# SPDX-License-Identifier: AGPL-3.0-or-later
"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from casebook.models import AuditChainLink, AuditEvent
from casebook.models.audit import GENESIS_HASH, audit_keys, chain_hash
from casebook.services.audit import ChainBreak, verify_chain
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import NETWERKOVERLEG

pytestmark = pytest.mark.django_db


def _commit_chain() -> None:
    """What COMMIT does: the deferred chain trigger links the transaction's events. (A test
    runs inside a transaction that is rolled back, so it never commits.)"""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS casebook_auditevent_chain IMMEDIATE")


@pytest.fixture
def history(case_awaiting, director):
    ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    _commit_chain()
    return list(AuditEvent.objects.order_by("id"))


def _links() -> list[AuditChainLink]:
    return list(AuditChainLink.objects.select_related("event").order_by("position"))


def test_events_are_chained_in_order_when_their_transaction_commits(history):
    links = _links()
    assert [link.event_id for link in links] == [event.id for event in history]
    assert [link.position for link in links] == list(range(1, len(links) + 1))
    assert links[0].prev_hash == GENESIS_HASH
    for previous, link in zip(links, links[1:], strict=False):
        assert link.prev_hash == previous.hash
        assert link.event.key_id  # sealed with the audit key
        assert link.event.digest == link.event.expected_digest(audit_keys())
        assert link.hash == chain_hash(link.prev_hash, link.event.digest)


def test_an_event_is_linked_only_at_commit(director):
    with transaction.atomic():
        factories.signal(director)
        pending = AuditEvent.objects.filter(chain_link__isnull=True).count()
        assert pending >= 3  # youth, case, signal: inserted, not yet linked
        _commit_chain()
        assert not AuditEvent.objects.filter(chain_link__isnull=True).exists()


def test_events_record_who_what_and_before_after(history, director):
    event = next(e for e in history if e.action == "case.screen_in")
    assert event.actor == director
    assert event.actor_organisation == director.organisation
    assert "Petra Regisseur" in event.actor_label
    assert event.before["niveau"] == "awaiting_screening"
    assert event.after["niveau"] == NETWERKOVERLEG


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE casebook_auditevent SET reason = 'verzonnen' WHERE id = %s",
        "DELETE FROM casebook_auditevent WHERE id = %s",
        "UPDATE casebook_auditchainlink SET hash = repeat('a', 64) WHERE event_id = %s",
        "DELETE FROM casebook_auditchainlink WHERE event_id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_events_and_links(history, statement):
    with (
        pytest.raises(DatabaseError, match="alleen-toevoegen"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [history[1].id])
    assert AuditEvent.objects.get(pk=history[1].id).reason == history[1].reason


def test_verify_command_passes_on_an_intact_chain(history, capsys):
    call_command("verify_audit_chain")
    assert f"{len(history)} gebeurtenissen" in capsys.readouterr().out


#: The triggers that guard the trail: DELETE and UPDATE of links, DELETE of events, and every
#: UPDATE of an event but the retention job's removal of its payload (migration 0031).
GUARDS = (
    ("casebook_auditevent", "casebook_auditevent_append_only"),
    ("casebook_auditevent", "casebook_auditevent_payload_removal_only"),
    ("casebook_auditchainlink", "casebook_auditchainlink_append_only"),
)


def _tamper(*statements: tuple[str, list]) -> None:
    """What an attacker with table-owner rights could do: switch the triggers off and edit."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush pending checks first
        for table, trigger in GUARDS:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        for sql, params in statements:
            cursor.execute(sql, params)
        for table, trigger in GUARDS:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def test_an_altered_event_is_named_by_the_verify_command(history):
    target = history[2]
    _tamper(("UPDATE casebook_auditevent SET reason = 'verzonnen' WHERE id = %s", [target.id]))

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain")
    assert excinfo.value.returncode == 1
    assert f"gebeurtenis {target.id}" in str(excinfo.value)
    assert "gewijzigd" in str(excinfo.value)


def test_a_rewritten_event_whose_hash_was_recomputed_breaks_at_its_successor(history):
    """The chain property itself: alter an event, give its link the hash that fits the new
    content, and re-point the next link at it. Only a hash that covers the previous hash
    notices: the successor's stored hash no longer fits its (changed) predecessor."""
    links = _links()
    target, successor = links[2], links[3]
    event = AuditEvent.objects.get(pk=target.event_id)
    event.reason = "verzonnen"
    forged = chain_hash(target.prev_hash, event.expected_digest(audit_keys()))
    _tamper(
        ("UPDATE casebook_auditevent SET reason = 'verzonnen' WHERE id = %s", [target.event_id]),
        ("UPDATE casebook_auditchainlink SET hash = %s WHERE position = %s", [forged, 3]),
        ("UPDATE casebook_auditchainlink SET prev_hash = %s WHERE position = %s", [forged, 4]),
    )
    breaks = [item for item in verify_chain() if isinstance(item, ChainBreak)]
    assert breaks == [ChainBreak(successor.event_id, breaks[0].problem)]
    assert "gewijzigd" in breaks[0].problem


def test_a_removed_event_breaks_the_chain_at_its_successor(history):
    removed, successor = history[1], history[2]
    _tamper(
        ("DELETE FROM casebook_auditchainlink WHERE event_id = %s", [removed.id]),
        ("DELETE FROM casebook_auditevent WHERE id = %s", [removed.id]),
    )
    breaks = [item for item in verify_chain() if isinstance(item, ChainBreak)]
    assert breaks == [ChainBreak(successor.id, breaks[0].problem)]
    assert "ontbrekend" in breaks[0].problem


def test_an_event_inserted_past_the_chain_is_found(history):
    """An event inserted with the chain trigger switched off has no link."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE casebook_auditevent DISABLE TRIGGER casebook_auditevent_chain")
        cursor.execute(
            "INSERT INTO casebook_auditevent (occurred_at, kind, actor_label, action, "
            "object_type, object_id, reason, digest) VALUES (now(), 'write', 'x', "
            "'case.close', 'casebook.case', '1', '', '')"
        )
        cursor.execute("ALTER TABLE casebook_auditevent ENABLE TRIGGER casebook_auditevent_chain")
    breaks = [item for item in verify_chain() if isinstance(item, ChainBreak)]
    assert len(breaks) == 1
    assert "niet in de keten" in breaks[0].problem
