# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor at log-in (issue 12, ADR 0014): no page with data before it, the app set
up at the first log-in, wrong codes refused and throttled, recovery codes that work once, new
recovery codes, and the reset under four eyes.

These tests log in with Django's plain ``force_login`` (``login_without_second_factor``): the
password step only, as after ``/inloggen/``; the rest of the suite's ``force_login`` passes
the second factor too (``conftest.py``)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebook.errors import NotAllowed
from casebook.models import AuditAction, AuditEvent, Role, SecondFactorReset
from casebook.services.second_factor import (
    second_factor_enrol,
    second_factor_reset_approve,
    second_factor_reset_request,
)
from notifications.models import Notification
from tests import factories
from tests.second_factor import (
    app_of,
    code_at,
    current_code,
    login_without_second_factor,
    wrong_code,
)

pytestmark = pytest.mark.django_db

STEP = "/tweede-factor/"


def _enrolled(user) -> list[str]:
    """The user sets up an app through the service; returns the recovery codes."""
    from casebook.services.second_factor import enrolment_device

    device = enrolment_device(user=user)
    _device, codes = second_factor_enrol(user=user, code=current_code(device))
    return codes


def _sent_to_step(response) -> bool:
    if response.status_code == 302:
        return urlsplit(response["Location"]).path == STEP
    return response.status_code == 200 and response.get("HX-Redirect") == STEP


def _events(action: str):
    return AuditEvent.objects.filter(action=action)


# --- Nothing before the second factor ----------------------------------------------------------


def test_a_session_without_the_second_factor_reaches_no_page_with_data(
    client, director, case_awaiting
):
    youth = case_awaiting.youth
    app_of(director)
    login_without_second_factor(client, director)
    reads_before = AuditEvent.objects.filter(kind="read").count()
    urls = [
        reverse("home"),
        reverse("casebook:case-list"),
        reverse("casebook:case-detail", args=[case_awaiting.pk]),
        reverse("casebook:case-summary-pdf", args=[case_awaiting.pk]),
        reverse("notifications:list"),
        reverse("workflows:overview"),
        reverse("accounts:recovery-codes"),
        reverse("login"),
        "/beheer/",
        "/bestaat-niet/",
    ]
    for url in urls:
        response = client.get(url)
        assert _sent_to_step(response), (url, response.status_code)
        assert youth.last_name not in response.content.decode(), url
    # The page asked for comes back after the step.
    response = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk]))
    assert response["Location"] == STEP + "?next=" + f"%2Fcasussen%2F{case_awaiting.pk}%2F"
    # An htmx fragment is told to load the step as a whole page (and gets no fragment).
    fragment = client.get(
        reverse("casebook:signal-duplicates"),
        {"last_name": youth.last_name, "date_of_birth": youth.date_of_birth.isoformat()},
        headers={"HX-Request": "true"},
    )
    assert _sent_to_step(fragment) and fragment.get("HX-Redirect") == STEP
    assert youth.last_name not in fragment.content.decode()
    # A form post changes nothing.
    response = client.post(reverse("notifications:read-all"))
    assert _sent_to_step(response)
    assert AuditEvent.objects.filter(kind="read").count() == reads_before  # nothing was read
    # What stays open: the step itself, log-out, the health check.
    assert client.get(STEP).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)
    # With the code from the app, the same pages open.
    response = client.post(STEP, {"code": current_code(app_of(director))})
    assert response.status_code == 302
    page = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk]))
    assert page.status_code == 200 and youth.last_name in page.content.decode()


def test_the_admin_needs_the_second_factor_too(client, db):
    admin = factories.user(
        Role.FUNCTIONAL_ADMIN, factories.organisation("gemeente", "Gemeente"), is_staff=True
    )
    app_of(admin)
    login_without_second_factor(client, admin)
    for url in ("/beheer/", "/beheer/casebook/user/", f"/beheer/casebook/user/{admin.pk}/change/"):
        assert _sent_to_step(client.get(url)), url
    client.post(STEP, {"code": current_code(app_of(admin))})
    assert client.get("/beheer/").status_code == 200


def test_the_step_sends_a_user_without_an_app_to_set_one_up(client, director):
    login_without_second_factor(client, director)
    response = client.get(STEP + "?next=/casussen/")
    assert response.status_code == 302
    assert response["Location"] == "/tweede-factor/instellen/?next=%2Fcasussen%2F"


def test_a_reset_unverifies_the_sessions_the_old_app_verified(client, director):
    client.force_login(director)  # verified by its app
    assert client.get(reverse("notifications:list")).status_code == 200
    TOTPDevice.objects.filter(user=director).delete()
    assert _sent_to_step(client.get(reverse("home")))


# --- Wrong codes ------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_in_dutch_and_throttled(client, director):
    device = app_of(director)
    login_without_second_factor(client, director)
    response = client.post(STEP, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()
    assert _sent_to_step(client.get(reverse("home")))
    # Right after a wrong code even the right one is refused: the wait doubles per failure.
    response = client.post(STEP, {"code": current_code(device)})
    assert response.status_code == 400
    assert "Te veel onjuiste codes achter elkaar" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the refused attempt was remembered
    # Once the wait is over, the right code works and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=5)
    )
    assert client.post(STEP, {"code": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get(reverse("notifications:list")).status_code == 200


def test_a_code_is_refused_when_it_was_used_already(client, director):
    device = app_of(director)
    login_without_second_factor(client, director)
    code = current_code(device)
    assert client.post(STEP, {"code": code}).status_code == 302
    client.logout()
    login_without_second_factor(client, director)
    response = client.post(STEP, {"code": code})
    assert response.status_code == 400 and "Deze code klopt niet" in response.content.decode()


@pytest.mark.parametrize("code", ["", "   ", "12345x7", "x" * 40, "١٢٣٤٥٦", "12\x0034", "<b>"])
def test_input_that_is_no_code_is_refused_with_a_message(client, director, code):
    app_of(director)
    login_without_second_factor(client, director)
    response = client.post(STEP, {"code": code})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code_error"' in html and "Fout: </span>" in html  # a message on the field
    assert _sent_to_step(client.get(reverse("home")))


# --- Setting up the app -----------------------------------------------------------------------


def test_setting_up_the_app_at_the_first_log_in(client, director):
    login_without_second_factor(client, director)
    page = client.get("/tweede-factor/instellen/")
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].count("no-store")
    assert '<svg width="' in html and "<title>QR-code" in html  # the QR code, inline
    assert "style=" not in html.split("<main", 1)[1]  # nothing a strict CSP would refuse
    device = TOTPDevice.objects.get(user=director, confirmed=False)
    assert client.get("/tweede-factor/instellen/").status_code == 200
    assert TOTPDevice.objects.filter(user=director).count() == 1  # the same secret on reload
    response = client.post("/tweede-factor/instellen/", {"code": wrong_code(device)})
    assert response.status_code == 400 and "Deze code klopt niet" in response.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    response = client.post("/tweede-factor/instellen/", {"code": current_code(device)})
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    codes = re.findall(r"data-ijam-recovery-code>([a-z2-7]{4}-[a-z2-7]{4})<", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "IJAM toont deze codes alleen nu" in html
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("notifications:list")).status_code == 200  # this session is verified
    event = _events(AuditAction.SECOND_FACTOR_ENROLLED).get()
    assert event.actor == director and event.after == {"app": True, "herstelcodes": 10}
    assert not any(code.replace("-", "") in str(event.after) for code in codes)
    # Set up once: the page now sends to the log-in step, and a second app is refused.
    assert client.get("/tweede-factor/instellen/").status_code == 302


# --- Recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, director):
    codes = _enrolled(director)
    login_without_second_factor(client, director)
    response = client.post(STEP, {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert client.get(reverse("notifications:list")).status_code == 200
    event = _events(AuditAction.RECOVERY_CODE_USED).get()
    assert event.actor == director and event.after == {"herstelcodes_over": 9}
    client.logout()
    login_without_second_factor(client, director)
    response = client.post(STEP, {"code": codes[0]})
    assert response.status_code == 400
    assert "Deze herstelcode klopt niet of is al gebruikt" in response.content.decode()
    assert _sent_to_step(client.get(reverse("home")))
    assert _events(AuditAction.RECOVERY_CODE_USED).count() == 1


def test_recovery_codes_are_throttled_too(client, director):
    codes = _enrolled(director)
    login_without_second_factor(client, director)
    assert client.post(STEP, {"code": "aaaa-aaaa"}).status_code == 400
    response = client.post(STEP, {"code": codes[1]})
    assert "Te veel onjuiste codes" in response.content.decode()
    assert StaticToken.objects.filter(device__user=director).count() == 10


def test_new_recovery_codes_replace_the_old_ones(client, director):
    old = _enrolled(director)
    client.force_login(director)
    page = client.get(reverse("accounts:recovery-codes"))
    assert "nog <strong>10</strong> ongebruikte herstelcodes" in page.content.decode()
    response = client.post(reverse("accounts:recovery-codes"))
    new = re.findall(r"data-ijam-recovery-code>([a-z2-7-]{9})<", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    event = _events(AuditAction.RECOVERY_CODES_REGENERATED).get()
    assert event.before == {"herstelcodes": 10} and event.after == {"herstelcodes": 10}
    client.logout()
    login_without_second_factor(client, director)
    assert client.post(STEP, {"code": old[0]}).status_code == 400
    StaticDevice.objects.filter(user=director).update(throttling_failure_timestamp=None)
    assert client.post(STEP, {"code": new[0]}).status_code == 302


# --- The reset under four eyes ----------------------------------------------------------------


@pytest.fixture
def beheerder(db):
    municipality = factories.organisation("gemeente", "Gemeente Maastricht (beheer)")
    return factories.user(Role.FUNCTIONAL_ADMIN, municipality, is_staff=True)


def test_a_reset_needs_a_second_person(client, beheerder, privacy_officer, director):
    _enrolled(director)
    client.force_login(beheerder)
    page = client.get(reverse("accounts:second-factor-reset-request"))
    assert page.status_code == 200 and director.username in page.content.decode()
    response = client.post(
        reverse("accounts:second-factor-reset-request"),
        {"user": director.pk, "reason": "Telefoon kwijt, teruggebeld op 06-nummer uit HR"},
    )
    assert response.status_code == 302
    reset = SecondFactorReset.objects.get(user=director)
    assert reset.decision == SecondFactorReset.Decision.PENDING
    assert TOTPDevice.objects.filter(user=director, confirmed=True).exists()  # not yet
    requested = _events(AuditAction.SECOND_FACTOR_RESET_REQUESTED).get()
    assert requested.actor == beheerder and requested.before == {"app": True, "herstelcodes": 10}
    # A second request for the same user waits for the first one.
    again = client.post(
        reverse("accounts:second-factor-reset-request"), {"user": director.pk, "reason": "Nog eens"}
    )
    assert again.status_code == 409 and "wacht al een herstel" in again.content.decode()

    # The requester may not approve it.
    decide = reverse("accounts:second-factor-reset-decide", args=[reset.pk, "goedkeuren"])
    response = client.post(decide, {f"reset-{reset.pk}-reason": ""})
    assert response.status_code == 403
    assert "U kunt uw eigen aanvraag niet beoordelen" in response.content.decode()
    reset.refresh_from_db()
    assert reset.decision == SecondFactorReset.Decision.PENDING
    assert TOTPDevice.objects.filter(user=director, confirmed=True).exists()

    # Nor the user it is for.
    with pytest.raises(NotAllowed):
        second_factor_reset_approve(actor=director, reset_id=reset.pk)

    # The privacy officer approves it: app and codes are gone, the user sets up a new app.
    client.force_login(privacy_officer)
    assert (
        director.username in client.get(reverse("accounts:second-factor-resets")).content.decode()
    )
    response = client.post(decide, {f"reset-{reset.pk}-reason": "Identiteit gecontroleerd"})
    assert response.status_code == 302
    reset.refresh_from_db()
    assert reset.decision == SecondFactorReset.Decision.APPROVED
    assert reset.decided_by == privacy_officer
    assert not TOTPDevice.objects.filter(user=director).exists()
    assert not StaticDevice.objects.filter(user=director).exists()
    approved = _events(AuditAction.SECOND_FACTOR_RESET_APPROVED).get()
    assert approved.actor == privacy_officer
    assert approved.before["app"] is True and approved.after["app"] is False
    assert approved.after["herstelcodes"] == 0
    assert Notification.objects.filter(recipient=beheerder).exists()
    # Decided once: a second decision is refused.
    response = client.post(decide, {f"reset-{reset.pk}-reason": ""})
    assert response.status_code == 409
    # The user's next log-in sets up a new app.
    client.logout()
    login_without_second_factor(client, director)
    assert client.get(STEP)["Location"].startswith("/tweede-factor/instellen/")


def test_a_reset_is_refused_without_reason_and_for_oneself(beheerder, director):
    from casebook.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        second_factor_reset_request(actor=beheerder, user=director, reason="  ")
    with pytest.raises(NotAllowed):
        second_factor_reset_request(actor=beheerder, user=beheerder, reason="Kwijt")
    with pytest.raises(NotAllowed):  # only who manages users may ask
        second_factor_reset_request(actor=director, user=beheerder, reason="Kwijt")
    assert not SecondFactorReset.objects.exists()
    assert not _events(AuditAction.SECOND_FACTOR_RESET_REQUESTED).exists()


def test_a_rejected_reset_keeps_the_app(client, beheerder, privacy_officer, director):
    _enrolled(director)
    reset = second_factor_reset_request(actor=beheerder, user=director, reason="Kwijt")
    client.force_login(privacy_officer)
    url = reverse("accounts:second-factor-reset-decide", args=[reset.pk, "afwijzen"])
    response = client.post(url, {f"reset-{reset.pk}-reason": ""})
    assert response.status_code == 400 and "Geef een reden" in response.content.decode()
    response = client.post(url, {f"reset-{reset.pk}-reason": "Niet door de gebruiker gevraagd"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=director, confirmed=True).exists()
    assert _events(AuditAction.SECOND_FACTOR_RESET_REJECTED).get().actor == privacy_officer


def test_the_beheerder_cannot_take_a_second_factor_away_in_the_admin(client, beheerder):
    client.force_login(beheerder)
    for url in ("/beheer/otp_totp/totpdevice/", "/beheer/otp_static/staticdevice/"):
        assert client.get(url).status_code == 404, url


# --- One code per step, as a phone shows it -----------------------------------------------------


def test_the_helper_gives_the_next_step_when_this_one_was_used(director):
    device = app_of(director)
    first = current_code(device)
    assert device.verify_token(first)
    second = current_code(device)
    assert second != first and device.verify_token(second)
    assert code_at(device, device.last_t) == second


@pytest.mark.parametrize(
    "target", ["home", "99999999999999999999", "https://evil.example/", "//evil"]
)
def test_a_next_that_is_not_a_path_of_ours_goes_home_not_to_an_error(client, director, target):
    """Found by the input fuzzer: ``next=99999…`` was taken for a URL name by redirect()."""
    client.force_login(director)
    response = client.get(STEP, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
