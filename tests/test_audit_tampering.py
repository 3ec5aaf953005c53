# SPDX-License-Identifier: AGPL-3.0-or-later
"""Even a stolen superuser, without the audit key, cannot rewrite the trail unnoticed.

Each attack of issue 13 done as the superuser the tests connect as, the way an attacker
would: triggers off with ``session_replication_role = replica``, then edit, recompute every
later hash as the chain trigger would (plain SHA-256 is all one can compute without the key),
remove the tail, empty the tables, or insert a forged event. ``verify_audit_chain`` reports
each with a Dutch message and exit code 1: by the seal (HMAC with ``IJAM_AUDIT_KEY``) or by
the anchor outside the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from casebook import jobs
from casebook.models import AuditChainLink, AuditEvent
from casebook.models.audit import GENESIS_HASH, canonical_json, chain_hash, keyed_hash
from casebook.services.audit import audit_record
from casebook.services.audit_anchor import anchor_path, read_checkpoints, write_checkpoint
from tests import factories

pytestmark = pytest.mark.django_db

DEVELOPMENT_KEY = "ijam-development-only-audit-key-never-use-in-production"


def _commit_chain() -> None:
    """What COMMIT does: the deferred chain trigger links the transaction's events."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS casebook_auditevent_chain IMMEDIATE")


def _events(count: int) -> list[AuditEvent]:
    for number in range(count):
        audit_record(
            actor=None,
            action="case.details_changed",
            obj=None,
            object_type="casebook.case",
            object_id=str(number),
            reason=f"wijziging {number}",
            after={"buurt": "Wittevrouwenveld"},
        )
    _commit_chain()
    return list(AuditEvent.objects.order_by("chain_link__position"))


@pytest.fixture
def history(director):
    factories.signal(director)  # youth, case and signal events from the services
    return _events(30)


def _verify() -> str:
    """The command's outcome: its message; a failure must exit with code 1."""
    try:
        call_command("verify_audit_chain")
    except CommandError as error:
        assert error.returncode == 1
        return f"FOUT {error}"
    return "IN ORDE"


def _as_attacker(*statements: tuple[str, list]) -> None:
    """A superuser: switch every trigger off for this session, edit, switch them back on."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET session_replication_role = replica")
        for sql, params in statements:
            cursor.execute(sql, params)
        cursor.execute("SET session_replication_role = DEFAULT")


def _relink_from(position: int) -> None:
    """Recompute every link from ``position`` on as the chain trigger does, from the digests
    as they are now: what an attacker does after editing an event."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hash FROM casebook_auditchainlink WHERE position = %s", [position - 1]
        )
        row = cursor.fetchone()
        prev = row[0] if row else GENESIS_HASH
        cursor.execute(
            "SELECT link.position, event.digest FROM casebook_auditchainlink link "
            "JOIN casebook_auditevent event ON event.id = link.event_id "
            "WHERE link.position >= %s ORDER BY link.position",
            [position],
        )
        for pos, digest in cursor.fetchall():
            new = chain_hash(prev, digest)
            _as_attacker(
                (
                    "UPDATE casebook_auditchainlink SET prev_hash = %s, hash = %s "
                    "WHERE position = %s",
                    [prev, new, pos],
                )
            )
            prev = new


def test_an_intact_trail_verifies_against_its_anchor(history):
    checkpoint = write_checkpoint()
    assert checkpoint.position == len(history)
    assert "in orde" in _run_verify_output()


def _run_verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


# --- 1. UPDATE one event and recompute every later hash, without the key ---


def _sealed_by_attacker(event: AuditEvent, how: str) -> tuple[str, str, str]:
    """(key_id, payload_digest, digest) an attacker can give an edited event."""
    if how == "plain sha-256, no key id":
        return "", "", event.legacy_digest()
    if how == "plain sha-256 under the real key id":
        content = canonical_json(event.content())
        return event.key_id, "", hashlib.sha256(content.encode()).hexdigest()
    key = DEVELOPMENT_KEY.encode()  # the key any clone of the code knows
    payload_digest = keyed_hash(key, "payload", event.payload())
    event.payload_digest = payload_digest
    return event.key_id, payload_digest, keyed_hash(key, "event", event.sealed_content())


@pytest.mark.parametrize(
    "how",
    [
        "plain sha-256, no key id",
        "plain sha-256 under the real key id",
        "HMAC with the development key",
    ],
)
def test_an_edited_event_with_every_later_hash_recomputed_is_detected(history, how):
    target = history[10]
    target.reason = "verzonnen reden"
    key_id, payload_digest, digest = _sealed_by_attacker(target, how)
    _as_attacker(
        (
            "UPDATE casebook_auditevent SET reason = %s, key_id = %s, payload_digest = %s, "
            "digest = %s WHERE id = %s",
            [target.reason, key_id, payload_digest, digest, target.id],
        )
    )
    _relink_from(target.chain_link.position)

    outcome = _verify()
    assert outcome.startswith("FOUT Audittrail gemanipuleerd")
    assert f"gebeurtenis {target.id}" in outcome


# --- 2. Delete the newest 25 events; 3. TRUNCATE: the anchor outside the database ---


def test_removing_the_newest_25_events_is_detected_by_the_anchor(history):
    write_checkpoint()
    newest = [event.id for event in history[-25:]]
    _as_attacker(
        ("DELETE FROM casebook_auditchainlink WHERE event_id = ANY(%s)", [newest]),
        ("DELETE FROM casebook_auditevent WHERE id = ANY(%s)", [newest]),
    )
    outcome = _verify()
    assert "FOUT Audittrail gemanipuleerd" in outcome
    assert f"het anker legde er al {len(history)} vast: 25 zijn verwijderd" in outcome


def test_emptying_the_trail_with_truncate_is_detected_by_the_anchor(history):
    write_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "TRUNCATE casebook_auditchainlink, casebook_keptladdermove, casebook_auditevent"
        )
    outcome = _verify()
    assert f"de keten telt 0 gebeurtenissen, maar het anker legde er al {len(history)}" in outcome


def test_a_removed_tail_rebuilt_with_new_events_is_detected_by_the_anchor(history):
    """Remove the tail and let IJAM write as many new events: the count fits, the hash at
    the anchored position does not."""
    write_checkpoint()
    newest = [event.id for event in history[-5:]]
    _as_attacker(
        ("DELETE FROM casebook_auditchainlink WHERE event_id = ANY(%s)", [newest]),
        ("DELETE FROM casebook_auditevent WHERE id = ANY(%s)", [newest]),
    )
    _events(5)
    outcome = _verify()
    assert f"wijkt af van het anker op positie {len(history)}" in outcome


def test_without_an_anchor_a_removed_tail_goes_unseen(history):
    """Why the anchor is needed: the chain alone cannot know how long it was."""
    newest = [event.id for event in history[-25:]]
    _as_attacker(
        ("DELETE FROM casebook_auditchainlink WHERE event_id = ANY(%s)", [newest]),
        ("DELETE FROM casebook_auditevent WHERE id = ANY(%s)", [newest]),
    )
    assert _verify() == "IN ORDE"


def test_a_forged_anchor_line_is_refused(history):
    checkpoint = write_checkpoint()
    line = json.loads(checkpoint.line())
    forged = {**line, "position": 3, "hash": history[2].chain_link.hash}
    with anchor_path().open("a") as anchors:
        anchors.write(json.dumps(forged) + "\n")
    outcome = _verify()
    assert "ankerbestand is gemanipuleerd" in outcome
    assert "handtekening klopt niet" in outcome


# --- 4. INSERT a forged, backdated case.close with a plain SHA-256 content hash ---


@pytest.mark.parametrize("key_id", ["", "real"])
def test_a_forged_backdated_case_close_is_detected(history, key_id):
    forged = AuditEvent(
        occurred_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
        kind="write",
        actor_label="Petra Regisseur (ZVH)",
        action="case.close",
        object_type="casebook.case",
        object_id="1",
        reason="Doel bereikt",
    )
    digest = forged.legacy_digest()  # a correct content hash, as the old chain wanted
    key_id = history[0].key_id if key_id == "real" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO casebook_auditevent (occurred_at, kind, actor_label, action, "
            "object_type, object_id, reason, digest, key_id) "
            "VALUES (%s, 'write', %s, 'case.close', 'casebook.case', '1', %s, %s, %s) "
            "RETURNING id",
            [forged.occurred_at, forged.actor_label, forged.reason, digest, key_id],
        )
        forged_id = cursor.fetchone()[0]
    _commit_chain()  # the chain trigger links it like any other event
    outcome = _verify()
    assert f"bij gebeurtenis {forged_id}" in outcome
    assert "zegel" in outcome


# --- The seal and its key ---------------------------------------------------------------------


def test_events_are_sealed_with_the_key_not_a_plain_hash(history):
    event = history[-1]
    assert event.key_id
    assert event.digest != event.legacy_digest()
    assert AuditChainLink.objects.get(event=event).hash == chain_hash(
        event.chain_link.prev_hash, event.digest
    )


def test_events_verify_across_a_key_rotation(history, settings):
    old_key = settings.IJAM_AUDIT_KEY
    write_checkpoint()  # signed with the old key
    settings.IJAM_AUDIT_KEY = "a-new-audit-key-after-rotation-0123456789"
    settings.IJAM_AUDIT_KEYS = [old_key]
    newer = _events(3)
    assert newer[-1].key_id != history[-1].key_id
    write_checkpoint()
    assert "in orde" in _run_verify_output()

    settings.IJAM_AUDIT_KEYS = []  # the old key forgotten: its events can no longer verify
    outcome = _verify()
    assert "FOUT" in outcome


def test_an_event_sealed_with_an_unknown_key_is_named(history, settings):
    settings.IJAM_AUDIT_KEY = "some-other-key-nobody-configured-0123456789"
    outcome = _verify()
    assert f"bij gebeurtenis {history[0].id}" in outcome
    assert "onbekende sleutel" in outcome


# --- Retention: the payload can go, the chain still verifies -----------------------------------


def test_a_removed_payload_keeps_the_chain_valid(history):
    target = history[12]
    write_checkpoint()
    _as_attacker(  # as the retention job will (its own grant comes with it)
        (
            "UPDATE casebook_auditevent SET reason = '', before = NULL, after = NULL, "
            "payload_removed_at = now() WHERE id = %s",
            [target.id],
        )
    )
    assert "in orde" in _run_verify_output()


def test_a_payload_marked_removed_but_still_there_is_detected(history):
    target = history[12]
    _as_attacker(
        (
            "UPDATE casebook_auditevent SET reason = 'verzonnen', payload_removed_at = now() "
            "WHERE id = %s",
            [target.id],
        )
    )
    assert f"bij gebeurtenis {target.id}" in _verify()


# --- The worker's anchor jobs -----------------------------------------------------------------


def test_the_hourly_job_appends_a_signed_checkpoint(history):
    jobs.audit_anchor(timestamp=0)
    jobs.audit_anchor(timestamp=0)
    checkpoints = read_checkpoints()
    assert [c.position for c in checkpoints] == [len(history)] * 2
    assert checkpoints[-1].hash == history[-1].chain_link.hash
    assert len(anchor_path().read_text().splitlines()) == 2


def test_the_daily_job_mails_the_checkpoint_without_personal_data(history, settings):
    settings.IJAM_PRIVACY_OFFICER_EMAIL = ["privacy@gemeente.example"]
    jobs.audit_anchor_mail(timestamp=0)
    (message,) = mail.outbox
    assert message.to == ["privacy@gemeente.example"]
    assert f"Positie: {len(history)}" in message.body
    assert history[-1].chain_link.hash in message.body
    youth = history[0].youth or AuditEvent.objects.exclude(youth=None).first().youth
    assert youth.last_name not in message.body and youth.first_name not in message.body
    assert "Wittevrouwenveld" not in message.body
    assert read_checkpoints()[-1].position == len(history)


# --- The trace id and the role (ADR 0019): sealed when set, old events unchanged ---


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("trace_id", "0" * 32),  # point the event at another request's log lines
        ("trace_id", ""),  # cut it loose from its lines
        ("actor_role", "Privacy officer"),  # make the actor seem to act in another role
        ("actor_role", ""),
    ],
)
def test_a_sealed_trace_id_or_role_cannot_be_changed_or_blanked(history, director, column, value):
    from casebook.services.processing import processing_trace

    with processing_trace("test") as trace:
        event = audit_record(
            actor=director, action="case.details_changed", obj=None, object_type="casebook.case"
        )
    _commit_chain()
    assert event.trace_id == trace.trace_id_hex and event.actor_role == "Procesregisseur"
    assert _verify() == "IN ORDE"  # old events without either field verify beside it
    _as_attacker(
        (f"UPDATE casebook_auditevent SET {column} = %s WHERE id = %s", [value, event.id])  # noqa: S608
    )
    outcome = _verify()
    assert outcome.startswith("FOUT Audittrail gemanipuleerd")
    assert f"gebeurtenis {event.id}" in outcome


def test_a_trace_id_added_to_an_event_sealed_without_one_is_detected(history):
    target = history[-1]  # sealed without a trace or an actor (a job)
    assert target.trace_id == "" and target.actor_role == ""
    _as_attacker(
        ("UPDATE casebook_auditevent SET trace_id = %s WHERE id = %s", ["ab" * 16, target.id])
    )
    outcome = _verify()
    assert outcome.startswith("FOUT Audittrail gemanipuleerd")
    assert f"gebeurtenis {target.id}" in outcome
