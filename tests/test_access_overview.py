# SPDX-License-Identifier: AGPL-3.0-or-later
"""The access overview per youth (subject access, AVG art. 15; NEN 7513): which organisation,
in which role, processed a youth's data, when, under which activity and legal basis; who could
see it; break-the-glass events. Built on the processing log joined to the audit trail by
``trace_id`` (ADR 0019). Staff names only at the privacy officer's audited choice; the
procesregisseur sees the youths of the cases the ZVH directs; nobody else reaches it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casebook.models import (
    AuditEvent,
    Case,
    EmergencyAccess,
    OrganisationKind,
    ProcessingActivity,
    ProcessingLogLine,
    Role,
)
from casebook.selectors.access import access_overview
from casebook.services.audit import audit_record
from casebook.services.processing import log_subjects, processing_trace, pseudonym
from tests import factories
from tests.test_document_safety import listener  # noqa: F401 - the fixture: a counting web server

pytestmark = pytest.mark.django_db

OVERVIEW = "casebook:access-overview"
PDF = "casebook:access-overview-pdf"
SECRET = "Politie: geheime omschrijving"
REASON = "Jongere staat aan de balie, ouders onbereikbaar"


@pytest.fixture
def police_case(police_officer):
    return factories.signal(police_officer, description=SECRET).case


def _query(case, **extra) -> dict:
    youth = case.youth
    query = {"last_name": youth.last_name.upper(), "date_of_birth": youth.date_of_birth.isoformat()}
    return {**query, **extra}


@pytest.fixture
def processed(client, police_officer, halt_worker, police_case, django_capture_on_commit_callbacks):
    """The police read the case; Halt breaks the glass (a change) and reads it too."""
    client.force_login(police_officer)
    assert client.get(reverse("casebook:case-detail", args=[police_case.pk])).status_code == 200
    client.force_login(halt_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casebook:emergency-access"),
            {"reference": police_case.reference, "reason": REASON, "acknowledged": "on"},
        )
    assert response.status_code == 302
    assert client.get(reverse("casebook:case-detail", args=[police_case.pk])).status_code == 200
    client.logout()
    return police_case


def _page(client, user, case, **extra) -> str:
    client.force_login(user)
    response = client.get(reverse(OVERVIEW), _query(case, **extra))
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_says_which_organisation_and_role_processed_the_data_and_under_what(
    client, privacy_officer, police_officer, halt_worker, processed
):
    page = _page(client, privacy_officer, processed)
    casework = ProcessingActivity.objects.get(code="casusregie", superseded_at__isnull=True)
    assert processed.reference in page
    assert "Politie Basisteam Maastricht" in page and "Halt Limburg" in page
    assert "Partnerprofessional" in page  # the role, from the audit event's snapshot
    assert "Casus ingezien" in page  # what, in the trail's Dutch
    assert "Doorbraak: casus buiten de regels geopend" in page  # a change, listed as well
    (change,) = [
        s
        for s in access_overview(processed.youth).summaries
        if s.action == "Doorbraak: casus buiten de regels geopend"
    ]
    assert (change.organisation, change.role) == ("Halt Limburg", "Partnerprofessional")
    assert casework.name in page and casework.uri in page  # the activity version
    assert "AVG art. 6 lid 1 sub e" in page  # its legal basis, from the register
    assert casework.purpose[:40] in page
    assert REASON in page and "te beoordelen" in page  # break the glass, with its review state
    assert "melder van een signaal" in page  # who could see it
    for name in (police_officer.get_full_name(), halt_worker.get_full_name()):
        assert name not in page  # organisations and roles, not staff
    assert SECRET not in page  # no case content
    logged = AuditEvent.objects.get(action="access_overview.viewed", actor=privacy_officer)
    assert logged.youth == processed.youth and logged.after["namen_medewerkers"] is False
    assert not AuditEvent.objects.filter(action="access_overview_staff_names.viewed").exists()
    # Viewing the overview is a processing of its own, under the privacy activity.
    assert ProcessingLogLine.objects.filter(
        name="access_overview.viewed",
        data_subject_id=pseudonym(processed.youth_id),
        processing_activity__code="privacytoezicht",
    ).exists()


def test_staff_names_only_when_the_privacy_officer_ticks_the_option_and_that_is_audited(
    client, privacy_officer, police_officer, processed
):
    page = _page(client, privacy_officer, processed, show_names="on")
    assert "Namen van medewerkers tonen" in page
    assert police_officer.get_full_name() in page
    shown = AuditEvent.objects.get(action="access_overview_staff_names.viewed")
    assert shown.actor == privacy_officer and shown.youth == processed.youth
    assert shown.after == {"document": "pagina"}
    viewed = AuditEvent.objects.get(action="access_overview.viewed")
    assert viewed.after["namen_medewerkers"] is True


def _reads(youth) -> list:
    return [s for s in access_overview(youth).summaries if s.action == "Casus ingezien"]


def test_the_lines_find_their_organisation_and_role_through_the_trace_id(
    client, police_officer, police_case
):
    client.force_login(police_officer)
    client.get(reverse("casebook:case-detail", args=[police_case.pk]))
    line = ProcessingLogLine.objects.get(
        name="case.viewed", data_subject_id=pseudonym(police_case.youth_id)
    )
    event = AuditEvent.objects.get(action="case.viewed", actor=police_officer)
    assert event.trace_id == line.trace_id_hex and len(event.trace_id) == 32
    assert event.actor_role == "Partnerprofessional"
    (summary,) = [
        s for s in access_overview(police_case.youth).summaries if s.action == "Casus ingezien"
    ]
    assert (summary.organisation, summary.role, summary.actor, summary.count) == (
        "Politie Basisteam Maastricht",
        "Partnerprofessional",
        "",
        1,
    )


def test_a_processing_without_an_audit_event_in_its_trace_names_nobody(police_case):
    log_subjects("casusregie", [police_case.youth_id], "case.viewed")  # a job: its own trace
    (summary,) = [
        s for s in access_overview(police_case.youth).summaries if s.action == "Casus ingezien"
    ]
    assert (summary.organisation, summary.role) == ("—", "—")


def test_the_procesregisseur_sees_the_youths_of_the_cases_the_zvh_directs_without_names(
    client, director, police_officer, processed, halt
):
    page = _page(client, director, processed, show_names="on")
    assert "Politie Basisteam Maastricht" in page and "Partnerprofessional" in page
    assert "Namen van medewerkers tonen" not in page  # not hers to choose
    assert police_officer.get_full_name() not in page
    assert not AuditEvent.objects.filter(action="access_overview_staff_names.viewed").exists()
    # A youth whose case another organisation directs is not found (not confirmed either).
    Case.objects.filter(pk=processed.pk).update(coordinator_organisation=halt)
    page = _page(client, director, processed)
    assert "Geen jongere" in page and processed.reference not in page


def test_no_match_says_so_and_shows_nobody(client, privacy_officer, police_case):
    query = {"date_of_birth": "2001-01-01"}
    page = _page(client, privacy_officer, police_case, **query)
    assert "Geen jongere" in page and police_case.reference not in page


@pytest.fixture
def functional_admin(db):
    org = factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht (beheer)")
    return factories.user(Role.FUNCTIONAL_ADMIN, org, is_staff=True)


@pytest.mark.parametrize("url", [OVERVIEW, PDF])
@pytest.mark.parametrize(
    "who", ["support", "police_officer", "steering_member", "functional_admin"]
)
def test_nobody_else_reaches_the_overview_or_its_pdf(client, request, who, url, police_case):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(url), _query(police_case))
    assert response.status_code == 403
    assert police_case.youth.last_name not in response.content.decode()


def _many_lines(youth, organisations, *, traces: int, lines_per_trace: int) -> None:
    """``traces`` requests by partners of ``organisations``, each with one audit event and
    ``lines_per_trace`` lines about ``youth``: what a youth followed for years looks like."""
    activity = ProcessingActivity.objects.get(code="casusregie", superseded_at__isnull=True)
    workers = [factories.task_worker(org) for org in organisations]
    subject = pseudonym(youth.pk)
    lines = []
    start = timezone.now() - dt.timedelta(days=400)
    for number in range(traces):
        with processing_trace("test") as trace, transaction.atomic():
            audit_record(
                actor=workers[number % len(workers)],
                action="case.viewed",
                obj=None,
                youth=youth,
                kind=AuditEvent.Kind.READ,
            )
        when = start + dt.timedelta(hours=number)
        lines += [
            ProcessingLogLine(
                trace_id=trace.trace_id.to_bytes(16, "big"),
                span_id=(number * 100 + n + 1).to_bytes(8, "big"),
                name="case.viewed",
                start_time=when,
                end_time=when,
                status_code=1,
                resource={"service.name": "ijam"},
                processing_activity=activity,
                data_subject_id=subject,
                data_subject_id_type="urn:ijam:betrokkene:jongere:hmac-sha256",
            )
            for n in range(lines_per_trace)
        ]
    ProcessingLogLine.objects.bulk_create(lines, batch_size=2000)


def _overview_queries(client, user, case, django_assert_max_num_queries, **extra) -> str:
    client.force_login(user)
    client.get(reverse("home"))  # session and permission caches warm
    with django_assert_max_num_queries(30) as queries:
        response = client.get(reverse(OVERVIEW), _query(case, **extra))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_thousands_of_lines_are_aggregated_and_paged_in_a_fixed_number_of_queries(
    client, privacy_officer, police, halt, police_case, django_assert_max_num_queries
):
    _many_lines(police_case.youth, [police], traces=2, lines_per_trace=1)
    _, few = _overview_queries(client, privacy_officer, police_case, django_assert_max_num_queries)
    _many_lines(police_case.youth, [police, halt], traces=300, lines_per_trace=10)
    page, many = _overview_queries(
        client, privacy_officer, police_case, django_assert_max_num_queries
    )
    assert many == few  # no query per line, per trace or per organisation
    overview = access_overview(police_case.youth)
    reads = [s for s in overview.summaries if s.action == "Casus ingezien"]
    assert {s.organisation: s.count for s in reads} == {
        "Politie Basisteam Maastricht": 1502,
        "Halt Limburg": 1500,
    }
    assert len(overview.lines) == 50 and overview.page.paginator.num_pages == 61
    # (3,002 lines, and the privacy officer's own views of the overview are lines too.)
    assert "Pagina 1 van 61" in page
    second, _ = _overview_queries(
        client, privacy_officer, police_case, django_assert_max_num_queries, pagina="2"
    )
    assert "Pagina 2 van 61" in second


# --- The PDF -------------------------------------------------------------------------------


def _pdf_text(response) -> str:
    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_a_letter_with_organisations_roles_activities_and_break_the_glass(
    client, privacy_officer, police_officer, halt_worker, processed
):
    client.force_login(privacy_officer)
    response = client.get(reverse(PDF), _query(processed))
    assert response.status_code == 200
    text = " ".join(_pdf_text(response).split())
    youth = processed.youth
    assert youth.full_name in text
    assert f"{youth.date_of_birth.day} " in text and str(youth.date_of_birth.year) in text
    assert "Inzageverzoek (artikel 15" in text and "Datum van uitgifte" in text
    assert "Politie Basisteam Maastricht" in text and "Halt Limburg" in text
    assert "Partnerprofessional" in text and "Casus ingezien" in text
    assert "Casusregie op de IJAM-ladder" in text and "AVG art. 6 lid 1 sub e" in text
    assert REASON in text and "te beoordelen" in text
    assert "Pagina 1 van" in text
    for name in (police_officer.get_full_name(), halt_worker.get_full_name()):
        assert name not in text
    assert SECRET not in text and processed.reference not in text  # no case content
    assert AuditEvent.objects.filter(
        action="access_overview_pdf.viewed", actor=privacy_officer, youth=youth
    ).exists()
    assert ProcessingLogLine.objects.filter(
        name="access_overview_pdf.viewed", data_subject_id=pseudonym(youth.pk)
    ).exists()


def test_the_pdf_names_staff_only_when_chosen_and_audits_the_choice(
    client, privacy_officer, director, police_officer, processed
):
    client.force_login(director)  # the procesregisseur cannot choose names
    text = _pdf_text(client.get(reverse(PDF), _query(processed, show_names="on")))
    assert police_officer.get_full_name() not in text
    client.force_login(privacy_officer)
    text = _pdf_text(client.get(reverse(PDF), _query(processed, show_names="on")))
    assert police_officer.get_full_name() in " ".join(text.split())
    (shown,) = AuditEvent.objects.filter(action="access_overview_staff_names.viewed")
    assert shown.actor == privacy_officer and shown.after == {"document": "pdf"}


def test_the_pdf_without_a_chosen_youth_says_so(client, privacy_officer):
    client.force_login(privacy_officer)
    response = client.get(reverse(PDF), {"last_name": "Niemand", "date_of_birth": "2010-01-01"})
    assert response.status_code == 404


ATTACK = "Css\n}}body{background:url(%s/healthz?x)}@page{@bottom-left{content:'x<b>vet</b>"


def test_a_hostile_name_is_shown_as_text_on_the_page_and_in_the_pdf(
    client, privacy_officer, police_case
):
    youth = police_case.youth
    youth.first_name = "<script>alert(1)</script>Eva"
    youth.save(update_fields=["first_name"])
    client.force_login(privacy_officer)
    page = client.get(reverse(OVERVIEW), _query(police_case)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    text = _pdf_text(client.get(reverse(PDF), _query(police_case)))
    assert "<script>alert(1)</script>Eva" in text  # shown as text, not markup


def test_a_hostile_name_cannot_break_out_of_the_pdf_footer(
    client,
    privacy_officer,
    police_case,
    listener,  # noqa: F811 - the fixture imported above
):
    base, hits = listener
    youth = police_case.youth
    youth.first_name = (ATTACK % base)[:100]
    youth.save(update_fields=["first_name"])
    client.force_login(privacy_officer)
    response = client.get(reverse(PDF), _query(police_case))
    assert response.status_code == 200
    _pdf_text(response)
    assert hits == []


def test_emergency_access_under_review_shows_its_verdict(client, privacy_officer, processed):
    access = EmergencyAccess.objects.get(case=processed)
    access.review = EmergencyAccess.Review.UNJUSTIFIED
    access.reviewed_at = timezone.now()
    access.save(update_fields=["review", "reviewed_at"])
    page = _page(client, privacy_officer, processed)
    assert "onterecht" in page
