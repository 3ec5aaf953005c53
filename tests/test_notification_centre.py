# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notification centre (issue 15): kinds and filters, preferences per kind (e-mail
immediately, in the daily digest, or none), the digest at the user's own time, and a Dutch
explanation where a notification points to a case the user may no longer see."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from notifications.jobs import send_digests
from notifications.models import (
    Delivery,
    DigestSchedule,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from notifications.services import notify, preferences_save
from workflows.tasks import services as tasks
from workflows.tasks.models import TaskType

pytestmark = pytest.mark.django_db
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _jobs_for(notification) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE (args->>'notification_id')::bigint = %s",
            [notification.pk],
        )
        return cursor.fetchone()[0]


def test_a_new_task_notification_has_its_kind_and_the_list_filters_by_it(
    client, director, halt, halt_worker, case_awaiting
):
    tasks.task_assign(
        case=case_awaiting,
        actor=director,
        task_type=TaskType.objects.get(code="schoolgesprek"),
        organisation=halt,
        instruction="Schoolgesprek",
    )
    notify(recipients=[halt_worker], message="Iets anders", url="/", kind=NotificationKind.OTHER)
    assigned = Notification.objects.get(recipient=halt_worker, kind=NotificationKind.TASK_ASSIGNED)
    client.force_login(halt_worker)

    everything = client.get(reverse("notifications:list")).content.decode()
    assert assigned.message in everything and "Iets anders" in everything
    only_tasks = client.get(reverse("notifications:list"), {"soort": "task_assigned"})
    assert assigned.message in only_tasks.content.decode()
    assert "Iets anders" not in only_tasks.content.decode()

    Notification.objects.filter(pk=assigned.pk).update(read_at=dt.datetime.now(dt.UTC))
    unread = client.get(reverse("notifications:list"), {"ongelezen": "on"}).content.decode()
    assert assigned.message not in unread and "Iets anders" in unread
    # A made-up kind is no filter at all, and no error.
    assert client.get(reverse("notifications:list"), {"soort": "<script>"}).status_code == 200


def test_the_preferences_decide_what_is_mailed_now_later_or_never(client, director):
    client.force_login(director)
    form = {f"kind_{kind}": Delivery.IMMEDIATE for kind in NotificationKind.values}
    form.update(kind_signal=Delivery.DIGEST, kind_group=Delivery.NONE)
    form.update(send_at="08:15", time_zone="Europe/Amsterdam")
    response = client.post(reverse("notifications:preferences"), form, follow=True)
    assert "Uw voorkeuren voor meldingen zijn opgeslagen." in response.content.decode()
    assert DigestSchedule.objects.get(user=director).send_at == dt.time(8, 15)

    (now,) = notify(recipients=[director], message="a", url="/", kind=NotificationKind.OVERDUE)
    (later,) = notify(recipients=[director], message="b", url="/", kind=NotificationKind.SIGNAL)
    (never,) = notify(recipients=[director], message="c", url="/", kind=NotificationKind.GROUP)
    assert (now.email_state, later.email_state, never.email_state) == (
        EmailState.PENDING,
        EmailState.DIGEST,
        EmailState.NONE,
    )
    assert (_jobs_for(now), _jobs_for(later), _jobs_for(never)) == (1, 0, 0)


def test_a_wrong_time_or_time_zone_is_refused_in_dutch_and_changes_nothing(client, director):
    preferences_save(
        user=director,
        deliveries={"signal": Delivery.DIGEST},
        send_at=dt.time(7, 30),
        time_zone="Europe/Amsterdam",
    )
    client.force_login(director)
    form = {f"kind_{kind}": Delivery.NONE for kind in NotificationKind.values}
    response = client.post(
        reverse("notifications:preferences"),
        {**form, "send_at": "25:99", "time_zone": "Mars/Olympus"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vul een tijdstip in als uu:mm" in page
    assert "Selecteer een geldige keuze" in page
    assert list(NotificationPreference.objects.filter(user=director).values_list("kind")) == [
        ("signal",)
    ]


def test_the_digest_comes_once_a_day_at_the_users_own_time_without_personal_data(
    director, police_officer
):
    preferences_save(
        user=director,
        deliveries={"signal": Delivery.DIGEST, "task_progress": Delivery.DIGEST},
        send_at=dt.time(7, 30),
        time_zone="Europe/Amsterdam",
    )
    with time_machine.travel(dt.datetime(2026, 12, 7, 18, 0, tzinfo=AMSTERDAM), tick=False):
        for message in ("Nieuw signaal bij casus ZVH-2026-0001", "Nog een signaal"):
            notify(recipients=[director], message=message, url="/", kind=NotificationKind.SIGNAL)
        notify(recipients=[director], message="Taak afgerond", url="/", kind="task_progress")

    with time_machine.travel(dt.datetime(2026, 12, 8, 7, 29, tzinfo=AMSTERDAM), tick=False):
        assert send_digests() == 0  # not yet: 07:29 in Amsterdam
    with time_machine.travel(dt.datetime(2026, 12, 8, 7, 31, tzinfo=AMSTERDAM), tick=False):
        assert send_digests() == 1
    with time_machine.travel(dt.datetime(2026, 12, 8, 8, 0, tzinfo=AMSTERDAM), tick=False):
        notify(recipients=[director], message="Later die dag", url="/", kind="signal")
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=AMSTERDAM), tick=False):
        assert send_digests() == 0  # once a day: the new one waits for tomorrow
    (digest,) = mail.outbox
    assert digest.to == [director.email]
    text = digest.body
    assert "2 × Nieuw signaal" in text and "1 × Taak opgepakt, afgerond" in text
    assert "ZVH-2026-0001" not in text and "ZVH-2026-0001" not in digest.alternatives[0][0]
    assert digest.alternatives[0][1] == "text/html"
    assert set(Notification.objects.values_list("email_state", flat=True)) >= {EmailState.DIGESTED}

    with time_machine.travel(dt.datetime(2026, 12, 9, 7, 45, tzinfo=AMSTERDAM), tick=False):
        assert send_digests() == 1  # the next morning: the one from later that day
    assert "1 × Nieuw signaal" in mail.outbox[1].body
    with time_machine.travel(dt.datetime(2026, 12, 10, 7, 45, tzinfo=AMSTERDAM), tick=False):
        assert send_digests() == 0  # nothing new: no empty digest


def test_a_notification_about_a_case_no_longer_open_to_me_explains_in_dutch(
    client, police_officer, case_awaiting, monkeypatch
):
    (note,) = notify(
        recipients=[police_officer],
        message="Over een casus",
        url=reverse("casebook:case-detail", args=[case_awaiting.pk]),
    )
    client.force_login(police_officer)
    opened = client.post(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302  # still open to the reporter: straight there

    from casebook import policy

    monkeypatch.setattr(policy, "cases", lambda user: type(case_awaiting).objects.none())
    ended = client.post(reverse("notifications:open", args=[note.pk]))
    assert ended.status_code == 200
    assert "U heeft hier geen toegang meer toe" in ended.content.decode()


def test_a_claimed_task_and_a_case_move_reach_exactly_those_who_follow_them(
    director, police, police_officer, halt, halt_worker, case_awaiting
):
    """The procesregisseur hears that a task was claimed; the organisations involved in a
    case hear that it moved or closed, and an organisation not involved hears nothing."""
    from casebook.models import ClosureReason
    from tests import factories
    from workflows.ladder import services as ladder

    case = ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level="netwerkoverleg",
        reason="In scope",
        criteria=factories.criteria_for("netwerkoverleg"),
    )
    task = tasks.task_assign(
        case=case,
        actor=director,
        task_type=TaskType.objects.get(code="schoolgesprek"),
        organisation=police,
        instruction="Schoolgesprek",
    )
    tasks.task_claim(task=task, actor=police_officer)
    claimed = Notification.objects.get(recipient=director, message__startswith="Taak opgepakt")
    assert claimed.kind == NotificationKind.TASK_PROGRESS and claimed.youth_id == case.youth_id

    ladder.case_escalate(
        case=case,
        actor=director,
        target_level="jonge_aanwas",
        reason="Zorgen nemen toe",
        criteria=factories.criteria_for("jonge_aanwas"),
    )
    moved = Notification.objects.filter(kind=NotificationKind.CASE)
    assert set(moved.values_list("recipient", flat=True)) == {police_officer.pk}
    assert moved.get().message == f"Casus {case.reference} is opgeschaald naar Overleg Jonge Aanwas"

    ladder.case_close(
        case=case,
        actor=director,
        closure_reason=ClosureReason.objects.filter(is_active=True)
        .exclude(code=ClosureReason.DUPLICATE_REGISTRATION)
        .first(),
        reason="Doel bereikt",
    )
    closed = Notification.objects.filter(kind=NotificationKind.CASE, message__endswith="afgesloten")
    assert set(closed.values_list("recipient", flat=True)) == {police_officer.pk}
    assert not Notification.objects.filter(recipient=halt_worker, kind=NotificationKind.CASE)
