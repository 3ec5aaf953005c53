# SPDX-License-Identifier: AGPL-3.0-or-later
"""The technical logs (ADR 0021) are JSON lines with a request id and the processing log's
trace id, and hold no personal data: a scripted scenario over the demo year, as the
procesregisseur, a partner, the privacy officer and the stuurgroep (every screen type that
shows youths, forms good and bad, a 404 and a 403, a PDF, the worker's e-mail jobs), logged
at DEBUG by every logger through the real formatter, never names a demo youth or their birth
date; nor do the e-mails. The real web server, started as in production, logs JSON and keeps
a name in a query string out of its access log."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import time
import urllib.request

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone

from casebook.models import (
    Case,
    Group,
    Neighbourhood,
    SignalCategory,
    User,
    Youth,
)
from ijam.__main__ import web_server_command
from ijam.demo.generator import seed_demo
from ijam.logs import REQUEST_ID_HEADER, JsonFormatter
from tests.test_secret_key import ROOT, STRONG_KEY, free_port, production
from workflows.meetings.models import Meeting
from workflows.tasks.models import PartnerTask

#: The loggers IJAM configures (settings.LOGGING) and its own packages.
LOGGERS = [
    "",
    *settings.LOGGING["loggers"],
    "ijam",
    "casebook",
    "workflows",
    "notifications",
    "reports",
    "weasyprint",
    "fontTools",
    "axes",
    "mozilla_django_oidc",
    "viewflow",
    "asyncio",
]
#: Pinned at INFO in settings.LOGGING, whatever LOG_LEVEL says: SQL with its parameters, and
#: template variable lookups with the whole template context (tests below check the pin).
PINNED = {"django.db.backends", "django.template"}


@pytest.fixture
def captured():
    """Everything logged, at DEBUG, by every logger, through IJAM's JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in LOGGERS if name not in PINNED]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def personal_data(youths) -> set[str]:
    """What must never be in a technical log: each youth's full name, last name, and birth
    date in ISO and Dutch notations."""
    needles = set()
    for youth in youths:
        born = youth.date_of_birth
        needles |= {
            f"{youth.first_name} {youth.last_name}",
            youth.full_name,
            youth.last_name,
            born.isoformat(),
            f"{born:%d-%m-%Y}",
            f"{born.day}-{born.month}-{born.year}",
            f"{born:%d/%m/%Y}",
            formats.date_format(born, "j F Y"),
        }
    return {needle for needle in needles if len(needle) >= 3}


def hits(text: str, needles: set[str]) -> list[str]:
    return sorted(
        needle
        for needle in needles
        if re.search(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", text, re.IGNORECASE)
    )


def get(client, user, url, params=None, status=200):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == status, (url, response.status_code)
    assert response[REQUEST_ID_HEADER]
    return response


def run_worker():
    from procrastinate.contrib.django import app

    # The connector the worker command uses (psycopg), as in production.
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(
            queues=["default", "notifications"], wait=False, install_signal_handlers=False
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scripted_scenario_logs_json_lines_without_personal_data(client, captured):
    assert seed_demo(youths=5, log=lambda _message: None)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE status = 'todo'")
    users = {user.username: user for user in User.objects.all()}
    director, privacy, steering = users["regisseur"], users["privacy"], users["stuurgroep"]
    case = (
        Case.objects.filter(level__in=["netwerkoverleg", "jonge_aanwas", "pga"])
        .select_related("youth")
        .first()
    )
    youth = case.youth

    # The procesregisseur: lists (with a name search), the case page, its PDF, groups,
    # meetings, the task overview, notifications; a 404.
    get(client, director, reverse("casebook:case-list"))
    get(client, director, reverse("casebook:case-list"), {"q": youth.last_name, "status": "all"})
    get(client, director, reverse("casebook:case-detail", args=[case.pk]))
    get(client, director, reverse("casebook:case-summary-pdf", args=[case.pk]))
    get(client, director, reverse("groups:list"))
    group = Group.objects.filter(members__isnull=False).first()
    get(client, director, reverse("groups:detail", args=[group.pk]))
    get(client, director, reverse("groups:member", args=[group.members.first().pk]))
    get(client, director, reverse("groups:document", args=[group.pk, "overzicht"]))
    get(client, director, reverse("meetings:calendar"))
    # A case put on a sitting's agenda (a form), the sitting's page and its agenda PDF.
    meeting = (
        Meeting.objects.filter(
            series__level=case.level, status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    action = reverse("meetings:action", args=[meeting.pk, "casus-toevoegen"])
    response = client.post(action, {"version": meeting.version, "case": case.reference})
    assert response.status_code == 302
    assert meeting.items.filter(case=case).exists()
    get(client, director, reverse("meetings:detail", args=[meeting.pk]))
    get(client, director, reverse("meetings:agenda-pdf", args=[meeting.pk]))
    get(client, director, reverse("workflows:overview"))
    get(client, director, reverse("notifications:list"))
    get(client, director, reverse("casebook:case-detail", args=[10**9]), status=404)

    # A partner: its inbox and a task, claimed and completed (a notification and its e-mail),
    # "Mijn signalen", a new signal about a new youth, and the same form with a bad date.
    task, partner = next(
        (task, users[name])
        for name in ("halt", "jeugdreclassering", "politie", "school", "jongerenwerk")
        if (
            task := PartnerTask.objects.filter(
                state="open", case__isnull=False, organisation=users[name].organisation
            ).first()
        )
    )
    get(client, partner, reverse("workflows:inbox"))
    get(client, partner, reverse("workflows:task-detail", args=[task.pk]))
    action = reverse("workflows:task-action", args=[task.pk, "oppakken"])
    assert client.post(action, {"version": task.version, "reason": ""}).status_code == 302
    task.refresh_from_db()
    action = reverse("workflows:task-action", args=[task.pk, "afronden"])
    response = client.post(action, {"version": task.version, "result": "Gesprek gevoerd."})
    assert response.status_code == 302
    get(client, partner, reverse("casebook:my-signals"))
    signal = {
        "category": SignalCategory.objects.filter(is_active=True).first().pk,
        "description": "Zorgen over schoolverzuim.",
        "first_name": "Scenario",
        "last_name": "Logscanner",
        "date_of_birth": "2011-03-14",
        "neighbourhood": Neighbourhood.objects.first().pk,
    }
    response = client.post(reverse("casebook:signal-register"), signal)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Youth.objects.filter(last_name="Logscanner").exists()
    bad = {**signal, "last_name": "Foutdatum", "date_of_birth": "31-02-2011"}
    response = client.post(reverse("casebook:signal-register"), bad)
    assert (
        response.status_code in (200, 400)
        and not Youth.objects.filter(last_name="Foutdatum").exists()
    )

    # The privacy officer: the access overview, asked by name and birth date; the queue.
    params = {"last_name": youth.last_name, "date_of_birth": youth.date_of_birth.isoformat()}
    get(client, privacy, reverse("casebook:access-overview"), params)
    get(client, privacy, reverse("casebook:emergency-queue"))

    # The stuurgroep: the reports, and a refused case list (403).
    get(client, steering, reverse("reports:overview"))
    get(client, steering, reverse("casebook:case-list"), {"q": youth.last_name}, status=403)

    # The worker: the e-mails of the notifications the scenario made (the demo year's own
    # are dropped first: they would only make the test slow).
    emails_before = len(mail.outbox)
    run_worker()
    assert len(mail.outbox) > emails_before

    lines = captured.getvalue().splitlines()
    assert lines, "the scenario logs something (at least the 404 and the 403)"
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    for record in records:
        assert {"time", "level", "logger", "message", "request_id", "trace_id"} <= set(record)
        assert record["time"].endswith("+00:00")
    refused = [r for r in records if r["logger"] == "django.request"]
    assert {r.get("status_code") for r in refused} >= {403, 404}
    for record in refused:  # logged while a request was served: both ids
        assert re.fullmatch(r"[0-9a-f]{32}", record["request_id"])
        assert re.fullmatch(r"[0-9a-f]{32}", record["trace_id"])
    assert any(r["logger"].startswith("procrastinate") for r in records)

    needles = personal_data(Youth.objects.all())
    assert "Logscanner" in needles
    leaks = [(hits(line, needles), line[:300]) for line in lines if hits(line, needles)]
    assert leaks == []
    for message in mail.outbox:
        assert hits(f"{message.subject}\n{message.body}", needles) == []


def test_sql_and_template_lookups_stay_out_whatever_the_log_level(settings):
    from ijam.logs import logging_config

    config = logging_config(log_format="json", level="DEBUG", procrastinate_level="DEBUG")
    for name in PINNED:
        assert config["loggers"][name]["level"] == "INFO"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_the_formatter_writes_the_fields_and_redacts_the_last_line_of_defence():
    record = logging.LogRecord(
        "casebook", logging.WARNING, __file__, 1, "zoeken op %s", ("/casussen/?q=Jansen",), None
    )
    record.request = object()  # Django's request object is never written
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "zoeken op /casussen/?[verwijderd]"
    assert line["level"] == "WARNING" and line["logger"] == "casebook"
    assert "request" not in line
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "geboren 14-03-2011, mail jan@example.nl", (), None
    )
    assert json.loads(JsonFormatter().format(record))["message"] == (
        "geboren [datum], mail [e-mailadres]"
    )


def test_the_access_log_filter_drops_the_query_string_itself():
    """Not left to the last line of defence: the access line's path argument loses it."""
    from ijam.logs import AccessLogFilter

    args = ("10.0.0.1:5", "GET", "/privacy/toegang/?last_name=Jansen", "1.1", 200)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", args, None)
    assert AccessLogFilter().filter(record)
    assert record.args[2] == "/privacy/toegang/?[verwijderd]"
    assert record.args[:2] == args[:2] and record.args[3:] == args[3:]


def test_the_web_server_started_as_in_production_logs_json_without_the_query_string():
    """The README's production command (and ./ijam.sh start's options): uvicorn with IJAM's
    log configuration; a request whose query string holds a name and a birth date."""
    port = free_port()
    command = web_server_command("127.0.0.1", port, workers=2)
    server = subprocess.Popen(  # noqa: S603 - a fixed command
        command,
        cwd=ROOT,
        env=production(STRONG_KEY, LOG_LEVEL="DEBUG"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/inloggen/?last_name=Scenariojongere&geboren=2011-03-14"
    try:
        deadline = time.monotonic() + 60
        headers = None
        while headers is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                    headers = response.headers
            except OSError:
                time.sleep(0.3)
        assert headers is not None, "no answer"
        request_id = headers[REQUEST_ID_HEADER]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
        time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines
    records = [json.loads(line) for line in lines]  # every line JSON, the supervisor's too
    assert "Scenariojongere" not in output and "2011-03-14" not in output
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert any("/inloggen/?[verwijderd]" in r["message"] for r in access), access
    assert any(r["request_id"] == request_id for r in access)
