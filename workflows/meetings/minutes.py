# SPDX-License-Identifier: AGPL-3.0-or-later
"""Minutes of a sitting, and the decisions that drive the ladder and the task engine.

The procesondersteuner records per agenda item who attended, a summary and typed decisions,
in a draft. Confirming the draft carries out every decision in one transaction (ladder moves
through the ladder services, tasks through the task engine), each audit event naming the
decision and the sitting. If one decision breaks a rule, nothing is carried out and the
draft stays as it was, with a message naming the decision. Cases not discussed move to the
next sitting's agenda. Confirmed minutes are corrected only by a new, audited version.

Locks (ADR 0010): every function locks the sitting, then the minutes (and the item it
changes), so a decision cannot slip into minutes that are being confirmed, and confirming
holds the sitting like moving it does. Confirming then locks the discussed cases in id order
before it carries out anything. Optimistic versions: each item has a ``revision`` that its
form carries; every change of an item also raises the minutes' ``revision``, which the
confirmation form carries, so nobody confirms minutes they have not seen.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from casebook.bounds import LONG_TEXT, bounded_text
from casebook.errors import (
    ConflictError,
    IjamError,
    NotAllowed,
    TransitionRefused,
    ValidationFailed,
)
from casebook.locks import bump, for_update, lock_in_order
from casebook.models import AuditAction, Case, ClosureReason, Organisation, User
from casebook.permissions import ASSIGN_TASK, RECORD_MINUTES
from casebook.services.audit import audit_record
from workflows.ladder import services as ladder
from workflows.ladder.level_flows import settle_discussion
from workflows.meetings.models import AgendaItem, Decision, Meeting, Minutes, MinutesItem
from workflows.meetings.selectors import invited_organisations
from workflows.tasks.models import TaskType
from workflows.tasks.services import NO_WORKERS, has_task_workers, task_assign


def _require(actor: User, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise NotAllowed(message)


def minutes_draft(*, meeting: Meeting, actor: User, expected_version: int | None = None) -> Minutes:
    """The draft minutes of the sitting, made from its agenda the first time (at most one
    draft per sitting: a partial unique constraint)."""
    _require(actor, RECORD_MINUTES, "Alleen de ZVH legt verslagen vast.")
    with transaction.atomic():
        meeting = for_update(Meeting).select_related("series").get(pk=meeting.pk)
        if expected_version is not None and meeting.version != expected_version:
            raise ConflictError(STALE_MEETING)
        draft = meeting.minutes.filter(confirmed_at__isnull=True).first()
        if draft:
            return draft
        if meeting.minutes.exists():
            raise TransitionRefused("Het verslag is vastgesteld; maak een correctie.")
        draft = Minutes.objects.create(meeting=meeting, created_by=actor, created_at=timezone.now())
        agenda = list(meeting.items.select_related("case", "case__coordinator_organisation"))
        for agenda_item in agenda:
            item = MinutesItem.objects.create(
                minutes=draft, case=agenda_item.case, order=agenda_item.order
            )
            item.attendees.set(invited_organisations(case=agenda_item.case, series=meeting.series))
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_MINUTES_STARTED,
            obj=draft,
            after={"zitting": str(meeting), "agendapunten": len(agenda)},
        )
    return draft


STALE_MEETING = "Deze zitting is intussen gewijzigd. Bekijk de nieuwe stand en probeer het opnieuw."
STALE_ITEM = (
    "Dit agendapunt is intussen door iemand anders bijgewerkt. Bekijk de nieuwe stand en voer "
    "uw wijziging opnieuw in."
)
STALE_MINUTES = "Het verslag is intussen gewijzigd. Bekijk de nieuwe stand voordat u het vaststelt."
STALE_FOLLOWING = (
    "De agenda van de volgende zitting is net verstuurd. Stel het verslag opnieuw vast: de niet "
    "besproken casussen gaan dan naar de zitting daarna."
)


def _lock_draft_item(item: MinutesItem, expected_revision: int | None) -> MinutesItem:
    """Lock the sitting, the minutes and the item (in that order); refuse confirmed minutes
    and a stale item."""
    minutes_id = MinutesItem.objects.values_list("minutes_id", flat=True).get(pk=item.pk)
    meeting_id = Minutes.objects.values_list("meeting_id", flat=True).get(pk=minutes_id)
    for_update(Meeting).filter(pk=meeting_id).exists()
    minutes = for_update(Minutes).get(pk=minutes_id)
    item = for_update(MinutesItem).select_related("case", "case__youth").get(pk=item.pk)
    item.minutes = minutes
    if minutes.is_confirmed:
        raise TransitionRefused("Dit verslag is vastgesteld; maak een correctie.")
    if expected_revision is not None and item.revision != expected_revision:
        raise ConflictError(STALE_ITEM)
    return item


def _touch(item: MinutesItem, *fields: str) -> None:
    """An item changed: raise its revision and the minutes' (the confirmation checks it)."""
    item.revision += 1
    item.save(update_fields=["revision", *fields])
    Minutes.objects.filter(pk=item.minutes_id).update(revision=item.minutes.revision + 1)


def minutes_item_record(
    *,
    item: MinutesItem,
    actor: User,
    discussed: bool,
    attendees,
    summary: str,
    expected_revision: int | None = None,
) -> MinutesItem:
    _require(actor, RECORD_MINUTES, "Alleen de ZVH legt verslagen vast.")
    with transaction.atomic():
        item = _lock_draft_item(item, expected_revision)
        before = {"besproken": item.discussed, "samenvatting": item.summary}
        item.discussed = discussed
        item.summary = summary.strip()
        _touch(item, "discussed", "summary")
        item.attendees.set(attendees)
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_MINUTES_ITEM_RECORDED,
            obj=item.minutes,
            case=item.case,
            youth=item.case.youth,
            before=before,
            after={
                "besproken": item.discussed,
                "samenvatting": item.summary,
                "aanwezig": sorted(o.short_name for o in item.attendees.all()),
            },
        )
    return item


def decision_add(
    *,
    item: MinutesItem,
    actor: User,
    kind: str,
    reason: str,
    target_level: str = "",
    closure_reason: ClosureReason | None = None,
    task_type: TaskType | None = None,
    organisation: Organisation | None = None,
    criteria: list[str] | None = None,
    expected_revision: int | None = None,
) -> Decision:
    """Record a decision in the draft; its shape is checked now (and held by the database's
    constraints per kind), its rules when confirming. Fields that do not belong to the kind
    are left empty."""
    _require(actor, RECORD_MINUTES, "Alleen de ZVH legt besluiten vast.")
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Geef een onderbouwing voor het besluit."]
    if kind in (Decision.Kind.ESCALATE, Decision.Kind.DEESCALATE) and not target_level:
        errors["target_level"] = ["Kies het niveau."]
    if kind == Decision.Kind.CLOSE and closure_reason is None:
        errors["closure_reason"] = ["Kies een reden van afsluiten."]
    if kind == Decision.Kind.TASK and (task_type is None or organisation is None):
        errors["task_type"] = ["Kies een taaksoort en een organisatie."]
    elif kind == Decision.Kind.TASK and not has_task_workers(organisation):
        # The task would wait unseen; confirming would refuse it too (``task_assign``).
        errors["organisation"] = [NO_WORKERS.format(organisation=organisation.name)]
    if kind not in Decision.Kind.values:
        errors["kind"] = ["Kies een besluit."]
    if errors:
        raise ValidationFailed(" ".join(e for v in errors.values() for e in v), field_errors=errors)
    moves = kind in (Decision.Kind.ESCALATE, Decision.Kind.DEESCALATE)
    with transaction.atomic():
        item = _lock_draft_item(item, expected_revision)
        decision = Decision.objects.create(
            item=item,
            kind=kind,
            reason=reason,
            target_level=target_level if moves else "",
            criteria=(criteria or []) if moves else [],
            closure_reason=closure_reason if kind == Decision.Kind.CLOSE else None,
            task_type=task_type if kind == Decision.Kind.TASK else None,
            organisation=organisation if kind == Decision.Kind.TASK else None,
        )
        _touch(item)
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_DECISION_RECORDED,
            obj=item.minutes,
            case=item.case,
            youth=item.case.youth,
            reason=reason,
            after={"besluit": decision.get_kind_display(), "niveau": target_level or None},
        )
        return decision


def _execute(decision: Decision, actor: User, sitting: str) -> None:
    case = decision.item.case
    reason = f"{decision.reason} (besluit {sitting})"
    kind = decision.kind
    if kind == Decision.Kind.ESCALATE:
        ladder.case_escalate(
            case=case,
            actor=actor,
            target_level=decision.target_level,
            reason=reason,
            criteria=decision.criteria,
        )
    elif kind == Decision.Kind.DEESCALATE:
        ladder.case_deescalate(
            case=case,
            actor=actor,
            target_level=decision.target_level,
            reason=reason,
            criteria=decision.criteria,
        )
    elif kind == Decision.Kind.CLOSE:
        ladder.case_close(
            case=case, actor=actor, closure_reason=decision.closure_reason, reason=reason
        )
    elif kind == Decision.Kind.TASK:
        task_assign(
            case=case,
            actor=actor,
            task_type=decision.task_type,
            organisation=decision.organisation,
            instruction=reason,
        )
    audit_record(
        actor=actor,
        action=AuditAction.MEETING_DECISION_EXECUTED,
        obj=decision,
        case=case,
        youth=case.youth,
        reason=reason,
        after={
            "besluit": decision.get_kind_display(),
            "zitting": sitting,
            "niveau": decision.target_level or None,
        },
    )


def minutes_confirm(
    *, minutes: Minutes, actor: User, expected_revision: int | None = None
) -> Minutes:
    """Confirm the draft: carry out all its decisions at once, or none of them."""
    _require(actor, ASSIGN_TASK, "Alleen de procesregisseur stelt het verslag vast.")
    with transaction.atomic():
        meeting_id = Minutes.objects.values_list("meeting_id", flat=True).get(pk=minutes.pk)
        # This sitting and the one that receives the cases not discussed, in id order.
        following_id = _following_id(meeting_id)
        sittings = lock_in_order(
            Meeting, [meeting_id, following_id] if following_id else [meeting_id]
        )
        meeting, following = sittings[meeting_id], sittings.get(following_id)
        if following is not None and following.status != Meeting.Status.PLANNED:
            raise ConflictError(STALE_FOLLOWING)
        minutes = for_update(Minutes).get(pk=minutes.pk)
        minutes.meeting = meeting
        if minutes.is_confirmed:
            raise TransitionRefused("Dit verslag is al vastgesteld.")
        if expected_revision is not None and minutes.revision != expected_revision:
            raise ConflictError(STALE_MINUTES)
        sitting = f"{meeting.series.name} {timezone.localtime(meeting.starts_at):%d-%m-%Y}"
        items = list(minutes.items.select_related("case").prefetch_related("decisions"))
        lock_in_order(Case, (item.case_id for item in items if item.discussed))
        for item in items:
            if not item.discussed:
                continue
            settle_discussion(
                case=item.case,
                actor=actor,
                result=f"Besproken in {sitting}. {item.summary}".strip(),
            )
            for decision in item.decisions.all():
                if decision.executed_at:
                    continue  # carried out by an earlier version of these minutes
                try:
                    _execute(decision, actor, sitting)
                except IjamError as exc:
                    raise ValidationFailed(
                        f"Besluit '{decision.get_kind_display()}' over {item.case.reference} "
                        f"kan niet worden uitgevoerd: {exc.message} Er is niets vastgesteld; "
                        "pas het besluit aan en stel het verslag opnieuw vast."
                    ) from exc
                decision.executed_at = timezone.now()
                decision.save(update_fields=["executed_at"])
        carried = _carry_over(meeting, following, [i for i in items if not i.discussed])
        minutes.confirmed_at = timezone.now()
        minutes.confirmed_by = actor
        minutes.revision += 1
        minutes.save(update_fields=["confirmed_at", "confirmed_by", "revision"])
        meeting.status = Meeting.Status.HELD
        meeting.version += 1
        meeting.save(update_fields=["status", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_MINUTES_CONFIRMED,
            obj=minutes,
            after={
                "zitting": sitting,
                "versie": minutes.version,
                "besproken": sum(i.discussed for i in items),
                "doorgeschoven": carried,
            },
        )
    return minutes


def _following_id(meeting_id: int) -> int | None:
    """The next sitting of the same table whose agenda is still open (planned ahead by the
    worker; nothing is planned here)."""
    meeting = Meeting.objects.only("series_id", "starts_at").get(pk=meeting_id)
    return (
        Meeting.objects.filter(
            series_id=meeting.series_id,
            starts_at__gt=meeting.starts_at,
            status=Meeting.Status.PLANNED,
        )
        .order_by("starts_at")
        .values_list("pk", flat=True)
        .first()
    )


def _carry_over(meeting: Meeting, following: Meeting | None, items: list[MinutesItem]) -> int:
    """Cases not discussed go on the agenda of ``following`` (locked by the caller), whose
    agenda forms then become stale."""
    if not items:
        return 0
    if following is None:
        raise ValidationFailed(
            f"Er is nog geen volgende zitting van {meeting.series.name} met een open agenda, "
            "waar de niet besproken casussen naartoe kunnen. Plan die eerst; er is niets "
            "vastgesteld."
        )
    for item in items:
        AgendaItem.objects.get_or_create(
            meeting=following,
            case=item.case,
            defaults={"reason": AgendaItem.Reason.CARRIED_OVER, "order": 0},
        )
    bump(following)
    return len(items)


def minutes_correct(
    *, minutes: Minutes, actor: User, reason: str, expected_revision: int | None = None
) -> Minutes:
    """Start a correction: a new draft version with the same content; the confirmed version
    stays readable. Decisions already carried out are not carried out again."""
    _require(actor, ASSIGN_TASK, "Alleen de procesregisseur corrigeert een verslag.")
    reason = bounded_text(reason, LONG_TEXT)
    if not reason:
        raise ValidationFailed("Geef de reden van de correctie.")
    with transaction.atomic():
        meeting_id = Minutes.objects.values_list("meeting_id", flat=True).get(pk=minutes.pk)
        for_update(Meeting).filter(pk=meeting_id).exists()
        minutes = for_update(Minutes).get(pk=minutes.pk)
        if not minutes.is_confirmed:
            raise TransitionRefused("Een concept pas je gewoon aan.")
        if expected_revision is not None and minutes.revision != expected_revision:
            raise ConflictError(STALE_MINUTES)
        latest = minutes.meeting.minutes.order_by("-version").first()
        if latest.pk != minutes.pk:
            raise TransitionRefused("Er is al een nieuwere versie van dit verslag.")
        draft = Minutes.objects.create(
            meeting=minutes.meeting,
            version=minutes.version + 1,
            # Counting on from the confirmed version: a form made from that one (or from an
            # earlier draft) can never match the correction.
            revision=minutes.revision + 1,
            created_by=actor,
            created_at=timezone.now(),
            correction_reason=reason,
        )
        for old in minutes.items.prefetch_related("attendees", "decisions"):
            new = MinutesItem.objects.create(
                minutes=draft,
                case=old.case,
                order=old.order,
                discussed=old.discussed,
                summary=old.summary,
            )
            new.attendees.set(old.attendees.all())
            for decision in old.decisions.all():
                decision.pk = None
                decision.item = new
                decision.save()
        audit_record(
            actor=actor,
            action=AuditAction.MEETING_MINUTES_CORRECTION_STARTED,
            obj=draft,
            reason=reason,
            after={"versie": draft.version},
        )
    return draft
