# SPDX-License-Identifier: AGPL-3.0-or-later
"""Moving a case on the IJAM ladder: screening, escalation, de-escalation and closure.

Every public function here is the only way to make its move, and guarantees the same things:

* one transaction: the case row is locked (``SELECT … FOR NO KEY UPDATE``, ``casebook.locks``);
  if the case changed since the user loaded it (``expected_version``), a ``ConflictError`` is
  raised and nothing is written;
* the actor must hold the transition permission through a role, and give a written reason;
* moves onto a level need that level's criteria checklist to be met (configuration);
* the transition itself is checked by the state machine in ``workflows.ladder.machine``;
* one audit event records who, when, from where to where, why and which criteria, and the
  reporters of the case's open signals get their feedback and a notification, on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import for_update
from casebook.models import AuditAction, Case, ClosureReason, LevelCriterion, User
from casebook.permissions import TRANSITION_CASE
from casebook.services.access import involvements_end_for_case
from casebook.services.audit import audit_record
from casebook.services.signals import signals_settle_for_case
from workflows.ladder.level_flows import level_flow_enter, settle_screening
from workflows.ladder.machine import CLOSED, CaseState, allowed_targets
from workflows.tasks.services import tasks_cancel_open

LEVEL_LABELS = dict(CaseState.choices)


@dataclass(frozen=True)
class CriteriaResult:
    met: bool
    checked: list[LevelCriterion]
    missing: list[str]  # Dutch descriptions of what is not met


def evaluate_criteria(level: str, checked_codes: Iterable[str]) -> CriteriaResult:
    """Apply a level's checklist: ungrouped criteria all, grouped ones at least one per group."""
    criteria = list(LevelCriterion.objects.filter(level=level, is_active=True))
    codes = set(checked_codes)
    unknown = codes - {c.code for c in criteria}
    if unknown:
        raise ValidationFailed("Er zijn onbekende criteria aangevinkt.")
    missing: list[str] = []
    groups: dict[str, list[LevelCriterion]] = {}
    for criterion in criteria:
        if criterion.any_of_group:
            groups.setdefault(criterion.any_of_group, []).append(criterion)
        elif criterion.code not in codes:
            missing.append(criterion.text)
    for members in groups.values():
        if not any(c.code in codes for c in members):
            missing.append("minstens één van: " + " / ".join(c.text for c in members))
    checked = [c for c in criteria if c.code in codes]
    return CriteriaResult(met=not missing, checked=checked, missing=missing)


def _lock(case: Case, actor: User, expected_version: int | None) -> Case:
    if not actor.has_perm(TRANSITION_CASE):
        raise NotAllowed("Alleen de procesregisseur mag het niveau van een casus wijzigen.")
    locked = (
        for_update(Case)
        .select_related("youth", "coordinator_organisation", "closure_reason")
        .get(pk=case.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            "Deze casus is intussen door iemand anders gewijzigd. Bekijk de nieuwe stand en "
            "probeer het zo nodig opnieuw."
        )
    return locked


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "Geef een onderbouwing voor dit besluit.",
            field_errors={"reason": ["Geef een onderbouwing voor dit besluit."]},
        )
    return reason


def _refuse(case: Case, move: str) -> TransitionRefused:
    if case.level == CLOSED:
        return TransitionRefused(
            "Deze casus is afgesloten en kan niet meer worden gewijzigd. Meld een nieuw signaal "
            "om een vervolgcasus te openen."
        )
    return TransitionRefused(f"{move} is niet mogelijk vanaf niveau '{LEVEL_LABELS[case.level]}'.")


def _move_to_level(
    *,
    case: Case,
    actor: User,
    transition_name: str,
    move_label: str,
    target_level: str,
    reason: str,
    criteria: Iterable[str],
    expected_version: int | None,
) -> Case:
    reason = _require_reason(reason)
    with transaction.atomic():
        case = _lock(case, actor, expected_version)
        method = getattr(case, transition_name)
        if not can_proceed(method) or target_level not in allowed_targets(
            transition_name, case.level
        ):
            if case.level == CLOSED or not can_proceed(method):
                raise _refuse(case, move_label)
            raise TransitionRefused(
                f"{move_label} van '{LEVEL_LABELS[case.level]}' naar "
                f"'{LEVEL_LABELS.get(target_level, target_level)}' is niet mogelijk."
            )
        result = evaluate_criteria(target_level, criteria)
        if not result.met:
            message = (
                f"De casus voldoet niet aan de criteria voor "
                f"'{LEVEL_LABELS[target_level]}': " + "; ".join(result.missing)
            )
            raise ValidationFailed(message, field_errors={"criteria": [message]})
        before = _snapshot(case)
        try:
            method(target_level)
        except TransitionNotAllowed as exc:
            raise _refuse(case, move_label) from exc
        _save(case)
        after = _snapshot(case) | {"criteria": [c.text for c in result.checked]}
        audit_record(
            actor=actor,
            action=f"case.{transition_name}",
            obj=case,
            case=case,
            youth=case.youth,
            reason=reason,
            before=before,
            after=after,
        )
        level_flow_enter(case=case, actor=actor, level=target_level)
        if transition_name == "screen_in":
            settle_screening(
                case=case,
                actor=actor,
                result=f"Gescreend: ingestroomd bij {LEVEL_LABELS[target_level]}.",
            )
            signals_settle_for_case(
                case=case,
                actor=actor,
                take_up=True,
                feedback=f"Opgepakt: de casus is ingestroomd bij {LEVEL_LABELS[target_level]}.",
            )
    return case


def case_screen_in(*, case, actor, target_level, reason, criteria=(), expected_version=None):
    """Screening decides the case belongs on a table: it enters at ``target_level``."""
    return _move_to_level(
        case=case,
        actor=actor,
        transition_name="screen_in",
        move_label="Instromen",
        target_level=target_level,
        reason=reason,
        criteria=criteria,
        expected_version=expected_version,
    )


def case_escalate(*, case, actor, target_level, reason, criteria=(), expected_version=None):
    """Move the case up one or more levels (opschalen)."""
    return _move_to_level(
        case=case,
        actor=actor,
        transition_name="escalate",
        move_label="Opschalen",
        target_level=target_level,
        reason=reason,
        criteria=criteria,
        expected_version=expected_version,
    )


def case_deescalate(*, case, actor, target_level, reason, criteria=(), expected_version=None):
    """Move the case down one or more levels (afschalen)."""
    return _move_to_level(
        case=case,
        actor=actor,
        transition_name="deescalate",
        move_label="Afschalen",
        target_level=target_level,
        reason=reason,
        criteria=criteria,
        expected_version=expected_version,
    )


def case_close(
    *,
    case: Case,
    actor: User,
    closure_reason: ClosureReason | None,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """Close the case: from a level with any closure reason, or straight after screening
    (not in scope) with a reason allowed for screening. Open signals are settled with it."""
    reason = _require_reason(reason)
    if closure_reason is None or not closure_reason.is_active:
        raise ValidationFailed(
            "Kies een reden van afsluiten.",
            field_errors={"closure_reason": ["Kies een reden van afsluiten."]},
        )
    with transaction.atomic():
        case = _lock(case, actor, expected_version)
        from_screening = case.level == CaseState.AWAITING_SCREENING
        method = case.screen_out if from_screening else case.close
        if not can_proceed(method):
            raise _refuse(case, "Afsluiten")
        if from_screening and not closure_reason.allowed_from_screening:
            message = (
                f"'{closure_reason.name}' past niet bij een casus die na screening niet wordt "
                "opgepakt."
            )
            raise ValidationFailed(message, field_errors={"closure_reason": [message]})
        before = _snapshot(case)
        method()
        case.closure_reason = closure_reason
        case.closed_at = timezone.now()
        _save(case, extra=["closure_reason", "closed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CASE_SCREEN_OUT if from_screening else "case.close",
            obj=case,
            case=case,
            youth=case.youth,
            reason=reason,
            before=before,
            after=_snapshot(case),
        )
        if from_screening:
            settle_screening(
                case=case,
                actor=actor,
                result=f"Gescreend: niet opgepakt ({closure_reason.name}).",
            )
        tasks_cancel_open(case=case, reason=f"Casus afgesloten: {closure_reason.name}.")
        involvements_end_for_case(case=case, actor=actor)
        signals_settle_for_case(
            case=case,
            actor=actor,
            take_up=not from_screening,
            feedback=(
                f"Niet opgepakt na screening: {closure_reason.name}."
                if from_screening
                else f"De casus is afgesloten: {closure_reason.name}."
            ),
        )
    return case


def _save(case: Case, extra: list[str] | None = None) -> None:
    case.version += 1
    case.level_changed_at = timezone.now()
    case.save(update_fields=["level", "version", "level_changed_at", *(extra or [])])


def _snapshot(case: Case) -> dict:
    return {
        "niveau": case.level,
        "niveau_naam": LEVEL_LABELS[case.level],
        "reden_afsluiten": case.closure_reason.name if case.closure_reason_id else None,
    }
