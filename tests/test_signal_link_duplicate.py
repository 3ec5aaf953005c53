# SPDX-License-Identifier: AGPL-3.0-or-later
"""Screening links a second registration to the known youth (``case_link_duplicate``, ADR
0012): the signals move to the known youth's open case, the duplicate case is closed as
"Dubbele registratie", its screening task is done, the reporter is involved there and follows
it at "Mijn signalen"; only the procesregisseur may, only from the case as it was shown."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from casebook.errors import ConflictError, NotAllowed, TransitionRefused
from casebook.models import AuditEvent, CaseInvolvement, ClosureReason, Signal
from casebook.services.youths import YouthData, youth_create
from notifications.models import Notification
from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import AWAITING, CLOSED, NETWERKOVERLEG
from workflows.tasks.models import TaskTypeCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(director, police_officer):
    """Mohammed Jansen, known to IJAM: the police reported him, his case is on the first level."""
    youth = youth_create(
        actor=director,
        data=factories.youth_data(first_name="Mohammed", last_name="Jansen", age=15),
    )
    case = factories.signal(police_officer, youth=youth).case
    ladder.case_screen_in(
        case=case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="Past bij het netwerkoverleg",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    return youth


@pytest.fixture
def again(halt_worker, known):
    """Halt reports "Mohamed Jansen" with the same birth date: a new youth and a new case."""
    return _signal_about(halt_worker, "Mohamed", "Jansen", known.date_of_birth)


def _signal_about(reporter, first, last, born):
    from casebook.services.signals import signal_register

    return signal_register(
        reporter=reporter,
        category=factories.category(),
        description="Winkeldiefstal met twee anderen",
        new_youth=YouthData(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            neighbourhood=factories.neighbourhood(),
        ),
    )


def _link(case, director, youth, **extra):
    return ladder.case_link_duplicate(
        case=case,
        actor=director,
        youth=youth,
        reason="Zelfde geboortedatum en adres; spelling van de voornaam verschilt",
        expected_version=factories.version(case),
        **extra,
    )


def test_linking_moves_the_signal_and_closes_the_duplicate(director, halt, known, again):
    duplicate = again.case
    duplicate_youth = again.youth
    target = _link(duplicate, director, known)

    again.refresh_from_db()
    assert again.case == target == known.cases.get(level=NETWERKOVERLEG)
    assert again.youth == known
    assert again.status == "received"  # decided on in the known case, like any new signal
    duplicate.refresh_from_db()
    assert duplicate.level == CLOSED
    assert duplicate.closure_reason.code == ClosureReason.DUPLICATE_REGISTRATION
    assert not duplicate.signals.exists()
    screening = duplicate.tasks.get(task_type__code=TaskTypeCode.SCREENING)
    assert screening.state == "done" and target.reference in screening.result
    assert not duplicate.tasks.filter(state__in=["open", "claimed"]).exists()
    assert CaseInvolvement.objects.filter(
        case=target, organisation=halt, reason=CaseInvolvement.Reason.REPORTER
    ).exists()
    duplicate_youth.refresh_from_db()
    assert duplicate_youth.merged_into == known  # nothing else refers to the second record


def test_the_reporter_follows_the_linked_signal(client, director, halt_worker, known, again):
    _link(again.case, director, known)
    assert Notification.objects.filter(
        recipient=halt_worker, message__contains=f"signaal {again.pk}"
    ).exists()
    client.force_login(halt_worker)
    page = client.get(reverse("casebook:my-signals")).content.decode()
    assert ladder.LINKED_FEEDBACK in page
    assert "Ontvangen" in page


def test_a_known_youth_without_an_open_case_gets_one_awaiting_screening(director, halt_worker, zvh):
    youth = youth_create(
        actor=director, data=factories.youth_data(first_name="Sanne", last_name="Bos")
    )
    signal = _signal_about(halt_worker, "Sanne", "Bos", youth.date_of_birth)
    target = _link(signal.case, director, youth)
    assert target.youth == youth and target.level == AWAITING
    assert target.tasks.filter(task_type__code=TaskTypeCode.SCREENING, state="open").exists()
    signal.refresh_from_db()
    assert signal.case == target


def test_a_partner_may_not_link(halt_worker, police_officer, known, again):
    for partner in (halt_worker, police_officer):
        with pytest.raises(NotAllowed):
            _link(again.case, partner, known)
    again.refresh_from_db()
    assert again.case.level == AWAITING and again.youth != known


def test_a_stale_page_links_nothing(director, known, again):
    with pytest.raises(ConflictError):
        ladder.case_link_duplicate(
            case=again.case,
            actor=director,
            youth=known,
            reason="Dezelfde jongere",
            expected_version=factories.version(again.case) - 1,
        )
    again.refresh_from_db()
    assert again.case.level == AWAITING and again.youth != known
    assert not AuditEvent.objects.filter(action="signal.linked").exists()


def test_only_a_case_awaiting_screening_is_linked(director, known, again):
    ladder.case_screen_in(
        case=again.case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="In",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    with pytest.raises(TransitionRefused):
        _link(again.case, director, known)


def test_linking_is_audited(director, known, again):
    duplicate = again.case
    target = _link(duplicate, director, known)
    actions = set(
        AuditEvent.objects.filter(actor=director, case__in=[duplicate, target])
        .values_list("action", flat=True)
        .order_by()
    )
    assert {
        "signal.linked",
        "case.duplicate_linked",
        "case.screen_out",
        "youth.merged",
        "task.completed",
    } <= actions
    linked = AuditEvent.objects.get(action="signal.linked")
    assert linked.signal_id == again.pk and linked.before == {"casus": duplicate.reference}
    assert linked.reason.startswith("Zelfde geboortedatum")


def test_a_second_record_with_its_own_history_is_not_merged(director, halt_worker, known, again):
    """A youth record another case refers to is a person with a history: it stays itself."""
    duplicate_youth = again.youth
    ladder.case_close(
        case=again.case,
        actor=director,
        closure_reason=ClosureReason.objects.filter(allowed_from_screening=True).first(),
        reason="Geen grond",
    )
    newer = factories.signal(halt_worker, youth=duplicate_youth)
    _link(newer.case, director, known)
    duplicate_youth.refresh_from_db()
    assert duplicate_youth.merged_into is None


# --- The case page -------------------------------------------------------------------------------


def test_the_procesregisseur_sees_the_possible_matches_and_links_from_the_page(
    client, director, known, again
):
    client.force_login(director)
    url = reverse("casebook:case-detail", args=[again.case.pk])
    html = client.get(url).content.decode()
    assert "Mogelijk dubbele registratie" in html
    assert f"Mohammed Jansen, geboren {date_format(known.date_of_birth, 'j F Y')}" in html
    target = known.cases.get(level=NETWERKOVERLEG)
    assert target.reference in html
    shown = AuditEvent.objects.get(action="youth_duplicates.viewed", actor=director)
    assert shown.after == {"getoond": [known.pk]}

    response = client.post(
        reverse("casebook:case-link-duplicate", args=[again.case.pk]),
        {"youth": known.pk, "reason": "Zelfde persoon", "version": factories.version(again.case)},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("casebook:case-detail", args=[target.pk]))
    assert Signal.objects.get(pk=again.pk).case == target


def test_the_page_refuses_a_youth_it_did_not_offer(client, director, known, again):
    stranger = youth_create(actor=director, data=factories.youth_data())
    client.force_login(director)
    response = client.post(
        reverse("casebook:case-link-duplicate", args=[again.case.pk]),
        {"youth": stranger.pk, "reason": "Zelfde", "version": factories.version(again.case)},
    )
    assert response.status_code == 400
    assert Signal.objects.get(pk=again.pk).case == again.case


def test_the_reporting_partner_neither_sees_the_matches_nor_links(
    client, halt_worker, known, again
):
    client.force_login(halt_worker)
    html = client.get(reverse("casebook:case-detail", args=[again.case.pk])).content.decode()
    assert "Mogelijk dubbele registratie" not in html and "Mohammed" not in html
    response = client.post(
        reverse("casebook:case-link-duplicate", args=[again.case.pk]),
        {"youth": known.pk, "reason": "Zelfde", "version": factories.version(again.case)},
    )
    assert response.status_code == 403
    assert Signal.objects.get(pk=again.pk).case == again.case


def test_the_case_page_of_an_awaiting_case_stays_within_a_few_queries(
    client, director, known, again, django_assert_max_num_queries
):
    for _ in range(4):
        youth_create(
            actor=director,
            data=factories.youth_data(
                first_name="Mohammed", last_name="Jansen", date_of_birth=known.date_of_birth
            ),
        )
    client.force_login(director)
    url = reverse("casebook:case-detail", args=[again.case.pk])
    client.get(url)
    with django_assert_max_num_queries(45) as captured:
        client.get(url)
    few = len(captured)
    for _ in range(4):
        youth_create(
            actor=director,
            data=factories.youth_data(
                first_name="Mohammed", last_name="Jansen", date_of_birth=known.date_of_birth
            ),
        )
    with django_assert_max_num_queries(few):  # more candidates, not more queries
        client.get(url)
