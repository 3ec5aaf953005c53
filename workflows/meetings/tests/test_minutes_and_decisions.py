# SPDX-License-Identifier: AGPL-3.0-or-later
"""Minutes: the table's decisions drive the ladder and the task engine, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casebook.errors import TransitionRefused, ValidationFailed
from casebook.models import AuditEvent, ClosureReason
from tests import factories
from workflows.ladder import services as ladder
from workflows.meetings import services as meeting_services
from workflows.meetings.minutes import (
    decision_add,
    minutes_confirm,
    minutes_correct,
    minutes_draft,
    minutes_item_record,
)
from workflows.meetings.models import AgendaItem, Decision, Meeting, MeetingSeries
from workflows.tasks.models import TaskType

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(zvh, police):
    series = MeetingSeries.objects.create(
        name="Netwerkoverleg (test)",
        level="netwerkoverleg",
        first_date=timezone.localdate(),
        every_weeks=2,
    )
    meeting_services.sittings_generate(
        series=series, until=timezone.localdate() + dt.timedelta(weeks=4)
    )
    return Meeting.objects.filter(series=series).order_by("starts_at").first()


def on_table(case, director):
    return ladder.case_screen_in(
        case=case,
        actor=director,
        target_level="netwerkoverleg",
        reason="in",
        criteria=factories.criteria_for("netwerkoverleg"),
    )


@pytest.fixture
def two_cases(sitting, director, police_officer, halt_worker):
    first = on_table(factories.signal(police_officer).case, director)
    second = on_table(factories.signal(halt_worker).case, director)
    meeting_services.agenda_add(meeting=sitting, actor=director, case=first)
    meeting_services.agenda_add(meeting=sitting, actor=director, case=second)
    return first, second


def item_for(minutes, case):
    return minutes.items.get(case=case)


def test_confirming_carries_out_the_decisions(sitting, two_cases, director, support, halt):
    first, second = two_cases
    minutes = minutes_draft(meeting=sitting, actor=support)  # the procesondersteuner records
    decision_add(
        item=item_for(minutes, first),
        actor=support,
        kind="escalate",
        target_level="jonge_aanwas",
        reason="Benaderd voor klusjes",
        criteria=factories.criteria_for("jonge_aanwas"),
    )
    decision_add(
        item=item_for(minutes, second),
        actor=support,
        kind="task",
        reason="Schoolgesprek voeren",
        task_type=TaskType.objects.get(code="schoolgesprek"),
        organisation=halt,
    )
    minutes_confirm(minutes=minutes, actor=director)

    first.refresh_from_db()
    assert first.level == "jonge_aanwas"
    escalation = AuditEvent.objects.get(case=first, action="case.escalate")
    assert "besluit Netwerkoverleg (test)" in escalation.reason
    assert second.tasks.filter(task_type__code="schoolgesprek", organisation=halt).exists()
    sitting.refresh_from_db()
    assert sitting.status == Meeting.Status.HELD
    assert all(d.executed_at for d in Decision.objects.all())


def test_a_decision_that_breaks_a_rule_changes_nothing(sitting, two_cases, director, support):
    first, second = two_cases
    minutes = minutes_draft(meeting=sitting, actor=support)
    decision_add(
        item=item_for(minutes, first),
        actor=support,
        kind="close",
        reason="Doel bereikt",
        closure_reason=ClosureReason.objects.filter(allowed_from_screening=False).first(),
    )
    # Escalating without the target level's criteria breaks a rule.
    decision_add(
        item=item_for(minutes, second),
        actor=support,
        kind="escalate",
        target_level="pga",
        reason="Ernstig",
        criteria=[],
    )
    with pytest.raises(ValidationFailed, match=second.reference):
        minutes_confirm(minutes=minutes, actor=director)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.level == "netwerkoverleg" and second.level == "netwerkoverleg"
    minutes.refresh_from_db()
    assert not minutes.is_confirmed
    assert Decision.objects.count() == 2  # the minutes are not lost


def test_a_close_without_reason_is_refused_when_recorded(sitting, two_cases, support):
    minutes = minutes_draft(meeting=sitting, actor=support)
    with pytest.raises(ValidationFailed, match="reden van afsluiten"):
        decision_add(item=item_for(minutes, two_cases[0]), actor=support, kind="close", reason="x")


def test_escalating_a_closed_case_is_refused_with_a_clear_message(
    sitting, two_cases, director, support
):
    first, _ = two_cases
    minutes = minutes_draft(meeting=sitting, actor=support)
    decision_add(
        item=item_for(minutes, first),
        actor=support,
        kind="escalate",
        target_level="pga",
        reason="x",
        criteria=factories.criteria_for("pga"),
    )
    ladder.case_close(
        case=first, actor=director, closure_reason=factories.closure_reason(), reason="Verhuisd"
    )
    with pytest.raises(ValidationFailed, match="afgesloten"):
        minutes_confirm(minutes=minutes, actor=director)


def test_cases_not_discussed_move_to_the_next_sitting(sitting, two_cases, director, support):
    first, second = two_cases
    minutes = minutes_draft(meeting=sitting, actor=support)
    minutes_item_record(
        item=item_for(minutes, second), actor=support, discussed=False, attendees=[], summary=""
    )
    minutes_confirm(minutes=minutes, actor=director)
    following = Meeting.objects.filter(
        series=sitting.series, starts_at__gt=sitting.starts_at
    ).first()
    carried = following.items.get(case=second)
    assert carried.reason == AgendaItem.Reason.CARRIED_OVER
    assert not following.items.filter(case=first).exists()


def test_cases_not_discussed_skip_a_sitting_whose_agenda_was_sent(
    sitting, two_cases, director, support
):
    """The next sitting already sent its agenda (the partners were asked for information):
    the case goes to the first sitting after it whose agenda is still open, and that agenda's
    forms become stale."""
    _first, second = two_cases
    sent, still_open = Meeting.objects.filter(
        series=sitting.series, starts_at__gt=sitting.starts_at
    ).order_by("starts_at")[:2]
    Meeting.objects.filter(pk=sent.pk).update(status=Meeting.Status.PUBLISHED)
    minutes = minutes_draft(meeting=sitting, actor=support)
    minutes_item_record(
        item=item_for(minutes, second), actor=support, discussed=False, attendees=[], summary=""
    )
    minutes_confirm(minutes=minutes, actor=director)
    assert not sent.items.exists()
    assert still_open.items.get(case=second).reason == AgendaItem.Reason.CARRIED_OVER
    assert Meeting.objects.get(pk=still_open.pk).version == still_open.version + 1


def test_the_sitting_that_discusses_a_case_settles_its_discussion_task(
    sitting, two_cases, director, support
):
    from workflows.ladder.level_flows import start_case_work
    from workflows.tasks.models import PartnerTask, TaskState

    first, second = two_cases
    discussions = {
        case: start_case_work(
            case=case, actor=director, code="bespreking", instruction="Bespreek aan tafel"
        )
        for case in (first, second)
    }
    minutes = minutes_draft(meeting=sitting, actor=support)
    minutes_item_record(
        item=item_for(minutes, first),
        actor=support,
        discussed=True,
        attendees=[],
        summary="Afspraken gemaakt met school en jongerenwerk.",
    )
    minutes_item_record(
        item=item_for(minutes, second), actor=support, discussed=False, attendees=[], summary=""
    )
    minutes_confirm(minutes=minutes, actor=director)
    done = PartnerTask.objects.get(pk=discussions[first].pk)
    assert done.state == TaskState.DONE
    assert "Besproken in Netwerkoverleg (test)" in done.result
    assert "Afspraken gemaakt met school en jongerenwerk." in done.result
    # Not discussed: the task stays open for the next sitting.
    assert PartnerTask.objects.get(pk=discussions[second].pk).state == TaskState.OPEN


def test_a_correction_is_a_new_version_and_keeps_the_old(sitting, two_cases, director, support):
    first, _ = two_cases
    minutes = minutes_draft(meeting=sitting, actor=support)
    minutes_item_record(
        item=item_for(minutes, first),
        actor=support,
        discussed=True,
        attendees=[],
        summary="Eerste versie",
    )
    decision_add(item=item_for(minutes, first), actor=support, kind="continue", reason="Loopt")
    minutes_confirm(minutes=minutes, actor=director)
    with pytest.raises(TransitionRefused):
        minutes_item_record(
            item=item_for(minutes, first), actor=support, discussed=True, attendees=[], summary="x"
        )
    correction = minutes_correct(minutes=minutes, actor=director, reason="Typefout")
    minutes_item_record(
        item=item_for(correction, first),
        actor=support,
        discussed=True,
        attendees=[],
        summary="Gecorrigeerde versie",
    )
    minutes_confirm(minutes=correction, actor=director)
    assert item_for(minutes, first).summary == "Eerste versie"
    assert item_for(correction, first).summary == "Gecorrigeerde versie"
    assert correction.version == 2
    assert AuditEvent.objects.filter(action="meeting.decision_executed").count() == 1


def test_a_page_from_before_the_confirmation_cannot_confirm_the_correction(
    client, sitting, two_cases, director, support
):
    """The page showed the draft; meanwhile it was confirmed and a correction started. Its
    'vaststellen' button must not confirm the correction nobody has read."""
    from django.urls import reverse

    minutes = minutes_draft(meeting=sitting, actor=support)
    shown = factories.version(minutes)  # what the stale page carries
    minutes_confirm(minutes=minutes, actor=director)
    correction = minutes_correct(minutes=minutes, actor=director, reason="Typefout")
    client.force_login(director)
    response = client.post(
        reverse("meetings:minutes-action", args=[sitting.pk, "vaststellen"]), {"version": shown}
    )
    assert response.status_code == 409
    correction.refresh_from_db()
    assert not correction.is_confirmed


def test_minutes_in_the_browser_forms(client, sitting, two_cases, director, support):
    from django.urls import reverse

    first, second = two_cases
    client.force_login(support)
    client.post(
        reverse("meetings:minutes-action", args=[sitting.pk, "beginnen"]),
        {"version": factories.version(sitting)},
    )
    minutes = sitting.minutes.get()
    item = item_for(minutes, first)
    response = client.post(
        reverse("meetings:minutes-item", args=[item.pk, "besluit"]),
        {"kind": "close", "reason": "Klaar", "version": factories.version(item)},
    )
    assert response.status_code == 400
    assert "Kies een reden van afsluiten." in response.content.decode()
    client.post(
        reverse("meetings:minutes-item", args=[item.pk, "besluit"]),
        {
            "kind": "escalate",
            "target_level": "jonge_aanwas",
            "reason": "Klusjes",
            "criteria": [f"jonge_aanwas:{c}" for c in factories.criteria_for("jonge_aanwas")],
            "version": factories.version(item),
        },
    )
    client.post(
        reverse("meetings:minutes-item", args=[item.pk, "opslaan"]),
        {
            "discussed": "on",
            "summary": "Besproken met politie en school.",
            "version": factories.version(item),
        },
    )
    confirm = reverse("meetings:minutes-action", args=[sitting.pk, "vaststellen"])
    # only the procesregisseur confirms
    assert client.post(confirm, {"version": factories.version(minutes)}).status_code == 403
    client.force_login(director)
    response = client.post(confirm, {"version": factories.version(minutes)}, follow=True)
    assert "Het verslag is vastgesteld" in response.content.decode()
    first.refresh_from_db()
    assert first.level == "jonge_aanwas"
    page = client.get(reverse("meetings:detail", args=[sitting.pk])).content.decode()
    assert "Besproken met politie en school." in page and "Versie 1" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_decision_recorded_while_the_minutes_are_confirmed_is_refused_not_lost(
    sitting, two_cases, director, support, halt, monkeypatch
):
    """The recorder adds a decision at the moment the procesregisseur confirms. Either the
    decision is in the minutes before the confirmation (and is carried out), or it is refused
    after it; never a decision in confirmed minutes that nobody carried out. The confirmation
    is held open at its very end so that the decision arrives while it runs."""
    import threading

    from django.db import connections

    from workflows.meetings import minutes as minutes_module

    first, _second = two_cases
    minutes = minutes_draft(meeting=sitting, actor=support)
    item = minutes.items.get(case=first)
    minutes_item_record(item=item, actor=support, discussed=True, attendees=[], summary="ok")
    confirming, decided = threading.Event(), threading.Event()
    real_carry_over = minutes_module._carry_over

    def slow_carry_over(meeting, following, items):
        confirming.set()  # the confirmation holds its locks and is about to commit
        decided.wait(timeout=2)  # give the recorder every chance to slip in
        return real_carry_over(meeting, following, items)

    monkeypatch.setattr(minutes_module, "_carry_over", slow_carry_over)
    outcome: dict[str, object] = {}

    def confirm():
        try:
            minutes_confirm(minutes=minutes, actor=director)
        finally:
            connections.close_all()

    def record():
        try:
            confirming.wait(timeout=10)
            decision_add(
                item=item,
                actor=support,
                kind=Decision.Kind.TASK,
                reason="Schoolgesprek",
                task_type=TaskType.objects.get(code="schoolgesprek"),
                organisation=halt,
            )
            outcome["recorded"] = True
        except TransitionRefused as exc:
            outcome["refused"] = exc.message
        finally:
            decided.set()
            connections.close_all()

    threads = [threading.Thread(target=confirm), threading.Thread(target=record)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert "vastgesteld" in outcome.get("refused", "")  # it waited for the confirmation
    assert not Decision.objects.filter(item__minutes=minutes, executed_at__isnull=True).exists()
