# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two people acting on one case: one wins, the other is told, nothing is half-written."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from casebook.errors import ConflictError, IjamError
from casebook.models import AuditEvent, Case
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import JONGE_AANWAS, NETWERKOVERLEG, PGA


@pytest.mark.django_db
def test_a_decision_based_on_a_stale_page_is_refused(case_awaiting, director):
    seen_version = case_awaiting.version
    ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="eerste",
        criteria=factories.criteria_for(NETWERKOVERLEG),
        expected_version=seen_version,
    )
    events_before = AuditEvent.objects.count()

    with pytest.raises(ConflictError) as excinfo:
        ladder.case_close(
            case=case_awaiting,
            actor=director,
            closure_reason=factories.closure_reason(),
            reason="tweede",
            expected_version=seen_version,
        )

    assert "intussen door iemand anders gewijzigd" in excinfo.value.message
    case = Case.objects.get(pk=case_awaiting.pk)
    assert case.level == NETWERKOVERLEG
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_escalations_one_succeeds_one_conflicts(case_awaiting, director):
    case = ladder.case_screen_in(
        case=case_awaiting,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    version = case.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(target):
        try:
            barrier.wait()
            ladder.case_escalate(
                case=case,
                actor=director,
                target_level=target,
                reason=f"naar {target}",
                criteria=factories.criteria_for(target),
                expected_version=version,
            )
            outcomes.append("ok")
        except IjamError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(t,)) for t in (JONGE_AANWAS, PGA)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ConflictError", "ok"]
    case.refresh_from_db()
    assert case.level in (JONGE_AANWAS, PGA)
    assert case.version == version + 1
    assert AuditEvent.objects.filter(case=case, action="case.escalate").count() == 1
