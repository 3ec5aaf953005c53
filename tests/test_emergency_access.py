# SPDX-License-Identifier: AGPL-3.0-or-later
"""Break the glass: a partner opens a case outside the rules with a reason, for a limited time;
the procesregisseur hears of it, every page seen under it is logged as such, and the privacy
officer reviews it. Denied access (404 and 403) is logged too."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from casebook.models import AuditEvent, EmergencyAccess
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

REASON = "Jongere staat nu aan de balie met verwondingen; moeder onbereikbaar."


@pytest.fixture
def halt_case(halt_worker):
    return factories.signal(halt_worker, description="Halt: winkeldiefstal").case


def _open(client, user, case, **overrides):
    client.force_login(user)
    data = {"reference": case.reference, "reason": REASON, "acknowledged": "on", **overrides}
    return client.post(reverse("casebook:emergency-access"), data)


def test_the_form_warns_before(client, police_officer):
    client.force_login(police_officer)
    page = client.get(reverse("casebook:emergency-access")).content.decode()
    assert "niet betrokken" in page and "privacy officer" in page and "24 uur" in page


def test_a_partner_opens_a_foreign_case_for_a_limited_time(
    client, police_officer, director, halt_case, privacy_officer
):
    detail = reverse("casebook:case-detail", args=[halt_case.pk])
    client.force_login(police_officer)
    assert client.get(detail).status_code == 404

    response = _open(client, police_officer, halt_case)
    assert response.status_code == 302 and response.url == detail
    access = EmergencyAccess.objects.get(user=police_officer, case=halt_case)
    assert access.review == EmergencyAccess.Review.PENDING
    assert access.expires_at - access.opened_at == dt.timedelta(hours=24)
    opened = AuditEvent.objects.get(action="emergency_access.opened", case=halt_case)
    assert opened.reason == REASON and opened.actor == police_officer

    page = client.get(detail)
    assert page.status_code == 200
    assert "via een doorbraak" in page.content.decode()
    read = AuditEvent.objects.filter(action="case.viewed", case=halt_case, actor=police_officer)
    assert read.get().after == {"grond": "doorbraak", "doorbraak": access.pk}

    # The procesregisseur and the privacy officer hear of it, without personal data.
    notice = Notification.objects.get(recipient=director, message__startswith="Doorbraak")
    assert halt_case.reference in notice.message
    assert halt_case.youth.last_name not in notice.message
    assert Notification.objects.filter(recipient=privacy_officer).exists()

    with time_machine.travel(access.expires_at + dt.timedelta(minutes=1), tick=False):
        client.force_login(police_officer)  # a day later: a new session
        assert client.get(detail).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"acknowledged": ""}, "Bevestig dat u weet"),
        ({"reason": "Spoed"}, "minstens 20 tekens"),
        ({"reference": "IJAM-999999"}, "geen open casus met dit casusnummer"),
        ({"reference": "Jansen"}, "geen open casus met dit casusnummer"),
    ],
)
def test_no_reason_no_acknowledgement_or_no_case_opens_nothing(
    client, police_officer, halt_case, overrides, message
):
    response = _open(client, police_officer, halt_case, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="emergency_access.opened").exists()


def test_more_than_three_a_day_is_not_an_emergency(client, police_officer, halt_worker):
    cases = [factories.signal(halt_worker).case for _ in range(4)]
    for case in cases[:3]:
        assert _open(client, police_officer, case).status_code == 302
    response = _open(client, police_officer, cases[3])
    assert response.status_code == 403
    assert "al 3 keer spoedtoegang" in response.content.decode()
    assert EmergencyAccess.objects.filter(user=police_officer).count() == 3


@pytest.mark.parametrize("role", ["steering_group", "functional_admin", "privacy_officer"])
def test_roles_that_see_no_person_cannot_break_the_glass(client, role, halt_case, police):
    user = factories.user(role, police)
    response = _open(client, user, halt_case)
    assert response.status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_the_privacy_officer_reviews_and_an_unjustified_access_ends_at_once(
    client, police_officer, halt_case, privacy_officer
):
    _open(client, police_officer, halt_case)
    access = EmergencyAccess.objects.get()
    client.force_login(privacy_officer)
    queue = client.get(reverse("casebook:emergency-queue")).content.decode()
    assert halt_case.reference in queue and REASON in queue
    review = reverse("casebook:emergency-review", args=[access.pk])

    # Unjustified needs an explanation; nothing changes without one.
    client.post(review, {"verdict": "unjustified", "note": "", "version": access.version})
    access.refresh_from_db()
    assert access.review == EmergencyAccess.Review.PENDING

    client.post(
        review, {"verdict": "unjustified", "note": "Geen spoed.", "version": access.version}
    )
    access.refresh_from_db()
    assert access.review == EmergencyAccess.Review.UNJUSTIFIED
    assert access.reviewed_by == privacy_officer
    assert access.expires_at <= timezone.now()
    event = AuditEvent.objects.get(action="emergency_access.reviewed")
    assert event.after == {"beoordeling": "onterecht"}
    client.force_login(police_officer)
    assert client.get(reverse("casebook:case-detail", args=[halt_case.pk])).status_code == 404

    # Reviewed once: a second verdict is a conflict.
    client.force_login(privacy_officer)
    response = client.post(review, {"verdict": "justified", "note": "", "version": access.version})
    assert response.status_code == 409
    access.refresh_from_db()
    assert access.review == EmergencyAccess.Review.UNJUSTIFIED


def test_a_review_from_a_stale_page_conflicts_and_changes_nothing(
    client, police_officer, halt_case, privacy_officer
):
    _open(client, police_officer, halt_case)
    access = EmergencyAccess.objects.get()
    client.force_login(privacy_officer)
    review = reverse("casebook:emergency-review", args=[access.pk])
    for version in ("", access.version - 1):
        response = client.post(review, {"verdict": "justified", "version": version})
        assert response.status_code == 409
    access.refresh_from_db()
    assert access.review == EmergencyAccess.Review.PENDING


def test_only_the_privacy_officer_sees_the_review_queue(
    client, police_officer, director, steering_member, halt_case
):
    _open(client, police_officer, halt_case)
    for user in (police_officer, director, steering_member):
        client.force_login(user)
        assert client.get(reverse("casebook:emergency-queue")).status_code == 403


def test_denied_access_is_logged_without_the_query_string(
    client, police_officer, steering_member, halt_case
):
    client.force_login(police_officer)
    client.get(reverse("casebook:case-detail", args=[halt_case.pk]) + "?naam=Jansen")
    hidden = AuditEvent.objects.get(action="access.denied", actor=police_officer)
    assert hidden.after == {
        "pad": f"/casussen/{halt_case.pk}/",
        "methode": "GET",
        "status": 404,
    }
    client.force_login(steering_member)
    client.post(reverse("casebook:case-transition", args=[halt_case.pk, "opschalen"]))
    hidden = AuditEvent.objects.get(action="access.denied", actor=steering_member)
    assert hidden.after["status"] == 404 and hidden.after["methode"] == "POST"
    client.get(reverse("casebook:case-list"))
    refused = AuditEvent.objects.filter(action="access.denied", actor=steering_member).last()
    assert refused.after == {"pad": "/casussen/", "methode": "GET", "status": 403}
    # A path with a NUL byte or a bidi override is logged cleaned, not a server error.
    response = client.get("/casussen/%00%E2%80%AE123/")
    assert response.status_code == 404
    odd = AuditEvent.objects.filter(action="access.denied", actor=steering_member).last()
    assert "\x00" not in odd.after["pad"] and "\u202e" not in odd.after["pad"]


def test_a_refused_action_says_why_in_dutch(client, steering_member):
    client.force_login(steering_member)
    response = client.get(reverse("casebook:case-list"))
    assert response.status_code == 403
    assert "Uw rol geeft geen toegang tot casussen." in response.content.decode()
