# SPDX-License-Identifier: AGPL-3.0-or-later
"""The processing log (Logboek Dataverwerkingen, ADR 0017): every screen that shows youths
writes exactly one line per youth shown, in the standard's shape, under one trace per
request; a calling system's traceparent is the lines' foreign_operation; a 25-youth page
writes 25 lines in a fixed number of queries; the register is versioned."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from casebook.models import Case, ProcessingActivity, ProcessingLogLine, Signal, StatusCode
from casebook.services import processing
from casebook.services.processing import SUBJECT_TYPE, activity_revise, log_subjects, pseudonym
from tests.access_world import build_world
from workflows.ladder.machine import CLOSED
from workflows.tasks.models import OPEN_TASK_STATES, PartnerTask

pytestmark = pytest.mark.django_db

Code = ProcessingActivity.Code


@pytest.fixture
def spans():
    """Every span IJAM's provider ends, the request's root span included."""
    exporter = InMemorySpanExporter()
    multi = processing.provider._active_span_processor
    before = multi._span_processors
    multi.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    multi._span_processors = before


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The access matrix's world (tests/access_world.py), built once for this module inside a
    transaction rolled back at the end; each test runs in a savepoint of its own."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fast_pdf(monkeypatch):
    """WeasyPrint is not what these tests are about: a document's "PDF" is its HTML (which
    is where the lines are written)."""
    import sys

    from casebook import documents

    real = documents.to_pdf
    for module in list(sys.modules.values()):
        if getattr(module, "to_pdf", None) is real:
            monkeypatch.setattr(module, "to_pdf", lambda html: html.encode())


def fetch(client, user, url, **headers):
    """GET ``url`` as ``user`` and return the processing lines that request wrote."""
    client.force_login(user)
    ProcessingLogLine.objects.all().delete()
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return list(ProcessingLogLine.objects.select_related("processing_activity").order_by("pk"))


def assert_one_line_per_youth(lines, youth_ids, *, activity, action, root=None):
    """The exact shape of the lines of one request: one per youth, the standard's fields."""
    expected = {pseudonym(youth_id) for youth_id in youth_ids}
    assert expected, "the scenario must show at least one youth"
    subjects = [line.data_subject_id for line in lines]
    assert sorted(subjects) == sorted(expected), "exactly one line per youth shown"
    trace_ids = {bytes(line.trace_id) for line in lines}
    assert len(trace_ids) == 1 and len(trace_ids.pop()) == 16
    span_ids = [bytes(line.span_id) for line in lines]
    assert all(len(span_id) == 8 for span_id in span_ids) and len(set(span_ids)) == len(lines)
    parents = {bytes(line.parent_span_id) for line in lines}
    assert len(parents) == 1, "every line is a child of the request's one root span"
    parent = parents.pop()
    assert len(parent) == 8 and parent not in span_ids
    if root is not None:
        assert parent == root.context.span_id.to_bytes(8, "big")
        assert root.parent is None
        assert bytes(lines[0].trace_id) == root.context.trace_id.to_bytes(16, "big")
    for line in lines:
        record = line.as_logregel()
        assert set(record) == {
            "trace_id",
            "span_id",
            "parent_span_id",
            "name",
            "start_time",
            "end_time",
            "status_code",
            "foreign_operation",
            "resource",
            "attributes",
        }
        assert set(record["attributes"]) == {
            "dpl.core.processing_activity_id",
            "dpl.core.data_subject_id",
            "dpl.core.data_subject_id_type",
        }
        assert len(record["trace_id"]) == 32 and len(record["span_id"]) == 16
        assert record["name"] == action
        assert record["status_code"] == StatusCode.OK
        assert line.start_time <= line.end_time
        assert record["foreign_operation"] is None
        assert record["resource"]["service.name"] == "ijam"
        version = line.processing_activity
        assert version.code == activity and version.is_current
        assert record["attributes"]["dpl.core.processing_activity_id"] == version.uri
        assert version.uri.startswith("urn:uuid:")
        assert record["attributes"]["dpl.core.data_subject_id_type"] == SUBJECT_TYPE


def assert_pseudonymous(lines, youths):
    """No name and no database id in the clear."""
    for line in lines:
        for youth in youths:
            assert line.data_subject_id not in {str(youth.pk), youth.first_name, youth.full_name}
            assert youth.last_name not in str(line.as_logregel())


# --- Each screen type that shows youths ----------------------------------------------------


def test_case_list_writes_one_line_per_youth_on_the_page(client, world, spans):
    expected = set(Case.objects.exclude(level=CLOSED).values_list("youth_id", flat=True))
    lines = fetch(client, world.director, reverse("casebook:case-list"))
    root = next(s for s in spans.get_finished_spans() if s.name == "HTTP GET")
    assert_one_line_per_youth(
        lines, expected, activity=Code.CASE_COORDINATION, action="case_list.viewed", root=root
    )
    assert_pseudonymous(lines, world.youths())


def test_case_page_and_its_pdf(client, world):
    case = world.sides["own"].case
    lines = fetch(client, world.director, reverse("casebook:case-detail", args=[case.pk]))
    assert_one_line_per_youth(
        lines, [case.youth_id], activity=Code.CASE_COORDINATION, action="case.viewed"
    )
    lines = fetch(client, world.director, reverse("casebook:case-summary-pdf", args=[case.pk]))
    assert_one_line_per_youth(
        lines, [case.youth_id], activity=Code.CASE_COORDINATION, action="case_summary.viewed"
    )


def test_task_inbox_and_task_page(client, world):
    side = world.sides["own"]
    expected = {
        task.subject_youth_id
        for task in PartnerTask.objects.filter(
            organisation=side.organisation, state__in=OPEN_TASK_STATES
        ).select_related("case", "group_member")
    }
    assert len(expected) >= 2  # a case task and a group member's task
    lines = fetch(client, side.worker, reverse("workflows:inbox"))
    assert_one_line_per_youth(
        lines, expected, activity=Code.PARTNER_TASKS, action="task_inbox.viewed"
    )
    lines = fetch(client, side.worker, reverse("workflows:task-detail", args=[side.task.pk]))
    assert_one_line_per_youth(
        lines, [side.case.youth_id], activity=Code.PARTNER_TASKS, action="task.viewed"
    )


def test_the_task_overview_of_an_organisation(client, world):
    side = world.sides["own"]
    expected = {
        task.subject_youth_id
        for task in PartnerTask.objects.filter(
            organisation=side.organisation, state__in=OPEN_TASK_STATES
        ).select_related("case", "group_member")
    }
    url = reverse("workflows:overview") + f"?organisatie={side.organisation.pk}"
    lines = fetch(client, world.director, url)
    assert_one_line_per_youth(
        lines, expected, activity=Code.PARTNER_TASKS, action="task_overview.viewed"
    )


def test_my_signals(client, world):
    partner = world.sides["own"].worker
    expected = set(Signal.objects.filter(reporter=partner).values_list("youth_id", flat=True))
    lines = fetch(client, partner, reverse("casebook:my-signals"))
    assert_one_line_per_youth(lines, expected, activity=Code.SIGNAL, action="my_signals.viewed")


def test_group_page_member_page_and_group_pdfs(client, world):
    side = world.sides["own"]
    members = set(side.group.members.values_list("youth_id", flat=True))
    assert len(members) == 2
    lines = fetch(client, world.director, reverse("groups:detail", args=[side.group.pk]))
    # A member on the list and again as the subject of a task: one line.
    assert_one_line_per_youth(lines, members, activity=Code.GROUP_APPROACH, action="group.viewed")
    lines = fetch(client, world.director, reverse("groups:member", args=[side.member.pk]))
    assert_one_line_per_youth(
        lines, [side.member.youth_id], activity=Code.GROUP_APPROACH, action="group_member.viewed"
    )
    url = reverse("groups:document", args=[side.group.pk, "overzicht"])
    lines = fetch(client, world.director, url)
    assert_one_line_per_youth(
        lines, members, activity=Code.GROUP_APPROACH, action="group_overzicht_pdf.viewed"
    )
    url = reverse("groups:document", args=[side.group.pk, "plan"])
    lines = fetch(client, world.director, url)
    assert_one_line_per_youth(
        lines,
        [side.member.youth_id],  # the nuisance letter to the red member
        activity=Code.GROUP_APPROACH,
        action="group_plan_pdf.viewed",
    )


def test_meeting_pages_and_pdfs(client, world):
    side = world.sides["own"]
    youth = side.case.youth_id
    lines = fetch(client, world.director, reverse("meetings:detail", args=[side.meeting.pk]))
    assert_one_line_per_youth(lines, [youth], activity=Code.CASE_TABLES, action="meeting.viewed")
    # The held sitting shows the youth on the agenda and in two versions of the minutes.
    lines = fetch(client, world.director, reverse("meetings:detail", args=[side.held.pk]))
    assert_one_line_per_youth(lines, [youth], activity=Code.CASE_TABLES, action="meeting.viewed")
    lines = fetch(client, world.director, reverse("meetings:agenda-pdf", args=[side.meeting.pk]))
    assert_one_line_per_youth(lines, [youth], activity=Code.CASE_TABLES, action="agenda_pdf.viewed")
    url = reverse("meetings:minutes-pdf", args=[side.held.pk, side.confirmed_minutes.version])
    lines = fetch(client, world.director, url)
    assert_one_line_per_youth(
        lines, [youth], activity=Code.CASE_TABLES, action="minutes_pdf.viewed"
    )


def test_the_emergency_queue_logs_the_youth_of_each_access(client, world):
    from casebook.models import EmergencyAccess

    expected = set(EmergencyAccess.objects.values_list("case__youth_id", flat=True))
    lines = fetch(client, world.users["privacy"], reverse("casebook:emergency-queue"))
    assert_one_line_per_youth(
        lines, expected, activity=Code.PRIVACY, action="emergency_queue.viewed"
    )


def test_the_notification_list_logs_the_youth_a_notification_names(client, world):
    """A task's notification names its case (the case number): showing it is a processing
    of that youth; a notification about no youth writes nothing."""
    from notifications.services import notify

    side = world.sides["own"]
    worker = side.worker
    worker.notifications.all().delete()
    notify(recipients=[worker], message="Over niemand", url="/")
    lines = fetch(client, worker, reverse("notifications:list"))
    assert lines == []
    notify(
        recipients=[worker],
        message=f"Taak afgerond ({side.case.reference})",
        url="/",
        youth_id=side.case.youth_id,
        activity=Code.PARTNER_TASKS,
    )
    lines = fetch(client, worker, reverse("notifications:list"))
    assert_one_line_per_youth(
        lines,
        [side.case.youth_id],
        activity=Code.PARTNER_TASKS,
        action="notification_list.viewed",
    )


def test_a_task_notification_carries_its_youth(world):
    side = world.sides["own"]
    notification = side.notification  # "Nieuwe taak: … (IJAM-…)", the side's task
    assert side.case.reference in notification.message
    assert notification.youth_id == side.case.youth_id
    assert notification.processing_activity == Code.PARTNER_TASKS


def test_a_page_without_youths_writes_nothing(client, world):
    lines = fetch(client, world.users["steering"], reverse("reports:overview"))
    assert lines == []


# --- Changes -------------------------------------------------------------------------------


def test_a_change_is_a_line_under_its_process_once_committed(
    client, world, django_capture_on_commit_callbacks
):
    side = world.sides["own"]
    client.force_login(side.worker)
    ProcessingLogLine.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workflows:task-action", args=[side.task.pk, "oppakken"]),
            {"version": side.task.version, "reason": ""},
        )
    assert response.status_code == 302
    (line,) = ProcessingLogLine.objects.select_related("processing_activity")
    assert line.name == "task.claimed"
    assert line.processing_activity.code == Code.PARTNER_TASKS
    assert line.data_subject_id == pseudonym(side.case.youth_id)
    assert line.status_code == StatusCode.OK


def test_a_change_that_rolls_back_is_not_logged(world, django_capture_on_commit_callbacks):
    from casebook.models import AuditAction
    from casebook.services.audit import audit_record

    side = world.sides["own"]
    ProcessingLogLine.objects.all().delete()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        audit_record(
            actor=world.director,
            action=AuditAction.CASE_DETAILS_CHANGED,
            obj=side.case,
            case=side.case,
            youth=side.case.youth,
        )
        raise RuntimeError("rolled back")
    assert not ProcessingLogLine.objects.exists()


# --- Trace context -------------------------------------------------------------------------


def test_a_traceparent_becomes_foreign_operation_never_our_trace(client, world):
    case = world.sides["own"].case
    foreign_trace, foreign_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    lines = fetch(
        client,
        world.director,
        reverse("casebook:case-detail", args=[case.pk]),
        HTTP_TRACEPARENT=f"00-{foreign_trace}-{foreign_span}-01",
    )
    (line,) = lines
    assert line.foreign_operation == {"trace_id": foreign_trace, "span_id": foreign_span}
    assert bytes(line.trace_id).hex() != foreign_trace
    assert bytes(line.parent_span_id).hex() != foreign_span


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    ],
)
def test_a_malformed_traceparent_is_ignored(header):
    assert processing.parse_traceparent(header) is None


def test_two_requests_are_two_traces(client, world):
    case = world.sides["own"].case
    url = reverse("casebook:case-detail", args=[case.pk])
    first = fetch(client, world.director, url)[0]
    second = fetch(client, world.director, url)[0]
    assert bytes(first.trace_id) != bytes(second.trace_id)


# --- Cost ----------------------------------------------------------------------------------


def _register_cases(world, n):
    from casebook.services.signals import signal_register
    from tests import factories

    for _ in range(n):
        signal_register(
            reporter=world.sides["own"].worker,
            category=factories.category(),
            description="x",
            new_youth=factories.youth_data(),
        )


def _case_list_queries(client, user):
    client.force_login(user)
    ProcessingLogLine.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("casebook:case-list"))
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_25_youth_list_writes_25_lines_in_a_fixed_number_of_queries(client, world):
    shown = Case.objects.exclude(level=CLOSED).count()
    processing.forget_register()
    cold = _case_list_queries(client, world.director)
    few = _case_list_queries(client, world.director)
    assert ProcessingLogLine.objects.count() == shown
    _register_cases(world, 25 - shown)
    many = _case_list_queries(client, world.director)
    assert ProcessingLogLine.objects.count() == 25
    assert len(many) == len(few) == len(cold) - 1
    # The register is read once per process; then a page's lines are one statement.
    assert len([sql for sql in cold if "processing" in sql]) == 2
    (log_query,) = [sql for sql in many if "processing" in sql]
    assert "INSERT INTO casebook_processinglogline" in log_query


def test_a_version_revised_by_another_process_is_what_the_next_line_points_to(world):
    """Another process's revision is not in this process's cache: the line still points to
    the current version (the INSERT resolves it), and the cache is read again."""
    youth = world.sides["own"].case.youth_id
    processing.forget_register()
    old = processing.register()[Code.CASE_COORDINATION]
    # As activity_revise in another process would leave the register (without our cache).
    newer = ProcessingActivity.objects.get(pk=old.pk)
    newer.pk, newer.uuid, newer.version = None, uuid.uuid4(), old.version + 1
    ProcessingActivity.objects.filter(pk=old.pk).update(superseded_at=timezone.now())
    newer.save(force_insert=True)
    ProcessingLogLine.objects.all().delete()
    log_subjects(Code.CASE_COORDINATION, [youth], "case.viewed")
    (line,) = ProcessingLogLine.objects.all()
    assert line.processing_activity_id == newer.pk
    assert processing.register()[Code.CASE_COORDINATION].pk == newer.pk


def test_a_line_without_a_current_activity_version_fails_the_request(world):
    youth = world.sides["own"].case.youth_id
    processing.register()
    ProcessingActivity.objects.filter(code=Code.SIGNAL).update(superseded_at=timezone.now())
    with pytest.raises(RuntimeError, match="no current activity version"):
        log_subjects(Code.SIGNAL, [youth], "signal.viewed")
    processing.forget_register()


def test_the_same_youth_twice_in_one_trace_is_one_line(world):
    youth = world.sides["own"].case.youth_id
    ProcessingLogLine.objects.all().delete()
    with processing.processing_trace("job"):
        assert log_subjects(Code.CASE_COORDINATION, [youth, youth], "case.viewed") == 1
        assert log_subjects(Code.CASE_COORDINATION, [youth], "case.viewed") == 0
    assert ProcessingLogLine.objects.count() == 1


def test_outside_a_request_a_call_is_its_own_trace():
    ProcessingLogLine.objects.all().delete()
    log_subjects(Code.SIGNAL, [1, 2], "signal.reminded")
    lines = list(ProcessingLogLine.objects.all())
    assert len(lines) == 2 and len({bytes(line.trace_id) for line in lines}) == 1


# --- Pseudonyms ----------------------------------------------------------------------------


def test_the_pseudonym_is_keyed():
    ours = pseudonym(42)
    assert ours == pseudonym(42) and ours != pseudonym(43)
    assert ours != pseudonym(42, key="another-key-of-at-least-thirty-two-chars")
    assert len(ours) == 32 and ours != "42"


def test_the_pseudonym_uses_the_configured_key(settings):
    before = pseudonym(42)
    settings.IJAM_PSEUDONYM_KEY = "a-different-key-of-at-least-thirty-two-chars"
    assert pseudonym(42) != before


# --- The register --------------------------------------------------------------------------


def test_the_register_is_seeded_with_one_current_version_per_activity():
    current = ProcessingActivity.objects.filter(superseded_at__isnull=True)
    assert {a.code for a in current} == set(Code.values)
    assert current.count() == len(Code.values)
    pga = current.get(code=Code.CASE_COORDINATION)
    assert "zvh_convenant" in pga.legal_bases and "avg_6_1_e" in pga.legal_bases
    groups = current.get(code=Code.GROUP_APPROACH)
    assert "modelconvenant_jga" in groups.legal_bases


def test_an_edit_is_a_new_version_and_old_lines_keep_pointing_to_the_old_one(world):
    youth = world.sides["own"].case.youth_id
    ProcessingLogLine.objects.all().delete()
    log_subjects(Code.CASE_COORDINATION, [youth], "case.viewed")
    old_line = ProcessingLogLine.objects.get()
    old = ProcessingActivity.objects.get(code=Code.CASE_COORDINATION, superseded_at__isnull=True)

    new = activity_revise(activity=old, actor=world.director, changes={"retention_months": 84})

    old.refresh_from_db()
    assert new.pk != old.pk and new.uri != old.uri and new.version == old.version + 1
    assert old.superseded_at is not None and old.superseded_by == new
    assert new.retention_months == 84 and old.retention_months == 60
    log_subjects(Code.CASE_COORDINATION, [youth], "case.viewed")
    new_line = ProcessingLogLine.objects.exclude(pk=old_line.pk).get()
    old_line.refresh_from_db()
    assert old_line.attributes["dpl.core.processing_activity_id"] == old.uri
    assert new_line.attributes["dpl.core.processing_activity_id"] == new.uri
    with pytest.raises(Exception, match="vervangen"):
        activity_revise(activity=old, actor=world.director, changes={"name": "x"})


def test_the_admin_change_form_makes_a_new_version(client, world):
    from casebook.models import AuditEvent

    admin = world.users["admin"]
    client.force_login(admin)
    old = ProcessingActivity.objects.get(code=Code.SIGNAL, superseded_at__isnull=True)
    url = reverse("admin:casebook_processingactivity_change", args=[old.pk])
    assert client.get(url).status_code == 200
    data = {name: getattr(old, name) for name in processing.REVISABLE}
    data["legal_bases"] = old.legal_bases
    data["retention_months"] = 18
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = ProcessingActivity.objects.get(code=Code.SIGNAL, superseded_at__isnull=True)
    assert new.pk != old.pk and new.retention_months == 18
    old.refresh_from_db()
    assert old.retention_months == 12 and old.superseded_by == new
    event = AuditEvent.objects.filter(action="admin.changed").latest("id")
    assert event.before["retention_months"] == 12 and event.after["retention_months"] == 18
    # The old version is read-only now.
    assert client.post(url, data).status_code == 403
