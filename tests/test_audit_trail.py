# SPDX-License-Identifier: AGPL-3.0-or-later
"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from casebook.models import AuditEvent
from casebook.services.audit import ChainBreak, verify_chain
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import NETWERKOVERLEG

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(case_awaiting, director):
    ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    return list(AuditEvent.objects.order_by("id"))


def test_events_are_chained(history):
    assert len(history) >= 4  # youth, case, signal, transition, signal settled…
    for previous, event in zip(history, history[1:], strict=False):
        assert event.prev_hash == previous.hash
        assert event.hash == event.compute_hash()


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
    ],
)
def test_the_database_refuses_to_change_or_delete_events(history, statement):
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


def _tamper(sql: str, params: list) -> None:
    """What an attacker with table-owner rights could do: switch the trigger off and edit."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush pending FK checks first
        cursor.execute(
            "ALTER TABLE casebook_auditevent DISABLE TRIGGER casebook_auditevent_append_only"
        )
        cursor.execute(sql, params)
        cursor.execute(
            "ALTER TABLE casebook_auditevent ENABLE TRIGGER casebook_auditevent_append_only"
        )


def test_an_altered_event_is_named_by_the_verify_command(history):
    target = history[2]
    _tamper("UPDATE casebook_auditevent SET reason = 'verzonnen' WHERE id = %s", [target.id])

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain")
    assert excinfo.value.returncode == 1
    assert f"gebeurtenis {target.id}" in str(excinfo.value)
    assert "gewijzigd" in str(excinfo.value)


def test_a_removed_event_breaks_the_chain_at_its_successor(history):
    removed, successor = history[1], history[2]
    _tamper("DELETE FROM casebook_auditevent WHERE id = %s", [removed.id])

    breaks = [item for item in verify_chain() if isinstance(item, ChainBreak)]
    assert breaks == [ChainBreak(successor.id, breaks[0].problem)]
    assert "ontbrekend" in breaks[0].problem
