# SPDX-License-Identifier: AGPL-3.0-or-later
"""The procesregisseur's case list: filters, search, paging, and a constant query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from workflows.ladder import services as ladder
from workflows.ladder.machine import NETWERKOVERLEG, PGA

pytestmark = pytest.mark.django_db


def make_cases(reporter, director, n, level=None, **youth):
    cases = []
    for _ in range(n):
        data = factories.youth_data(**youth)
        from casebook.services.signals import signal_register

        case = signal_register(
            reporter=reporter, category=factories.category(), description="x", new_youth=data
        ).case
        if level:
            ladder.case_screen_in(
                case=case,
                actor=director,
                target_level=level,
                reason="r",
                criteria=factories.criteria_for(level),
            )
        cases.append(case)
    return cases


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_query_count_does_not_grow_with_rows(client, director, police_officer):
    client.force_login(director)
    make_cases(police_officer, director, 2)
    few, _ = queries_for(client, reverse("casebook:case-list"))
    make_cases(police_officer, director, 12)
    many, page = queries_for(client, reverse("casebook:case-list"))
    assert many == few
    # incl. the audit INSERT of the read and its BEGIN/COMMIT, the session's second-factor
    # device (django-otp's OTPMiddleware, ADR 0014) and the processing log's two (the
    # register's current versions, one INSERT of every youth's line: ADR 0017)
    assert many <= 13
    assert "14 casussen gevonden" in page


def test_filter_by_level_and_search_by_name(client, director, police_officer):
    client.force_login(director)
    pga = make_cases(police_officer, director, 1, level=PGA, first_name="Dex", last_name="Pieters")
    make_cases(police_officer, director, 2, level=NETWERKOVERLEG)
    _, page = queries_for(client, reverse("casebook:case-list") + "?level=pga")
    assert "1 casus gevonden" in page and pga[0].reference in page
    _, page = queries_for(client, reverse("casebook:case-list") + "?q=dex+piet")
    assert "1 casus gevonden" in page
    _, page = queries_for(client, reverse("casebook:case-list") + f"?q={pga[0].reference}")
    assert "1 casus gevonden" in page


def test_filter_by_age_band_and_neighbourhood(client, director, police_officer):
    client.force_login(director)
    child = make_cases(police_officer, director, 1, age=10)[0]
    adult = make_cases(police_officer, director, 1, age=22)[0]
    _, page = queries_for(client, reverse("casebook:case-list") + "?age_band=8-12")
    assert child.reference in page and adult.reference not in page
    url = reverse("casebook:case-list") + f"?neighbourhood={adult.youth.neighbourhood_id}"
    _, page = queries_for(client, url)
    assert adult.reference in page and child.reference not in page


def test_closed_cases_are_hidden_unless_asked_for(client, director, police_officer):
    client.force_login(director)
    case = make_cases(police_officer, director, 1, level=NETWERKOVERLEG)[0]
    ladder.case_close(
        case=case, actor=director, closure_reason=factories.closure_reason(), reason="klaar"
    )
    _, page = queries_for(client, reverse("casebook:case-list"))
    assert case.reference not in page
    _, page = queries_for(client, reverse("casebook:case-list") + "?status=closed")
    assert case.reference in page


def test_pages_of_25(client, director, police_officer):
    client.force_login(director)
    make_cases(police_officer, director, 27)
    _, page = queries_for(client, reverse("casebook:case-list") + "?pagina=2")
    assert "Pagina 2 van 2" in page


def test_junk_in_the_query_string_is_neither_a_500_nor_in_the_audit_trail(client, police_officer):
    """Any partner could send a NUL byte or 60 kB of query string; the list answers and the
    trail records the validated filters only."""
    from casebook.models import AuditEvent

    client.force_login(police_officer)
    for query in ("?x=%00", "?q=%00", "?q=" + "a" * 5000, "?x=" + "b" * 60000):
        assert client.get(reverse("casebook:case-list") + query).status_code == 200
    for event in AuditEvent.objects.filter(action="case_list.viewed"):
        assert set(event.after["filters"]) == {
            "level",
            "status",
            "neighbourhood",
            "district",
            "age_band",
            "q",
        }
        assert "\x00" not in str(event.after) and len(str(event.after)) < 500
