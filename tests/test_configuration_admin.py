# SPDX-License-Identifier: AGPL-3.0-or-later
"""The functioneel beheerder configures IJAM in the admin; changes are audited; no case content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casebook.models import AuditEvent, LevelCriterion, Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    org = factories.organisation("gemeente", "Gemeente (beheer)")
    return factories.user(Role.FUNCTIONAL_ADMIN, org, is_staff=True)


def test_seeded_configuration_is_editable(client, admin_user):
    client.force_login(admin_user)
    for model in [
        "levelcriterion",
        "closurereason",
        "signalcategory",
        "intervention",
        "neighbourhood",
        "grouprole",
    ]:
        response = client.get(reverse(f"admin:casebook_{model}_changelist"))
        assert response.status_code == 200, model


def test_a_criterion_change_is_audited_with_before_and_after(client, admin_user):
    criterion = LevelCriterion.objects.filter(level="pga").first()
    client.force_login(admin_user)
    url = reverse("admin:casebook_levelcriterion_change", args=[criterion.pk])
    response = client.post(
        url,
        {
            "level": "pga",
            "code": criterion.code,
            "text": "Nieuwe formulering uit het actieplan 2027",
            "any_of_group": criterion.any_of_group,
            "order": criterion.order,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.changed", object_id=str(criterion.pk))
    assert event.actor == admin_user
    assert event.before["text"] == criterion.text
    assert event.after["text"] == "Nieuwe formulering uit het actieplan 2027"


def test_admin_has_no_case_content(client, admin_user, case_awaiting):
    client.force_login(admin_user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Casussen" not in index and "Jongeren" not in index and "Signalen" not in index
    assert client.get(f"/beheer/casebook/case/{case_awaiting.pk}/change/").status_code == 404
    assert client.get(reverse("casebook:case-detail", args=[case_awaiting.pk])).status_code == 404


def test_configuration_cannot_be_deleted_only_deactivated(client, admin_user):
    criterion = LevelCriterion.objects.first()
    client.force_login(admin_user)
    url = reverse("admin:casebook_levelcriterion_delete", args=[criterion.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert LevelCriterion.objects.filter(pk=criterion.pk).exists()
