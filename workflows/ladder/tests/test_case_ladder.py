# SPDX-License-Identifier: AGPL-3.0-or-later
"""Moving cases on the ladder: what is allowed, what is refused, and what is recorded."""

from __future__ import annotations

import pytest

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import AuditEvent, Case, LevelCriterion
from casebook.models.signals import SignalStatus
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import CLOSED, JONGE_AANWAS, NETWERKOVERLEG, PGA

pytestmark = pytest.mark.django_db


def screen_in(case, actor, level=NETWERKOVERLEG, **kwargs):
    return ladder.case_screen_in(
        case=case,
        actor=actor,
        target_level=level,
        reason=kwargs.pop("reason", "Meerdere signalen over overlast in de buurt"),
        criteria=kwargs.pop("criteria", factories.criteria_for(level)),
        **kwargs,
    )


def test_screening_puts_case_on_the_chosen_level_and_takes_up_its_signals(case_awaiting, director):
    case = screen_in(case_awaiting, director, JONGE_AANWAS)

    case.refresh_from_db()
    assert case.level == JONGE_AANWAS
    assert case.version == 2
    signal = case.signals.get()
    assert signal.status == SignalStatus.TAKEN_UP
    assert "Overleg Jonge Aanwas" in signal.feedback
    event = AuditEvent.objects.filter(case=case, action="case.screen_in").get()
    assert event.actor == director
    assert event.before["niveau"] == "awaiting_screening"
    assert event.after["niveau"] == JONGE_AANWAS
    assert event.reason == "Meerdere signalen over overlast in de buurt"
    assert event.after["criteria"], "the checked criteria are recorded"


@pytest.mark.parametrize(
    ("start", "target"),
    [(NETWERKOVERLEG, JONGE_AANWAS), (NETWERKOVERLEG, PGA), (JONGE_AANWAS, PGA)],
)
def test_escalation_by_one_or_more_levels(case_awaiting, director, start, target):
    case = screen_in(case_awaiting, director, start)
    case = ladder.case_escalate(
        case=case,
        actor=director,
        target_level=target,
        reason="Zorgen nemen toe",
        criteria=factories.criteria_for(target),
    )
    case.refresh_from_db()
    assert case.level == target
    assert AuditEvent.objects.filter(case=case, action="case.escalate").count() == 1


@pytest.mark.parametrize(
    ("start", "target"),
    [(PGA, JONGE_AANWAS), (PGA, NETWERKOVERLEG), (JONGE_AANWAS, NETWERKOVERLEG)],
)
def test_deescalation_by_one_or_more_levels(case_awaiting, director, start, target):
    case = screen_in(case_awaiting, director, start)
    case = ladder.case_deescalate(
        case=case,
        actor=director,
        target_level=target,
        reason="Het gaat beter",
        criteria=factories.criteria_for(target),
    )
    case.refresh_from_db()
    assert case.level == target


@pytest.mark.parametrize(
    ("start", "service", "target"),
    [
        (NETWERKOVERLEG, ladder.case_deescalate, NETWERKOVERLEG),
        (PGA, ladder.case_escalate, PGA),
        (JONGE_AANWAS, ladder.case_escalate, NETWERKOVERLEG),
        (NETWERKOVERLEG, ladder.case_escalate, NETWERKOVERLEG),
        (JONGE_AANWAS, ladder.case_deescalate, PGA),
    ],
)
def test_moves_in_the_wrong_direction_are_refused(case_awaiting, director, start, service, target):
    case = screen_in(case_awaiting, director, start)
    with pytest.raises(TransitionRefused):
        service(
            case=case,
            actor=director,
            target_level=target,
            reason="x",
            criteria=factories.criteria_for(target),
        )
    case.refresh_from_db()
    assert case.level == start


def test_a_case_awaiting_screening_cannot_be_escalated(case_awaiting, director):
    with pytest.raises(TransitionRefused):
        ladder.case_escalate(
            case=case_awaiting,
            actor=director,
            target_level=PGA,
            reason="x",
            criteria=factories.criteria_for(PGA),
        )


def test_every_move_needs_a_written_reason(case_awaiting, director):
    with pytest.raises(ValidationFailed) as excinfo:
        screen_in(case_awaiting, director, reason="   ")
    assert "onderbouwing" in excinfo.value.message
    case_awaiting.refresh_from_db()
    assert case_awaiting.level == "awaiting_screening"
    assert not AuditEvent.objects.filter(case=case_awaiting, action="case.screen_in").exists()


def test_only_the_process_director_role_may_move_a_case(case_awaiting, police_officer, support):
    for actor in (police_officer, support):
        with pytest.raises(NotAllowed):
            screen_in(case_awaiting, actor)
    case_awaiting.refresh_from_db()
    assert case_awaiting.level == "awaiting_screening"


def test_pga_needs_its_criteria_with_the_either_or_group(case_awaiting, director):
    criteria = list(LevelCriterion.objects.filter(level=PGA, is_active=True))
    required = [c.code for c in criteria if not c.any_of_group]
    grouped = [c.code for c in criteria if c.any_of_group]
    assert required and len(grouped) >= 2, "PGA is seeded with the national ZVH criteria"

    with pytest.raises(ValidationFailed) as excinfo:
        screen_in(case_awaiting, director, PGA, criteria=required)
    assert "minstens één van" in excinfo.value.message

    with pytest.raises(ValidationFailed):
        screen_in(case_awaiting, director, PGA, criteria=required[1:] + grouped[:1])

    case = screen_in(case_awaiting, director, PGA, criteria=required + grouped[1:2])
    assert case.level == PGA


def test_closing_needs_a_closure_reason_and_records_it(case_awaiting, director):
    case = screen_in(case_awaiting, director)
    with pytest.raises(ValidationFailed):
        ladder.case_close(case=case, actor=director, closure_reason=None, reason="Klaar")
    reason = factories.closure_reason(name="Doel bereikt")
    case = ladder.case_close(case=case, actor=director, closure_reason=reason, reason="Klaar")
    case.refresh_from_db()
    assert case.level == CLOSED
    assert case.closure_reason == reason
    assert case.closed_at is not None


def test_screening_out_needs_a_reason_meant_for_screening(case_awaiting, director):
    goal_reached = factories.closure_reason(name="Doel bereikt")
    with pytest.raises(ValidationFailed):
        ladder.case_close(
            case=case_awaiting, actor=director, closure_reason=goal_reached, reason="x"
        )
    not_in_scope = factories.closure_reason(from_screening=True, name="Niet in doelgroep")
    case = ladder.case_close(
        case=case_awaiting, actor=director, closure_reason=not_in_scope, reason="Geen grond"
    )
    assert case.level == CLOSED
    signal = case.signals.get()
    assert signal.status == SignalStatus.NOT_TAKEN_UP
    assert "Niet in doelgroep" in signal.feedback


@pytest.mark.parametrize(
    "service", [ladder.case_escalate, ladder.case_deescalate, ladder.case_screen_in]
)
def test_a_closed_case_is_never_reopened(case_awaiting, director, service):
    case = screen_in(case_awaiting, director, JONGE_AANWAS)
    ladder.case_close(
        case=case, actor=director, closure_reason=factories.closure_reason(), reason="Klaar"
    )
    with pytest.raises(TransitionRefused) as excinfo:
        service(
            case=case,
            actor=director,
            target_level=PGA,
            reason="Opnieuw",
            criteria=factories.criteria_for(PGA),
        )
    assert "afgesloten" in excinfo.value.message
    with pytest.raises(TransitionRefused):
        ladder.case_close(
            case=case, actor=director, closure_reason=factories.closure_reason(), reason="x"
        )
    assert Case.objects.get(pk=case.pk).level == CLOSED


def test_the_level_field_cannot_be_set_directly(case_awaiting):
    with pytest.raises(AttributeError):
        case_awaiting.level = PGA


def test_every_escalation_goes_up_and_every_de_escalation_goes_down():
    """The transition table itself, whatever the diagram says: an escalation reaches only
    higher levels, a de-escalation only lower ones (never the level the case is on)."""
    from workflows.ladder.machine import LADDER_LEVELS, allowed_targets

    rank = {level: i for i, level in enumerate(LADDER_LEVELS)}
    for level in LADDER_LEVELS:
        assert all(rank[t] > rank[level] for t in allowed_targets("escalate", level)), level
        assert all(rank[t] < rank[level] for t in allowed_targets("deescalate", level)), level
    assert allowed_targets("escalate", JONGE_AANWAS) == (PGA,)
    assert allowed_targets("deescalate", JONGE_AANWAS) == (NETWERKOVERLEG,)


@pytest.mark.parametrize(
    ("start", "service"),
    [(JONGE_AANWAS, ladder.case_escalate), (JONGE_AANWAS, ladder.case_deescalate)],
)
def test_a_move_onto_the_level_the_case_is_on_is_refused(case_awaiting, director, start, service):
    case = screen_in(case_awaiting, director, start)
    with pytest.raises(TransitionRefused):
        service(
            case=case,
            actor=director,
            target_level=start,
            reason="x",
            criteria=factories.criteria_for(start),
        )
    case.refresh_from_db()
    assert case.level == start and case.version == 2
