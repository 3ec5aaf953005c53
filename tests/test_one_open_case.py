# SPDX-License-Identifier: AGPL-3.0-or-later
"""A youth has at most one open case; a new case after closure links to its predecessor."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from casebook.models import Case, CaseInvolvement
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import NETWERKOVERLEG

pytestmark = pytest.mark.django_db


def test_a_second_signal_joins_the_open_case(case_awaiting, halt_worker):
    signal = factories.signal(halt_worker, youth=case_awaiting.youth)
    assert signal.case == case_awaiting
    assert Case.objects.filter(youth=case_awaiting.youth).count() == 1
    assert CaseInvolvement.objects.filter(
        case=case_awaiting, organisation=halt_worker.organisation
    ).exists()


def test_the_database_refuses_a_second_open_case(case_awaiting):
    with pytest.raises(IntegrityError), transaction.atomic():
        now = timezone.now()
        Case.objects.create(
            youth=case_awaiting.youth,
            coordinator_organisation=case_awaiting.coordinator_organisation,
            opened_at=now,
            level_changed_at=now,
        )


def test_after_closure_a_new_signal_opens_a_linked_successor(case_awaiting, director, halt_worker):
    ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="ok",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    ladder.case_close(
        case=case_awaiting,
        actor=director,
        closure_reason=factories.closure_reason(),
        reason="Doel bereikt",
    )

    signal = factories.signal(halt_worker, youth=case_awaiting.youth)

    assert signal.case != case_awaiting
    assert signal.case.level == "awaiting_screening"
    assert signal.case.predecessor == case_awaiting
