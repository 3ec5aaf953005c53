# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a second pair of eyes found, tried as an attacker would, and now holds: one beheerder
cannot make a procesregisseur through a helper account, cannot widen an approved grant by moving
the account or by changing what an organisation is, and a case closed as a duplicate goes out of
sight like any closed case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from casebook.models import GroupParticipant, OrganisationKind, Role, RoleGrant, User
from casebook.services.signals import signal_register
from casebook.services.youths import YouthData
from tests import factories
from tests.test_admin_four_eyes import change_url, user_form
from workflows.groups import documents
from workflows.groups.selectors import group_access_for_recipient
from workflows.groups.services.participants import group_participant_set
from workflows.ladder import services as ladder
from workflows.ladder.machine import NETWERKOVERLEG

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(db):
    return factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht (beheer)")


@pytest.fixture
def beheerder(municipality):
    return factories.user(Role.FUNCTIONAL_ADMIN, municipality, is_staff=True)


def _perm(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="casebook", codename=codename)


def test_a_role_that_manages_accounts_is_never_made_in_the_admin(client, beheerder):
    """A helper role with the user-admin permissions would let one beheerder make an account
    that asks grants he then approves himself: such permissions reach persons."""
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:casebook_role_add"),
        {
            "code": "helper",
            "name": "Helper",
            "description": "Beheert accounts",
            "permissions": [_perm("add_user").pk, _perm("change_user").pk, _perm("view_user").pk],
        },
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert not Role.objects.filter(code="helper").exists()


def test_the_beheerder_role_itself_is_granted_under_four_eyes(client, beheerder, municipality):
    colleague = factories.user(Role.STEERING_GROUP, municipality)
    client.force_login(beheerder)
    admin_role = Role.objects.get(code=Role.FUNCTIONAL_ADMIN)
    client.post(
        change_url(colleague),
        user_form(colleague, roles=[*colleague.roles.values_list("pk", flat=True), admin_role.pk]),
    )
    assert not User.objects.get(pk=colleague.pk).roles.filter(pk=admin_role.pk).exists()
    assert RoleGrant.objects.filter(user=colleague, role=admin_role, decision="pending").exists()


def test_an_approved_account_is_not_moved_to_another_organisation(
    client, beheerder, municipality, case_awaiting
):
    colleague = factories.user(Role.PARTNER, municipality)
    zvh = case_awaiting.coordinator_organisation
    client.force_login(beheerder)
    client.post(change_url(colleague), user_form(colleague, organisation=zvh.pk))
    colleague.refresh_from_db()
    assert colleague.organisation_id == municipality.pk
    client.force_login(colleague)
    page = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk]))
    assert page.status_code == 404


def test_what_an_organisation_is_stays_fixed_and_never_widens_a_group_copy(
    client, beheerder, director, youth_work
):
    group = factories.youth_group(director, "Testgroep")
    group_participant_set(
        group=group,
        actor=director,
        organisation=youth_work,
        access=GroupParticipant.Access.EXECUTING,
        expected_version=factories.version(group),
    )
    client.force_login(beheerder)
    url = reverse("admin:casebook_organisation_change", args=[youth_work.pk])
    client.post(
        url,
        {
            "name": youth_work.name,
            "short_name": youth_work.short_name,
            "kind": OrganisationKind.ZVH,
            "is_active": "on",
            "contact_email": "",
        },
    )
    youth_work.refresh_from_db()
    assert youth_work.kind == OrganisationKind.JONGERENWERK
    # Even an organisation that is marked as a ZVH gets its own, cut copy as a recipient.
    youth_work.kind = OrganisationKind.ZVH
    youth_work.save(update_fields=["kind"])
    assert not group_access_for_recipient(group, youth_work).full
    assert "Ayoub" not in documents.group_overview_html(group, youth_work)


def test_a_case_closed_as_a_duplicate_goes_out_of_sight_after_the_grace_period(
    client, director, halt_worker, police_officer
):
    known = factories.signal(police_officer).case
    ladder.case_screen_in(
        case=known,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="Past bij het netwerkoverleg",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    youth = known.youth
    again = signal_register(
        reporter=halt_worker,
        category=factories.category(),
        description="Opnieuw gemeld",
        new_youth=YouthData(
            first_name=youth.first_name,
            last_name_prefix=youth.last_name_prefix,
            last_name=youth.last_name,
            date_of_birth=youth.date_of_birth,
            neighbourhood=youth.neighbourhood,
        ),
    )
    duplicate = again.case
    ladder.case_link_duplicate(
        case=duplicate,
        actor=director,
        youth=youth,
        reason="Dezelfde jongere, dubbel geregistreerd",
        expected_version=factories.version(duplicate),
    )
    duplicate.refresh_from_db()
    assert not duplicate.involvements.filter(ended_at=None).exists()
    with time_machine.travel(duplicate.closed_at + dt.timedelta(days=31), tick=False):
        client.force_login(halt_worker)
        assert client.get(reverse("casebook:case-detail", args=[duplicate.pk])).status_code == 404
