# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signal intake: a partner reports a concern; it lands on the youth's open case or a new one."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from casebook.errors import ConflictError, NotAllowed, TransitionRefused, ValidationFailed
from casebook.events import case_opened
from casebook.locks import bump, check_version, for_update
from casebook.models import (
    AuditAction,
    Case,
    CaseInvolvement,
    ProcessingActivity,
    Signal,
    SignalCategory,
    User,
    Youth,
)
from casebook.models.signals import SignalStatus
from casebook.permissions import REGISTER_SIGNAL, TRANSITION_CASE
from casebook.selectors.cases import open_case_of
from casebook.services.audit import audit_record
from casebook.services.involvement import coordinating_organisation, involve, process_directors
from casebook.services.youths import YouthData, youth_create
from notifications.models import NotificationKind
from notifications.services import notify
from workflows.ladder.machine import CLOSED


def signal_register(
    *,
    reporter: User,
    category: SignalCategory,
    description: str,
    youth: Youth | None = None,
    new_youth: YouthData | None = None,
    observed_on: dt.date | None = None,
) -> Signal:
    """Register a signal about an existing youth or a new one, in one transaction.

    The signal joins the youth's open case; without one, a new case awaiting screening is
    opened under ZVH procesregie, linked to the youth's last closed case. The youth row is
    locked, so two signals at once cannot open two cases. The reporter's organisation becomes
    involved in the case; the procesregisseurs are notified. Everything is audited.
    """
    if not reporter.has_perm(REGISTER_SIGNAL) or reporter.organisation_id is None:
        raise NotAllowed("U mag geen signalen melden.")
    description = description.strip()
    if not description:
        raise ValidationFailed(
            "Beschrijf het signaal.", field_errors={"description": ["Beschrijf het signaal."]}
        )
    if not category.is_active:
        raise ValidationFailed("Deze categorie is niet meer in gebruik.")
    if (youth is None) == (new_youth is None):
        raise ValidationFailed("Kies een bestaande jongere of voer een nieuwe jongere in.")
    now = timezone.now()
    if observed_on and observed_on > timezone.localdate():
        raise ValidationFailed(
            "De datum van waarneming ligt in de toekomst.",
            field_errors={"observed_on": ["De datum van waarneming ligt in de toekomst."]},
        )

    try:
        with transaction.atomic():
            if new_youth is not None:
                youth = youth_create(actor=reporter, data=new_youth)
            youth = for_update(Youth).get(pk=youth.pk)
            if youth.anonymised_at is not None:  # retention (ADR 0020): nobody any more
                raise ValidationFailed(
                    "Deze jongere is na de bewaartermijn geanonimiseerd. Meld het signaal als "
                    "een nieuwe jongere."
                )
            case = open_case_of(youth)
            opened = case is None
            if opened:
                case = case_open(youth=youth, actor=reporter, now=now)
            involve(
                case=case,
                organisation=reporter.organisation,
                reason=CaseInvolvement.Reason.REPORTER,
                actor=reporter,
            )
            signal = Signal.objects.create(
                youth=youth,
                case=case,
                category=category,
                description=description,
                observed_on=observed_on,
                reporter=reporter,
                reporter_organisation=reporter.organisation,
                received_at=now,
                status_changed_at=now,
            )
            audit_record(
                actor=reporter,
                action=AuditAction.SIGNAL_REGISTERED,
                obj=signal,
                case=case,
                youth=youth,
                signal=signal,
                after={
                    "categorie": category.name,
                    "omschrijving": description,
                    "datum_waarneming": observed_on,
                    "casus": case.reference,
                },
            )
            notify(
                kind=NotificationKind.SIGNAL,
                recipients=process_directors(case.coordinator_organisation),
                message=(
                    f"Nieuw signaal ({category.name}) bij {'nieuwe ' if opened else ''}"
                    f"casus {case.reference}"
                ),
                url=reverse("casebook:case-detail", args=[case.pk]),
                youth_id=case.youth_id,
                activity=ProcessingActivity.Code.SIGNAL,
            )
    except IntegrityError as exc:  # the one-open-case index caught a race the lock did not
        raise ConflictError(
            "Er is tegelijk een andere casus geopend. Probeer het opnieuw."
        ) from exc
    return signal


def case_open(*, youth: Youth, actor: User, now=None) -> Case:
    """Open a new case awaiting screening for ``youth`` (locked by the caller, without an open
    case), under ZVH procesregie and linked to the youth's last closed case. Audited; the
    ladder opens the screening task (``casebook.events.case_opened``). Runs inside the
    caller's transaction."""
    now = now or timezone.now()
    case = _case_open(youth=youth, actor=actor, now=now)
    # The ladder opens the screening task (workflows.ladder.wiring).
    case_opened.send(sender=Case, case=case, actor=actor)
    return case


def _case_open(*, youth: Youth, actor: User, now) -> Case:
    predecessor = Case.objects.filter(youth=youth, level=CLOSED).order_by("-closed_at").first()
    case = Case.objects.create(
        youth=youth,
        coordinator_organisation=coordinating_organisation(),
        opened_at=now,
        level_changed_at=now,
        predecessor=predecessor,
    )
    involve(
        case=case,
        organisation=case.coordinator_organisation,
        reason=CaseInvolvement.Reason.COORDINATOR,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_OPENED,
        obj=case,
        case=case,
        youth=youth,
        after={
            "niveau": case.get_level_display(),
            "casusregie": case.coordinator_organisation.name,
            "voorgaande_casus": predecessor.reference if predecessor else None,
        },
    )
    return case


# --- Screening of individual signals ------------------------------------------------------------


def _locked_signal(signal: Signal, actor: User, expected_version: int | None) -> Signal:
    if not actor.has_perm(TRANSITION_CASE):
        raise NotAllowed("Alleen de procesregisseur beoordeelt signalen.")
    signal = for_update(Signal).select_related("case", "youth").get(pk=signal.pk)
    check_version(signal, expected_version, "Dit signaal")
    return signal


def signal_start_screening(
    *, signal: Signal, actor: User, expected_version: int | None = None
) -> Signal:
    """Mark a received signal as being screened, so the reporter sees it is picked up."""
    with transaction.atomic():
        signal = _locked_signal(signal, actor, expected_version)
        if signal.status != SignalStatus.RECEIVED:
            raise TransitionRefused("Dit signaal is al in behandeling genomen.")
        _set_status(signal, actor, signal.start_screening, feedback="", reason="")
    return signal


def signal_decide(
    *,
    signal: Signal,
    actor: User,
    take_up: bool,
    feedback: str,
    expected_version: int | None = None,
) -> Signal:
    """Take up or decline one signal, with feedback the reporter will read."""
    feedback = feedback.strip()
    if not feedback:
        raise ValidationFailed(
            "Schrijf een terugkoppeling voor de melder.",
            field_errors={"feedback": ["Schrijf een terugkoppeling voor de melder."]},
        )
    with transaction.atomic():
        signal = _locked_signal(signal, actor, expected_version)
        if signal.status not in (SignalStatus.RECEIVED, SignalStatus.IN_SCREENING):
            raise TransitionRefused("Over dit signaal is al besloten.")
        move = signal.take_up if take_up else signal.decline
        _set_status(signal, actor, move, feedback=feedback, reason=feedback)
    return signal


def signals_settle_for_case(*, case: Case, actor: User, take_up: bool, feedback: str) -> int:
    """Settle every open signal of ``case`` at once (after screening in or out). Returns count."""
    count = 0
    for signal in (
        for_update(Signal)
        .select_related("youth", "case")
        .filter(case=case, status__in=[SignalStatus.RECEIVED, SignalStatus.IN_SCREENING])
        .order_by("pk")
    ):
        move = signal.take_up if take_up else signal.decline
        _set_status(signal, actor, move, feedback=feedback, reason=feedback)
        count += 1
    return count


def _set_status(signal: Signal, actor: User, move, *, feedback: str, reason: str) -> None:
    before = {"status": signal.get_status_display()}
    move()
    signal.feedback = feedback or signal.feedback
    signal.status_changed_at = timezone.now()
    bump(signal, "status", "feedback", "status_changed_at")
    audit_record(
        actor=actor,
        action=f"signal.{signal.status}",
        obj=signal,
        case=signal.case,
        youth=signal.youth,
        signal=signal,
        reason=reason,
        before=before,
        after={"status": signal.get_status_display(), "terugkoppeling": signal.feedback},
    )
    notify(
        kind=NotificationKind.SIGNAL_STATUS,
        recipients=[signal.reporter],
        message=f"Uw signaal {signal.pk} heeft de status '{signal.get_status_display()}'",
        url=reverse("casebook:my-signals"),
        youth_id=signal.youth_id,
        activity=ProcessingActivity.Code.SIGNAL,
    )
