# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sessions end after 30 minutes without activity and 10 hours after log-in, whatever the
activity; the next request then shows the log-in page saying why; every page carries the
time left for the warning; "Ingelogd blijven" renews; background requests do not (ADR 0015)."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

import ijam.settings as production
from tests.browser import PASSWORD
from tests.second_factor import app_of, current_code

IDLE_ENDED = "Uw sessie is beëindigd omdat u 30 minuten niets heeft gedaan."
MAX_ENDED = "Uw sessie is beëindigd: u was 10 uur ingelogd, de maximale duur van een sessie."
PAGE = "/casussen/"


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0)


def at(start, **delta):
    return time_machine.travel(start + dt.timedelta(**delta), tick=False)


@pytest.fixture
def signed_in(client, director, start):
    with at(start):
        response = client.post("/inloggen/", {"username": director.username, "password": PASSWORD})
        assert response.status_code == 302
        # The second factor, as the user types it from the app (ADR 0014).
        code = current_code(app_of(director))
        response = client.post(reverse("accounts:second-factor"), {"code": code})
        assert response.status_code == 302
    return client


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_production_defaults():
    assert production.IJAM_SESSION_IDLE_MINUTES == 30
    assert production.IJAM_SESSION_MAX_HOURS == 10
    assert production.SESSION_COOKIE_AGE == 10 * 3600


def test_thirty_idle_minutes_end_the_session_with_a_dutch_message(signed_in, start):
    with at(start, minutes=29):
        assert signed_in.get(PAGE).status_code == 200
    with at(start, minutes=29 + 31):
        response = signed_in.get(PAGE)
        assert response.status_code == 302
        assert response["Location"] == f"/inloggen/?next={PAGE}"
        assert not is_logged_in(signed_in)
        page = signed_in.get(response["Location"])
    assert IDLE_ENDED in page.content.decode()


def test_activity_renews_the_idle_time(signed_in, start):
    for minutes in (25, 50, 75, 100):
        with at(start, minutes=minutes):
            assert signed_in.get(PAGE).status_code == 200, minutes
    assert is_logged_in(signed_in)


def test_ten_hours_after_log_in_the_session_ends_despite_activity(signed_in, start):
    for minutes in range(20, 600, 20):
        with at(start, minutes=minutes):
            assert signed_in.get(PAGE).status_code == 200, minutes
    with at(start, hours=10, minutes=1):
        response = signed_in.get(PAGE, follow=True)
    assert MAX_ENDED in response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/inloggen/")
    assert not is_logged_in(signed_in)


def test_asking_the_time_left_is_not_activity(signed_in, start):
    with at(start, minutes=20):
        answer = signed_in.get("/sessie/status/").json()
        assert answer["ingelogd"] and 590 <= answer["idle_seconds"] <= 600
    with at(start, minutes=25):
        assert signed_in.get(PAGE, HTTP_X_IJAM_BACKGROUND="1").status_code == 200
    with at(start, minutes=31):
        response = signed_in.get("/sessie/status/")
        assert response.status_code == 401 and response.json() == {
            "ingelogd": False,
            "reden": "inactief",
        }
    assert not is_logged_in(signed_in)


def test_staying_signed_in_renews_the_idle_time(signed_in, start):
    with at(start, minutes=28):
        answer = signed_in.post("/sessie/verlengen/").json()
        assert answer["idle_seconds"] == 30 * 60
    with at(start, minutes=55):
        assert signed_in.get(PAGE).status_code == 200


def test_staying_signed_in_needs_the_csrf_token(client, director):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(director)
    assert strict.post("/sessie/verlengen/").status_code == 403


def test_every_page_carries_the_time_left_and_the_warning(signed_in, start):
    with at(start, minutes=10):
        html = signed_in.get(PAGE).content.decode()
    body = re.search(r"<body[^>]*>", html).group(0)
    assert 'data-ijam-session-idle="1800"' in body
    assert 'data-ijam-session-max="35400"' in body  # 10 hours less 10 minutes
    assert 'data-ijam-session-warn="300"' in body
    assert 'data-ijam-session-renew="/sessie/verlengen/"' in body
    dialog = re.search(r"<dialog[^>]*>.*?</dialog>", html, re.S).group(0)
    assert (
        'role="alertdialog"' in dialog and 'aria-labelledby="ijam-session-warning-title"' in dialog
    )
    assert "U wordt over <span data-ijam-session-minutes>5 minuten</span> uitgelogd" in dialog
    assert "Ingelogd blijven" in dialog
    assert '<script src="/static/ijam/session.js" defer></script>' in html


def test_the_log_in_page_carries_no_session_timer(client):
    html = client.get("/inloggen/").content.decode()
    assert "data-ijam-session-idle" not in html and "session.js" not in html


def test_an_htmx_request_after_the_end_goes_to_the_log_in_page(signed_in, start):
    with at(start, minutes=45):
        response = signed_in.get(PAGE, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/inloggen/"


def test_a_post_after_the_end_changes_nothing_and_asks_to_log_in(signed_in, director, start):
    from notifications.models import Notification

    unread = Notification.objects.create(
        recipient=director, message="Nieuwe taak", url="/taken/", created_at=timezone.now()
    )
    with at(start, minutes=45):
        response = signed_in.post("/meldingen/alles-gelezen/")
    assert response.status_code == 302 and response["Location"] == "/inloggen/"
    unread.refresh_from_db()
    assert unread.read_at is None


def test_the_end_is_logged_without_personal_data(signed_in, director, start, caplog):
    with caplog.at_level(logging.INFO, logger="ijam.sessions"), at(start, minutes=45):
        signed_in.get(PAGE)
    (record,) = [r for r in caplog.records if r.name == "ijam.sessions"]
    assert record.getMessage() == f"Sessie beëindigd (inactief) voor gebruiker {director.pk}"
    assert director.username not in record.getMessage()


def test_logging_out_says_so_on_the_log_in_page(signed_in, start):
    with at(start, minutes=5):
        response = signed_in.post("/uitloggen/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/inloggen/"
    assert "U bent uitgelogd." in html and "Uw sessie is beëindigd" not in html


def test_a_session_from_before_the_limits_ends(client, director):
    client.force_login(director)
    session = client.session
    del session["ijam_login_at"]
    session.save()
    assert client.get(PAGE).status_code == 302
    assert not is_logged_in(client)
