# SPDX-License-Identifier: AGPL-3.0-or-later
"""The duplicate check on the signal form and on adding a group member (ADR 0012): ZVH staff
see the candidates; a partner learns only that a possible match exists, never who, how many or
where; the check is rate-limited per user and every call is logged without what was typed."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils.formats import date_format

from casebook.models import AuditEvent, GroupRole, OrganisationKind, Role, Youth
from casebook.models.audit import canonical_json
from casebook.services.youths import youth_create
from tests import factories

pytestmark = pytest.mark.django_db

GENERIC = "Mogelijk is deze jongere al bekend; de procesregisseur koppelt het signaal."
URL = "casebook:signal-duplicates"


@pytest.fixture
def school_worker(zvh):
    school = factories.organisation(OrganisationKind.SCHOOL, "Sint-Maartenscollege")
    return factories.user(Role.PARTNER, school, first_name="Bea", last_name="Brugfunctionaris")


@pytest.fixture
def stranger(director, halt_worker):
    """A youth with a case neither the school nor the police have anything to do with (Halt
    reported her)."""
    youth = youth_create(
        actor=director,
        data=factories.youth_data(
            first_name="Yasmina",
            last_name="Verhoeven",
            date_of_birth=dt.date(2010, 3, 14),
            neighbourhood=factories.neighbourhood("Mariaberg-Noord"),
        ),
    )
    factories.signal(halt_worker, youth=youth)
    return youth


def query(youth, **extra) -> dict:
    return {
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "date_of_birth": youth.date_of_birth.isoformat(),
    } | extra


def traces_of(youth) -> list[str]:
    """Everything that would tell who the youth is or where her case is."""
    case = youth.cases.get()
    return [
        youth.last_name,
        youth.neighbourhood.name,
        date_format(youth.date_of_birth, "j F Y"),
        youth.date_of_birth.strftime("%d-%m-%Y"),
        case.reference,
        f"youth-{youth.pk}",
    ]


def test_a_partner_learns_only_that_a_match_may_exist(client, school_worker, stranger):
    client.force_login(school_worker)
    response = client.get(reverse(URL), query(stranger))
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC in html
    for trace in traces_of(stranger):
        assert trace not in html, trace
    assert "Is dit een van deze jongeren?" not in html


def test_a_partner_with_a_near_name_and_only_the_birth_year_learns_nothing_more(
    client, school_worker, stranger
):
    client.force_login(school_worker)
    near = {"first_name": "Jasmina", "last_name": "Verhoeven", "date_of_birth": "2010-01-01"}
    html = client.get(reverse(URL), near).content.decode()
    assert GENERIC in html
    for trace in traces_of(stranger):
        assert trace not in html, trace


def test_one_match_or_five_reads_the_same_to_a_partner(client, director, school_worker, stranger):
    client.force_login(school_worker)
    one = client.get(reverse(URL), query(stranger)).content
    for _ in range(4):
        youth_create(
            actor=director,
            data=factories.youth_data(
                first_name=stranger.first_name,
                last_name=stranger.last_name,
                date_of_birth=stranger.date_of_birth,
            ),
        )
    five = client.get(reverse(URL), query(stranger)).content
    assert one == five
    counts = [e.after["kandidaten"] for e in AuditEvent.objects.filter(actor=school_worker)]
    assert counts == [1, 5]  # the log knows, the partner does not


def test_no_match_shows_nothing(client, school_worker, stranger):
    client.force_login(school_worker)
    html = client.get(reverse(URL), query(stranger, first_name="Sanne", last_name="Bos")).content
    assert GENERIC not in html.decode()


def test_zvh_staff_see_the_candidates_as_before(client, director, support, stranger):
    for user in (director, support):
        client.force_login(user)
        html = client.get(reverse(URL), query(stranger)).content.decode()
        assert "Is dit een van deze jongeren?" in html
        assert f"Yasmina Verhoeven, geboren {date_format(stranger.date_of_birth, 'j F Y')}" in html
        assert "Mariaberg-Noord" in html
        assert GENERIC not in html


def test_every_call_is_logged_without_what_was_typed(client, school_worker, stranger):
    client.force_login(school_worker)
    client.get(reverse(URL), query(stranger))
    client.get(reverse(URL), query(stranger, first_name="Sanne", last_name="Bos"))
    events = list(AuditEvent.objects.filter(actor=school_worker).order_by("id"))
    assert [e.action for e in events] == ["youth_duplicate_check.viewed"] * 2
    assert all(e.kind == AuditEvent.Kind.READ for e in events)
    assert events[0].after == {
        "controle": "signaalformulier",
        "kandidaten": 1,
        "gevonden": [stranger.pk],
        "namen_getoond": False,
    }
    assert events[1].after["kandidaten"] == 0
    logged = canonical_json([e.content() for e in events])
    for typed in ("Yasmina", "Verhoeven", "Sanne", "Bos", "2010-03-14", "14-03-2010"):
        assert typed not in logged, typed


def test_the_check_is_rate_limited_per_user_with_a_dutch_429(
    client, settings, school_worker, police_officer, stranger
):
    settings.IJAM_DUPLICATE_CHECK_RATE = (3, 600)
    client.force_login(school_worker)
    for _ in range(3):
        assert client.get(reverse(URL), query(stranger)).status_code == 200
    for _ in range(2):
        refused = client.get(reverse(URL), query(stranger))
        assert refused.status_code == 429
        html = refused.content.decode()
        assert "te vaak" in html and GENERIC not in html
    events = AuditEvent.objects.filter(actor=school_worker, action="youth_duplicate_check.viewed")
    assert events.count() == 4  # three checks and the first refusal; no flood
    assert "geweigerd" in events.order_by("id").last().after

    client.force_login(police_officer)  # per user: someone else still may
    assert client.get(reverse(URL), query(stranger)).status_code == 200

    cache.clear()  # the window ended
    client.force_login(school_worker)
    assert client.get(reverse(URL), query(stranger)).status_code == 200


def test_an_incomplete_form_is_not_searched_and_not_counted(
    client, settings, school_worker, stranger
):
    settings.IJAM_DUPLICATE_CHECK_RATE = (1, 600)
    client.force_login(school_worker)
    for _ in range(3):  # typing: the names without a birth date
        client.get(reverse(URL), {"first_name": "Yasmina", "last_name": "Verhoeven"})
    assert not AuditEvent.objects.filter(actor=school_worker).exists()
    assert GENERIC in client.get(reverse(URL), query(stranger)).content.decode()


def test_the_check_takes_the_same_few_queries_for_one_match_or_ten(
    client, director, school_worker, stranger, django_assert_max_num_queries
):
    client.force_login(school_worker)
    client.get(reverse(URL), query(stranger))  # session and permissions warmed up alike
    for _ in range(9):
        youth_create(
            actor=director,
            data=factories.youth_data(
                first_name=stranger.first_name,
                last_name=stranger.last_name,
                date_of_birth=stranger.date_of_birth,
            ),
        )
    with django_assert_max_num_queries(12):
        client.get(reverse(URL), query(stranger))
    client.force_login(director)
    with django_assert_max_num_queries(12):
        html = client.get(reverse(URL), query(stranger)).content.decode()
    assert html.count('name="youth_choice"') == 11  # ten candidates and "new"


def test_a_partner_registering_a_known_youth_is_not_shown_the_candidates(
    client, school_worker, stranger
):
    client.force_login(school_worker)
    data = query(stranger) | {
        "neighbourhood": factories.neighbourhood().pk,
        "category": factories.category().pk,
        "description": "Verzuimt al weken en is gezien met oudere jongens.",
        "last_name_prefix": "",
    }
    response = client.post(reverse("casebook:signal-register"), data)
    assert response.status_code == 302  # registered; the procesregisseur links it
    assert Youth.objects.filter(last_name="Verhoeven").count() == 2


# --- Adding a group member ----------------------------------------------------------------------


@pytest.fixture
def group_partner(police):
    """A police officer whose (configured) role may run group approaches but sees no case
    beyond its organisation's: the group path must treat it as a partner."""
    role = Role.objects.create(code="groepsregie_politie", name="Groepsregie politie")
    role.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="casebook",
            codename__in=["register_signal", "run_group_approach"],
        )
    )
    user = factories.user(Role.PARTNER, police, first_name="Gert", last_name="Groep")
    user.roles.add(role)
    return user


def member_form(youth, group, **extra) -> dict:
    return {
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "date_of_birth": youth.date_of_birth.isoformat(),
        "neighbourhood": factories.neighbourhood().pk,
        "role": GroupRole.objects.get(code="kern").pk,
        "tier": "yellow",
        "reason": "Gezien bij de groep",
        "version": factories.version(group),
    } | extra


def test_a_partner_adding_a_group_member_learns_only_that_a_match_may_exist(
    client, director, school_worker, group_partner, stranger
):
    group = factories.youth_group(director, "Groep Pottenberg")
    client.force_login(group_partner)
    url = reverse("groups:action", args=[group.pk, "lid"])
    asked = client.post(url, member_form(stranger, group))
    html = asked.content.decode()
    assert asked.status_code == 200
    assert GENERIC in html and "Is dit een van deze jongeren?" not in html
    html = re.sub(r"<option[^>]*>[^<]*</option>", "", html)  # every buurt is a choice
    for trace in traces_of(stranger)[1:]:  # the typed surname is echoed in its own field
        assert trace not in html, trace
    assert not group.members.filter(youth__last_name="Verhoeven").exists()
    assert AuditEvent.objects.get(actor=group_partner).after["controle"] == "groepslid"

    # Choosing the stranger by her id (as if shown) is refused; adding as typed works.
    client.post(url, member_form(stranger, group, youth_choice=stranger.pk))
    assert not group.members.filter(youth=stranger).exists()
    client.post(url, member_form(stranger, group, youth_choice="new"))
    added = group.members.get(youth__last_name="Verhoeven")
    assert added.youth != stranger


def test_a_partner_cannot_add_a_member_by_the_number_of_a_case_it_does_not_see(
    client, director, group_partner, stranger
):
    group = factories.youth_group(director, "Groep Caberg")
    client.force_login(group_partner)
    url = reverse("groups:action", args=[group.pk, "lid"])
    data = member_form(stranger, group, existing_case=stranger.cases.get().reference)
    for field in ("first_name", "last_name", "date_of_birth"):
        data[field] = ""
    client.post(url, data)
    assert not group.members.filter(youth=stranger).exists()


def test_zvh_staff_adding_a_group_member_still_choose_among_the_candidates(
    client, director, stranger
):
    group = factories.youth_group(director, "Groep Malberg")
    client.force_login(director)
    url = reverse("groups:action", args=[group.pk, "lid"])
    html = client.post(url, member_form(stranger, group)).content.decode()
    assert "Is dit een van deze jongeren?" in html and "Mariaberg-Noord" in html


def test_the_group_member_check_is_rate_limited_too(
    client, settings, director, group_partner, stranger
):
    settings.IJAM_DUPLICATE_CHECK_RATE = (1, 600)
    group = factories.youth_group(director, "Groep Heer")
    client.force_login(group_partner)
    url = reverse("groups:action", args=[group.pk, "lid"])
    assert client.post(url, member_form(stranger, group)).status_code == 200
    refused = client.post(url, member_form(stranger, group, youth_choice="new"))
    assert refused.status_code == 429
    assert "te vaak" in refused.content.decode()
    assert not group.members.filter(youth__last_name="Verhoeven").exists()


def test_the_audit_detail_is_plain_json(client, school_worker, stranger):
    client.force_login(school_worker)
    client.get(reverse(URL), query(stranger))
    event = AuditEvent.objects.get(actor=school_worker)
    assert json.loads(canonical_json(event.after))["kandidaten"] == 1
