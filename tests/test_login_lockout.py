# SPDX-License-Identifier: AGPL-3.0-or-later
"""Lockout after failed log-ins (django-axes, ADR 0015): per user name and per IP address, the
same answer for a user name that does not exist, the admin's log-in too, a cool-off that ends,
and an unlock that is audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from casebook.models import AuditEvent, OrganisationKind, Role
from ijam.lockout import client_ip, proxy_address_check
from tests import factories
from tests.browser import PASSWORD

LOCKED = "Inloggen is tijdelijk geblokkeerd na te veel mislukte pogingen"


@pytest.fixture
def municipality(db):
    return factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht (beheer)")


@pytest.fixture
def beheerder(municipality):
    return factories.user(Role.FUNCTIONAL_ADMIN, municipality, is_staff=True)


def log_in(client, username, password, *, ip="10.0.0.1", path="/inloggen/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username, times, **kwargs):
    for _ in range(times):
        log_in(client, username, "fout-wachtwoord-00", **kwargs)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, director):
    for attempt in range(4):
        response = log_in(client, director.username, "fout-wachtwoord-00")
        assert response.status_code == 200, attempt  # the form again, with Django's message
        assert LOCKED not in response.content.decode()
    response = log_in(client, director.username, "fout-wachtwoord-00")
    assert response.status_code == 429 and LOCKED in response.content.decode()

    response = log_in(client, director.username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode() and "30 minuten" in response.content.decode()
    assert not is_logged_in(client)
    # From another address too: the user name itself is locked.
    assert log_in(client, director.username, PASSWORD, ip="10.9.9.9").status_code == 429


def test_four_wrong_passwords_do_not_lock(client, director):
    fail(client, director.username, 4)
    response = log_in(client, director.username, PASSWORD)
    assert response.status_code == 302 and is_logged_in(client)


def _normalised(response) -> str:
    """The page without its CSRF tokens, which differ on every response."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_an_unknown_user_name_gets_the_identical_answer(client, director):
    fail(client, director.username, 5, ip="10.0.0.1")
    fail(client, "bestaat-niet", 5, ip="10.0.0.2")
    known = log_in(client, director.username, PASSWORD, ip="10.0.0.3")
    unknown = log_in(client, "bestaat-niet", PASSWORD, ip="10.0.0.4")
    assert known.status_code == unknown.status_code == 429
    assert _normalised(known) == _normalised(unknown)
    assert director.username not in known.content.decode()
    # And before the lockout, too, one message for both.
    first_known = log_in(client, director.username, "fout-wachtwoord-00", ip="10.0.0.5")
    first_unknown = log_in(client, "ook-onbekend", "fout-wachtwoord-00", ip="10.0.0.6")
    assert first_known.status_code == 429  # still locked: the user name counts everywhere
    assert first_unknown.status_code == 200


def test_one_address_trying_many_user_names_is_locked(client, director, support):
    for n in range(5):
        log_in(client, f"gok-{n}", "fout-wachtwoord-00", ip="192.0.2.7")
    # A real user with the right password, from that address: refused.
    response = log_in(client, support.username, PASSWORD, ip="192.0.2.7")
    assert response.status_code == 429 and not is_logged_in(client)
    # The same user from another address is not affected (the user name had no failures).
    assert log_in(client, support.username, PASSWORD, ip="192.0.2.8").status_code == 302


def test_the_cool_off_ends_after_thirty_minutes(client, director):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, director.username, 5)
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert log_in(client, director.username, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = log_in(client, director.username, PASSWORD)
        assert response.status_code == 302 and is_logged_in(client)


def test_trying_during_the_lockout_does_not_extend_it(client, director):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, director.username, 5)
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        fail(client, director.username, 3)
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        assert log_in(client, director.username, PASSWORD).status_code == 302


def test_the_admin_log_in_is_locked_too(client, beheerder):
    fail(client, beheerder.username, 5, path="/beheer/login/")
    response = log_in(client, beheerder.username, PASSWORD, path="/beheer/login/")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    # One count for both doors.
    assert log_in(client, beheerder.username, PASSWORD).status_code == 429


def test_no_password_is_stored_with_the_attempts(client, director):
    fail(client, director.username, 2)
    attempt = AccessAttempt.objects.get(username=director.username)
    assert attempt.failures_since_start == 2
    assert "fout-wachtwoord-00" not in attempt.post_data + attempt.get_data


def test_the_beheerder_lifts_a_lockout_in_the_admin_audited(client, director, beheerder):
    fail(client, director.username, 5)
    assert log_in(client, director.username, PASSWORD).status_code == 429

    client.force_login(beheerder)
    response = client.post(
        "/beheer/casebook/user/",
        {"action": "unlock_login", "_selected_action": [director.pk]},
        follow=True,
    )
    assert "Blokkering opgeheven voor: " + director.username in response.content.decode()
    event = AuditEvent.objects.get(action="user.login_unlocked")
    assert event.actor == beheerder and event.object_id == str(director.pk)
    assert event.after["mislukte_pogingen"] == 5
    client.logout()

    response = log_in(client, director.username, PASSWORD)
    assert response.status_code == 302 and is_logged_in(client)


def test_an_address_is_freed_from_the_list_of_attempts(client, director, beheerder):
    for n in range(5):
        log_in(client, f"gok-{n}", "fout-wachtwoord-00", ip="192.0.2.7")
    client.force_login(beheerder)
    page = client.get("/beheer/axes/accessattempt/")
    assert page.status_code == 200 and "192.0.2.7" in page.content.decode()
    rows = list(AccessAttempt.objects.filter(ip_address="192.0.2.7").values_list("pk", flat=True))
    client.post(
        "/beheer/axes/accessattempt/",
        {"action": "unlock_ip_address", "_selected_action": rows[:1]},
    )
    assert AuditEvent.objects.get(action="user.login_unlocked").after["ip_adres"] == "192.0.2.7"
    client.logout()
    assert log_in(client, director.username, PASSWORD, ip="192.0.2.7").status_code == 302


def test_attempts_cannot_be_deleted_round_the_audit(client, director, beheerder):
    fail(client, director.username, 5)
    attempt = AccessAttempt.objects.get()
    client.force_login(beheerder)
    response = client.post(
        "/beheer/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert client.get(f"/beheer/axes/accessattempt/{attempt.pk}/delete/").status_code == 403


def test_a_partner_cannot_lift_a_lockout(client, director, police_officer):
    fail(client, director.username, 5)
    client.force_login(police_officer)
    assert client.get("/beheer/axes/accessattempt/").status_code in (302, 403)
    assert AccessAttempt.objects.exists()


def test_the_command_line_unlock_is_audited_and_axes_own_is_refused(client, director):
    fail(client, director.username, 5)
    with pytest.raises(CommandError, match="login_unlock"):
        call_command("axes_reset_username", director.username)
    assert AccessAttempt.objects.exists()
    call_command("login_unlock", gebruikersnaam=director.username, reden="telefonisch verzoek")
    event = AuditEvent.objects.get(action="user.login_unlocked")
    assert event.actor is None and event.reason == "telefonisch verzoek"
    assert log_in(client, director.username, PASSWORD).status_code == 302


def test_a_bad_address_to_unlock_is_a_dutch_error(db):
    with pytest.raises(CommandError, match="geen IP-adres"):
        call_command("login_unlock", ip="999.1.1.1")


# --- The client's address -------------------------------------------------------------------


class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_x_forwarded_for_is_ignored_by_default(settings):
    settings.IJAM_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_Request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_one_trusted_proxy_its_entry_counts_not_the_clients_own(settings):
    settings.IJAM_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended what it saw.
    assert client_ip(_Request("10.0.0.2", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(_Request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(_Request("10.0.0.2", "geen-adres")) == "10.0.0.2"


def test_a_forged_header_does_not_escape_the_lockout(client, director, settings):
    settings.IJAM_TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        client.post(
            "/inloggen/",
            {"username": f"gok-{n}", "password": "x"},
            REMOTE_ADDR="192.0.2.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        "/inloggen/",
        {"username": director.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.9",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429


def test_a_proxy_without_a_trusted_count_is_warned_about(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.IJAM_TRUSTED_PROXY_COUNT = 0
    assert [w.id for w in proxy_address_check()] == ["ijam.W015"]
    settings.IJAM_TRUSTED_PROXY_COUNT = 1
    assert proxy_address_check() == []


def test_the_service_refuses_who_does_not_manage_users(client, director, police_officer):
    from casebook.errors import NotAllowed
    from casebook.services.accounts import login_unlock

    fail(client, director.username, 5)
    with pytest.raises(NotAllowed):
        login_unlock(actor=police_officer, username=director.username)
    assert AccessAttempt.objects.filter(username=director.username).exists()
    assert not AuditEvent.objects.filter(action="user.login_unlocked").exists()
