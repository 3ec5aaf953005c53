# SPDX-License-Identifier: AGPL-3.0-or-later
"""Live pages (issue 15): a change of work reaches exactly the sockets of those who may see
it, as a topic without content; the pages say where they refresh themselves."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.db import transaction
from django.urls import reverse

from tests.test_notifications import (
    _verified_session,
    receive_json,
    run_in_own_thread,
    websocket,
)
from workflows.tasks import services as tasks
from workflows.tasks.models import TaskType


async def _connected(user):
    communicator = websocket(user, await database_sync_to_async(_verified_session)(user))
    await communicator.send_input({"type": "websocket.connect"})
    assert (await communicator.receive_output(timeout=5))["type"] == "websocket.accept"
    assert "unread" in await receive_json(communicator)
    return communicator


async def _follow(communicator, case_id) -> None:
    import json

    await communicator.send_input(
        {"type": "websocket.receive", "text": json.dumps({"follow": "case", "id": case_id})}
    )


async def _close(*communicators) -> None:
    for communicator in communicators:
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(timeout=5)


@database_sync_to_async
def _assign(case, director, organisation):
    with transaction.atomic():
        return tasks.task_assign(
            case=case,
            actor=director,
            task_type=TaskType.objects.get(code="schoolgesprek"),
            organisation=organisation,
            instruction="Schoolgesprek",
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_task_reaches_its_organisation_and_the_director_not_another_partner(
    director, police, police_officer, halt_worker, case_awaiting
):
    async def scenario():
        police_socket = await _connected(police_officer)
        halt_socket = await _connected(halt_worker)
        director_socket = await _connected(director)
        # Halt may not see the police's case: following it is ignored, silently.
        await _follow(halt_socket, case_awaiting.pk)
        await _follow(police_socket, case_awaiting.pk)
        await _follow(director_socket, case_awaiting.pk)
        await halt_socket.receive_nothing(timeout=0.5)

        await _assign(case_awaiting, director, police)

        police_heard = {(await receive_json(police_socket))["changed"] for _ in range(2)}
        assert police_heard == {"tasks", f"case-{case_awaiting.pk}"}
        director_heard = {(await receive_json(director_socket))["changed"] for _ in range(2)}
        assert director_heard == {"tasks", f"case-{case_awaiting.pk}"}  # work overview, case
        assert await halt_socket.receive_nothing(timeout=1)  # not a word about it
        await _close(police_socket, halt_socket, director_socket)

    run_in_own_thread(scenario)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_that_rolls_back_pushes_nothing(director, police, police_officer, case_awaiting):
    @database_sync_to_async
    def assign_and_roll_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            tasks.task_assign(
                case=case_awaiting,
                actor=director,
                task_type=TaskType.objects.get(code="schoolgesprek"),
                organisation=police,
                instruction="Schoolgesprek",
            )
            raise RuntimeError("afgebroken")

    async def scenario():
        police_socket = await _connected(police_officer)
        await assign_and_roll_back()
        assert await police_socket.receive_nothing(timeout=1)
        await _close(police_socket)

    run_in_own_thread(scenario)


@pytest.mark.django_db
def test_the_pages_mark_what_refreshes_itself(client, director, halt_worker, case_awaiting):
    client.force_login(director)
    case_page = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk]))
    assert f'data-ijam-live="case-{case_awaiting.pk}"' in case_page.content.decode()
    assert f'data-ijam-follow-case="{case_awaiting.pk}"' in case_page.content.decode()
    overview = client.get(reverse("workflows:overview")).content.decode()
    assert 'data-ijam-live="tasks"' in overview and 'id="ijam-live-status"' in overview
    client.force_login(halt_worker)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert 'id="ijam-live-inbox" data-ijam-live="tasks"' in inbox
