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

Screening can also find that a new case is a second registration of a known youth:
``case_link_duplicate`` moves its signals to that youth and closes it (ADR 0012).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update, lock_in_order
from casebook.models import (
    AuditAction,
    Case,
    CaseInvolvement,
    ClosureReason,
    FamilyLink,
    GroupMember,
    LevelCriterion,
    ProcessingActivity,
    Signal,
    User,
    Youth,
)
from casebook.permissions import TRANSITION_CASE
from casebook.policy import live_involvements
from casebook.selectors.cases import open_case_of
from casebook.selectors.people import task_workers
from casebook.services.access import involvements_end_for_case
from casebook.services.audit import audit_record
from casebook.services.involvement import involve
from casebook.services.signals import case_open, signals_settle_for_case
from notifications.models import NotificationKind
from notifications.services import notify
from workflows.ladder.level_flows import level_flow_enter, settle_screening
from workflows.ladder.machine import CLOSED, CaseState, allowed_targets
from workflows.tasks.models import TaskTypeCode
from workflows.tasks.services import (
    open_tasks_for_update,
    task_cancel_by_system,
    task_complete_by_system,
    tasks_cancel_open,
)

LEVEL_LABELS = dict(CaseState.choices)
MOVED = {"escalate": "opgeschaald", "deescalate": "afgeschaald"}


def _tell_involved(case: Case, actor: User, message: str) -> None:
    """The task workers of the organisations involved in the case hear that it moved (in
    IJAM; the e-mail says only that there is news). Called before a closure ends the
    involvements, so the organisations of the last table hear of the closure too."""
    organisations = (
        live_involvements()
        .filter(case=case)
        .exclude(organisation=case.coordinator_organisation)
        .values_list("organisation_id", flat=True)
    )
    recipients = [u for u in task_workers().filter(organisation_id__in=organisations) if u != actor]
    notify(
        kind=NotificationKind.CASE,
        recipients=recipients,
        message=message,
        url=reverse("casebook:case-detail", args=[case.pk]),
        youth_id=case.youth_id,
        activity=ProcessingActivity.Code.CASE_COORDINATION,
    )


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
        if transition_name != "screen_in":
            _tell_involved(
                case,
                actor,
                f"Casus {case.reference} is {MOVED[transition_name]} naar "
                f"{LEVEL_LABELS[target_level]}",
            )
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
        if not from_screening:
            _tell_involved(case, actor, f"Casus {case.reference} is afgesloten")
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


#: What the reporter reads at "Mijn signalen" once its signal is linked to the known youth.
LINKED_FEEDBACK = (
    "Uw signaal is gekoppeld aan een jongere die al bekend is bij IJAM en wordt in die casus "
    "beoordeeld."
)


def case_link_duplicate(
    *,
    case: Case,
    actor: User,
    youth: Youth,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """Screening finds that ``case`` (awaiting screening) is about a youth already known as
    ``youth``: link it there (ADR 0012). Returns the case the signals are now in.

    In one transaction: both youths are locked, then both cases (id order), then the duplicate
    case's open tasks and its signals (ADR 0010); the duplicate case must still be as the
    procesregisseur saw it (``expected_version``). Every signal of the duplicate case moves to
    ``youth``'s open case (a new one awaiting screening is opened when it has none), keeping
    its status, with feedback and a notification for its reporter, whose organisation becomes
    involved there. The duplicate case's screening task is completed with the link as result,
    any other open work on it cancelled, and the case closed as "Dubbele registratie". The
    duplicate youth record, when nothing else refers to it (no other case, group membership or
    family link), is marked as merged into ``youth``: it stays for the audit trail but is never
    offered as a match again. Every step is audited.
    """
    reason = _require_reason(reason)
    if not actor.has_perm(TRANSITION_CASE):
        raise NotAllowed("Alleen de procesregisseur koppelt een signaal aan een bekende jongere.")
    closure_reason = ClosureReason.objects.filter(code=ClosureReason.DUPLICATE_REGISTRATION).first()
    if closure_reason is None:
        raise ValidationFailed("De reden van afsluiten 'Dubbele registratie' is niet ingericht.")
    if youth.pk == case.youth_id:
        raise ValidationFailed("Kies een andere jongere dan die van deze casus.")
    with transaction.atomic():
        youths = lock_in_order(Youth, [case.youth_id, youth.pk])
        known = youths.get(youth.pk)
        if known is None or known.merged_into_id is not None:
            raise ValidationFailed("Deze jongere kan niet worden gekozen.")
        target = open_case_of(known)
        cases = lock_in_order(Case, [case.pk] + ([target.pk] if target else []))
        case = cases[case.pk]
        check_version(case, expected_version, "Deze casus")
        if case.level != CaseState.AWAITING_SCREENING:
            raise TransitionRefused(
                "Alleen een casus die op screening wacht, kan aan een bekende jongere worden "
                "gekoppeld."
            )
        # No open case: one is opened, awaiting its own screening (with its screening task).
        target = case_open(youth=known, actor=actor) if target is None else cases[target.pk]
        duplicate_youth = youths[case.youth_id]
        open_tasks = list(open_tasks_for_update(case=case))
        moved = _move_signals(case=case, target=target, youth=known, actor=actor, reason=reason)
        result = f"Dubbele registratie: gekoppeld aan {known.full_name}, casus {target.reference}."
        for task in open_tasks:
            if task.task_type.code == TaskTypeCode.SCREENING:
                task_complete_by_system(task=task, actor=actor, result=result)
            else:
                task_cancel_by_system(task=task, reason=f"Casus afgesloten: {closure_reason.name}.")
        before = _snapshot(case)
        case.screen_out()
        case.closure_reason = closure_reason
        case.closed_at = timezone.now()
        _save(case, extra=["closure_reason", "closed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CASE_SCREEN_OUT,
            obj=case,
            case=case,
            youth=duplicate_youth,
            reason=reason,
            before=before,
            after=_snapshot(case) | {"gekoppeld_aan": target.reference},
        )
        audit_record(
            actor=actor,
            action=AuditAction.CASE_DUPLICATE_LINKED,
            obj=target,
            case=target,
            youth=known,
            reason=reason,
            after={"dubbele_casus": case.reference, "signalen": moved},
        )
        # The duplicate is closed: who was involved in it sees it only for the grace period
        # (the reporter is involved in the known youth's case now).
        involvements_end_for_case(case=case, actor=actor)
        _retire_if_unused(duplicate_youth, known=known, case=case, actor=actor, reason=reason)
    return target


def _move_signals(*, case: Case, target: Case, youth: Youth, actor: User, reason: str) -> list:
    moved = []
    for signal in for_update(Signal).filter(case=case).select_related("reporter_organisation"):
        signal.youth, signal.case, signal.feedback = youth, target, LINKED_FEEDBACK
        bump(signal, "youth", "case", "feedback")
        involve(
            case=target,
            organisation=signal.reporter_organisation,
            reason=CaseInvolvement.Reason.REPORTER,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.SIGNAL_LINKED,
            obj=signal,
            case=target,
            youth=youth,
            signal=signal,
            reason=reason,
            before={"casus": case.reference},
            after={"casus": target.reference, "terugkoppeling": signal.feedback},
        )
        notify(
            kind=NotificationKind.SIGNAL_STATUS,
            recipients=[signal.reporter],
            message=f"Uw signaal {signal.pk} is gekoppeld aan een bekende jongere",
            url=reverse("casebook:my-signals"),
            youth_id=signal.youth_id,
            activity=ProcessingActivity.Code.SIGNAL,
        )
        moved.append(signal.pk)
    return moved


def _retire_if_unused(duplicate: Youth, *, known: Youth, case: Case, actor: User, reason: str):
    """The duplicate record is merged into the known youth when nothing else refers to it."""
    in_use = (
        Case.objects.filter(youth=duplicate).exclude(pk=case.pk).exists()
        or GroupMember.objects.filter(youth=duplicate).exists()
        or FamilyLink.objects.filter(Q(youth=duplicate) | Q(related_youth=duplicate)).exists()
    )
    if in_use:
        return
    duplicate.merged_into = known
    duplicate.save(update_fields=["merged_into"])
    audit_record(
        actor=actor,
        action=AuditAction.YOUTH_MERGED,
        obj=duplicate,
        case=case,
        youth=duplicate,
        reason=reason,
        after={"samengevoegd_met": known.pk},
    )


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
