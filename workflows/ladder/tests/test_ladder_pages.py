# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ladder's rules seen from the case page as well as from the services: criteria that are
only partly met, and who may move a case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casebook.models import AuditEvent, Case, LevelCriterion
from tests import factories
from workflows.ladder.machine import AWAITING, PGA

pytestmark = pytest.mark.django_db


def _screen_in_post(client, case, criteria):
    return client.post(
        reverse("casebook:case-transition", args=[case.pk, "instromen"]),
        {
            "target_level": PGA,
            "criteria": [f"{PGA}:{code}" for code in criteria],
            "reason": "Complex",
            "version": case.version,
        },
    )


def test_criteria_only_partly_met_are_refused_on_the_page(client, director, case_awaiting):
    criteria = list(LevelCriterion.objects.filter(level=PGA, is_active=True))
    required = [c.code for c in criteria if not c.any_of_group]
    client.force_login(director)
    response = _screen_in_post(client, case_awaiting, required[:-1])
    assert response.status_code == 400
    assert "voldoet niet aan de criteria" in response.content.decode()
    case = Case.objects.get(pk=case_awaiting.pk)
    assert case.level == AWAITING and case.version == case_awaiting.version
    assert not AuditEvent.objects.filter(case=case, action="case.screen_in").exists()


def test_only_the_procesregisseur_moves_a_case_on_the_page(
    client, support, police_officer, case_awaiting
):
    """The procesondersteuner sees every case but may not move one (403); the reporting
    partner sees its own case but may not move it either."""
    for user in (support, police_officer):
        client.force_login(user)
        response = _screen_in_post(client, case_awaiting, factories.criteria_for(PGA))
        assert response.status_code == 403, user
    assert Case.objects.get(pk=case_awaiting.pk).level == AWAITING
