# SPDX-License-Identifier: AGPL-3.0-or-later
"""Registering a signal in the browser: duplicates shown first (to ZVH staff), status
followed after."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from casebook.models import Case, Signal, Youth
from casebook.models.signals import SignalStatus
from casebook.selectors.youths import possible_duplicates
from casebook.services.youths import youth_create
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_youth(director):
    return youth_create(
        actor=director,
        data=factories.youth_data(first_name="Mohammed", last_name="Jansen", age=15),
    )


def form_data(youth_like, **extra):
    data = {
        "first_name": youth_like.first_name,
        "last_name_prefix": "",
        "last_name": youth_like.last_name,
        "date_of_birth": youth_like.date_of_birth.isoformat(),
        "neighbourhood": youth_like.neighbourhood.pk,
        "category": factories.category().pk,
        "description": "Hangt 's avonds rond bij het winkelcentrum en intimideert bezoekers.",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("first", "last", "shift_days"),
    [("Mohammed", "Jansen", 0), ("Mohamed", "Janssen", 0), ("Mohammed", "Jansen", 3)],
)
def test_close_matches_are_found(known_youth, first, last, shift_days):
    import datetime as dt

    found = possible_duplicates(
        first_name=first,
        last_name=last,
        date_of_birth=known_youth.date_of_birth + dt.timedelta(days=shift_days),
    )
    assert known_youth in found


def test_a_different_person_is_not_a_duplicate(known_youth):
    import datetime as dt

    assert not possible_duplicates(
        first_name="Sanne", last_name="Vermeulen", date_of_birth=dt.date(2010, 5, 5)
    )


def test_possible_duplicate_is_shown_to_zvh_staff_before_a_new_youth_is_created(
    client, director, known_youth
):
    client.force_login(director)
    response = client.post(reverse("casebook:signal-register"), form_data(known_youth))
    assert response.status_code == 200
    assert "Is dit een van deze jongeren?" in response.content.decode()
    assert Youth.objects.filter(last_name="Jansen").count() == 1
    assert not Signal.objects.exists()

    response = client.post(
        reverse("casebook:signal-register"), form_data(known_youth, youth_choice=known_youth.pk)
    )
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.youth == known_youth
    assert Youth.objects.filter(last_name="Jansen").count() == 1


def test_a_partner_never_chooses_a_known_youth_its_signal_waits_for_the_link(
    client, police_officer, known_youth
):
    """A partner's signal is about the youth it typed in, even when it names a known youth's
    id: the procesregisseur links it during screening (ADR 0012)."""
    client.force_login(police_officer)
    response = client.post(
        reverse("casebook:signal-register"), form_data(known_youth, youth_choice=known_youth.pk)
    )
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.youth != known_youth
    assert signal.case.level == "awaiting_screening"


def test_choosing_new_youth_registers_a_second_person(client, police_officer, known_youth):
    client.force_login(police_officer)
    client.post(reverse("casebook:signal-register"), form_data(known_youth, youth_choice="new"))
    assert Youth.objects.filter(last_name="Jansen").count() == 2


def test_new_signal_opens_case_and_notifies_the_process_director(
    client, police_officer, director, django_capture_on_commit_callbacks
):
    data = factories.youth_data(first_name="Lotte", last_name="Smeets", age=14)
    client.force_login(police_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casebook:signal-register"), form_data(data))
    assert response.status_code == 302
    case = Case.objects.get(youth__last_name="Smeets")
    assert case.level == "awaiting_screening"
    assert case.coordinator_organisation == director.organisation
    note = Notification.objects.get(recipient=director)
    assert case.reference in note.message


def test_too_old_youth_gets_a_dutch_error_and_nothing_is_saved(client, police_officer):
    data = factories.youth_data(age=29)
    client.force_login(police_officer)
    response = client.post(reverse("casebook:signal-register"), form_data(data))
    assert response.status_code == 400
    assert "8 tot en met 27 jaar" in response.content.decode()
    assert not Youth.objects.exists() and not Signal.objects.exists()


def test_reporter_follows_status_and_feedback(client, police_officer, director):
    signal = factories.signal(police_officer)
    client.force_login(police_officer)
    assert "Ontvangen" in client.get(reverse("casebook:my-signals")).content.decode()

    from casebook.services.signals import signal_decide, signal_start_screening

    signal_start_screening(signal=signal, actor=director)
    assert "In screening" in client.get(reverse("casebook:my-signals")).content.decode()
    signal_decide(signal=signal, actor=director, take_up=False, feedback="Geen zorgen gevonden.")
    page = client.get(reverse("casebook:my-signals")).content.decode()
    assert "Niet opgepakt" in page and "Geen zorgen gevonden." in page
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NOT_TAKEN_UP


def test_notification_email_carries_no_personal_data(police_officer, director):
    from notifications.jobs import deliver_notification_email

    signal = factories.signal(police_officer)
    note = Notification.objects.get(recipient=director)
    deliver_notification_email(note.pk)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body + mail.outbox[0].subject
    assert signal.youth.last_name not in body and signal.youth.first_name not in body
    assert note.url in body


def test_partner_cannot_browse_registered_youths_by_name_alone(client, police_officer, known_youth):
    from casebook.models import AuditEvent

    client.force_login(police_officer)
    url = reverse("casebook:signal-duplicates")
    page = client.get(url, {"first_name": "Mohammed", "last_name": "Jansen"}).content.decode()
    assert "Mogelijk" not in page  # without the birth date nothing is even searched
    assert not AuditEvent.objects.filter(actor=police_officer).exists()
    page = client.get(
        url,
        {
            "first_name": "Mohammed",
            "last_name": "Jansen",
            "date_of_birth": known_youth.date_of_birth.isoformat(),
        },
    ).content.decode()
    assert "Mogelijk is deze jongere al bekend" in page and "Jansen" not in page
    checked = AuditEvent.objects.get(action="youth_duplicate_check.viewed", actor=police_officer)
    assert checked.after["gevonden"] == [known_youth.pk]


def test_reporter_sees_when_the_screening_is_due(client, police_officer):
    from django.utils import timezone

    signal = factories.signal(police_officer)
    due = signal.case.tasks.get(task_type__code="screening").deadline
    client.force_login(police_officer)
    page = client.get(reverse("casebook:my-signals")).content.decode()
    assert "Beoordeling uiterlijk" in page
    assert timezone.localtime(due).strftime("%Y-%m-%d") in page
