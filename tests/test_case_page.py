# SPDX-License-Identifier: AGPL-3.0-or-later
"""The case page: the procesregisseur screens, escalates and closes through forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casebook.models import AuditEvent, Case
from tests import factories
from workflows.ladder.machine import JONGE_AANWAS, NETWERKOVERLEG, PGA

pytestmark = pytest.mark.django_db


def post_move(client, case, slug, **data):
    data.setdefault("version", Case.objects.get(pk=case.pk).version)
    return client.post(reverse("casebook:case-transition", args=[case.pk, slug]), data)


def criteria_values(level):
    return [f"{level}:{code}" for code in factories.criteria_for(level)]


def test_case_page_shows_screening_form_with_criteria(client, director, case_awaiting):
    client.force_login(director)
    page = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk])).content.decode()
    assert "Laten instromen" in page
    assert "Niet oppakken (afsluiten)" in page
    assert "Opschalen" not in page
    for value in criteria_values(PGA):
        assert value in page


def test_screen_in_then_escalate_through_the_forms(client, director, case_awaiting):
    client.force_login(director)
    response = post_move(
        client,
        case_awaiting,
        "instromen",
        target_level=NETWERKOVERLEG,
        criteria=criteria_values(NETWERKOVERLEG),
        reason="Signalen van school en politie",
    )
    assert response.status_code == 302
    response = post_move(
        client,
        case_awaiting,
        "opschalen",
        target_level=JONGE_AANWAS,
        criteria=criteria_values(JONGE_AANWAS),
        reason="Benaderd voor klusjes",
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "De casus is opgeschaald." in page
    assert "Benaderd voor klusjes" in page  # on the timeline
    assert Case.objects.get(pk=case_awaiting.pk).level == JONGE_AANWAS


def test_missing_criteria_get_a_clear_error_and_change_nothing(client, director, case_awaiting):
    client.force_login(director)
    response = post_move(
        client, case_awaiting, "instromen", target_level=PGA, criteria=[], reason="Ernstig"
    )
    assert response.status_code == 400
    assert "voldoet niet aan de criteria" in response.content.decode()
    assert Case.objects.get(pk=case_awaiting.pk).level == "awaiting_screening"


def test_stale_form_gets_409_with_explanation(client, director, case_awaiting):
    client.force_login(director)
    stale = case_awaiting.version
    post_move(
        client,
        case_awaiting,
        "instromen",
        target_level=NETWERKOVERLEG,
        criteria=criteria_values(NETWERKOVERLEG),
        reason="eerste",
        version=stale,
    )
    writes = AuditEvent.objects.filter(kind=AuditEvent.Kind.WRITE).count()
    response = post_move(
        client,
        case_awaiting,
        "opschalen",
        target_level=PGA,
        criteria=criteria_values(PGA),
        reason="tweede",
        version=stale,
    )
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in response.content.decode()
    assert Case.objects.get(pk=case_awaiting.pk).level == NETWERKOVERLEG
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.WRITE).count() == writes


def test_partner_cannot_post_a_move(client, police_officer, case_awaiting):
    client.force_login(police_officer)
    response = post_move(
        client,
        case_awaiting,
        "instromen",
        target_level=NETWERKOVERLEG,
        criteria=criteria_values(NETWERKOVERLEG),
        reason="x",
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case_awaiting.pk).level == "awaiting_screening"


def test_closing_from_a_level(client, director, case_awaiting):
    client.force_login(director)
    post_move(
        client,
        case_awaiting,
        "instromen",
        target_level=NETWERKOVERLEG,
        criteria=criteria_values(NETWERKOVERLEG),
        reason="in",
    )
    reason = factories.closure_reason(name="Doel bereikt")
    response = post_move(
        client, case_awaiting, "afsluiten", closure_reason=reason.pk, reason="Gaat naar school"
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Doel bereikt" in page
    assert "Besluit vastleggen" not in page  # a closed case has no forms left


def test_director_sets_system_approach_and_criminal_law_flag(client, director, case_awaiting):
    client.force_login(director)
    url = reverse("casebook:case-details", args=[case_awaiting.pk])
    response = client.post(
        url,
        {
            "approach": "system",
            "criminal_law_component": "on",
            "reason": "Broer ook in beeld; OM sluit aan.",
            "version": case_awaiting.version,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case_awaiting.pk)
    assert case.approach == "system" and case.criminal_law_component
    event = AuditEvent.objects.get(case=case, action="case.details_changed")
    assert event.before == {"aanpak": "individual", "strafrechtelijk": False}


def test_family_links_show_each_relatives_case(client, director, case_awaiting, halt_worker):
    from casebook.services.cases import family_link_add

    sibling_case = factories.signal(halt_worker).case
    family_link_add(
        actor=director,
        youth=case_awaiting.youth,
        relation="sibling",
        related_youth=sibling_case.youth,
    )
    client.force_login(director)
    page = client.get(reverse("casebook:case-detail", args=[sibling_case.pk])).content.decode()
    assert "Gezin en familie" in page
    assert case_awaiting.youth.full_name in page and case_awaiting.reference in page


def test_case_page_has_unique_ids_so_labels_point_at_their_own_field(
    client, director, case_awaiting, halt_worker
):
    import collections
    import re

    post_move(
        client.force_login(director) or client,
        case_awaiting,
        "instromen",
        target_level=JONGE_AANWAS,
        criteria=criteria_values(JONGE_AANWAS),
        reason="in",
    )
    factories.signal(halt_worker, youth=case_awaiting.youth)  # a signal awaiting a decision
    page = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk])).content.decode()
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    for target in re.findall(r'\sfor="([^"]+)"', page):
        assert target in ids, f"label for={target} points at nothing"
    assert "Besluit over signaal" in page and "Opschalen" in page and "Afschalen" in page


def test_director_links_a_sibling_by_case_number_and_a_parent_by_name(
    client, director, case_awaiting, halt_worker
):
    sibling_case = factories.signal(halt_worker).case
    client.force_login(director)
    url = reverse("casebook:case-family-add", args=[case_awaiting.pk])
    response = client.post(
        url,
        {
            "relation": "sibling",
            "related_case": sibling_case.reference,
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "relation": "parent",
            "related_name": "Fatima El Amrani",
            "version": factories.version(case_awaiting),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("casebook:case-detail", args=[case_awaiting.pk])).content.decode()
    assert sibling_case.reference in page and "Fatima El Amrani" in page

    version = factories.version(case_awaiting)
    response = client.post(
        url, {"relation": "sibling", "related_case": "IJAM-999999", "version": version}
    )
    assert response.status_code == 400
    assert "Geen casus gevonden met dit nummer." in response.content.decode()
    response = client.post(url, {"relation": "parent", "version": version})
    assert response.status_code == 400
    assert "vul de naam van het familielid in" in response.content.decode()
