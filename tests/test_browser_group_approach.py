# SPDX-License-Identifier: AGPL-3.0-or-later
"""End to end in Chromium: a youth group from a partner's signal to closure through all seven
steps of the 7-stappenmodel — members, duiding, the driehoek's priority, the plan, partner work,
evaluation and hand-over — with a refused gate on the way."""

from __future__ import annotations

import datetime as dt

import pytest

from casebook.models import Group, Neighbourhood, OrganisationKind, Role
from tests import factories
from tests.browser import log_in
from workflows.groups.steps import GroupStep
from workflows.tasks.models import PartnerTask, TaskState

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def decide(page, move: str, reason: str, **extra) -> None:
    page.locator("#id_move").select_option(label=move)
    if "priority" in extra:
        page.locator("#id_priority").select_option(extra["priority"])
    if "evaluation" in extra:
        page.locator("#id_evaluation").fill(extra["evaluation"])
    for label in extra.get("hand_over", ()):
        page.get_by_label(label).check()
    page.locator("#id_step_reason").fill(reason)
    page.get_by_role("button", name="Besluit vastleggen").click()


def add_member(page, first_name: str, born: dt.date, tier: str, neighbourhood) -> None:
    page.get_by_text("Lid toevoegen", exact=True).click()
    page.locator("#id_member_first_name").fill(first_name)
    page.locator("#id_member_last_name").fill("Janssen")
    page.locator("#id_member_date_of_birth").fill(born.isoformat())
    page.locator("#id_member_neighbourhood").select_option(value=str(neighbourhood.pk))
    page.locator("#id_member_role").select_option(label="Kern")
    page.locator("#id_member_tier").select_option(label=tier)
    page.locator("#id_member_reason").fill("Genoemd in de groepsscan")
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    assert page.get_by_text("Het lid is toegevoegd.").is_visible()


def test_group_from_signal_to_closure_in_the_browser(page, director, police, police_officer):
    youth_work = factories.organisation(OrganisationKind.JONGERENWERK, "Trajekt (browser)")
    youth_worker = factories.user(Role.PARTNER, youth_work, first_name="Jesse")
    wyck = Neighbourhood.objects.order_by("name").first()

    # Step 1: the youth worker shares a signal about group behaviour.
    log_in(page, youth_worker)
    page.get_by_role("link", name="Groepen", exact=True).click()
    page.get_by_role("link", name="Signaal over groepsgedrag melden").click()
    page.get_by_label("Naam of omschrijving van de groep").fill("Groep Bassin")
    page.get_by_label("Hotspots (plekken, ook online)").fill("Bassin, kademuur")
    page.get_by_label("Wat heeft u gezien of gehoord?").fill(
        "Sinds september elke avond 12 jongeren bij het Bassin; vernielingen en intimidatie."
    )
    page.get_by_role("button", name="Signaal versturen").click()
    assert page.get_by_text("Uw signaal over Groep Bassin is vastgelegd").is_visible()
    group = Group.objects.get(name="Groep Bassin")

    # The procesregisseur gathers information: two members, then on to step 2.
    log_in(page, director)
    page.goto(f"/groepen/{group.pk}/")
    add_member(page, "Sem", factories.birth_date(16), "rood", wyck)
    add_member(page, "Noah", factories.birth_date(15), "geel", wyck)
    decide(page, "Door naar de volgende stap", "Signalen van jongerenwerk en politie bevestigd")
    assert page.get_by_text("2. Beoordelen groepsgedrag").first.is_visible()
    scan = PartnerTask.objects.get(group=group, task_type__code="groepsscan")
    assert scan.organisation == police

    # The police add their group scan as information (any step).
    log_in(page, police_officer)
    page.goto(f"/groepen/{group.pk}/")
    page.get_by_text("Informatie toevoegen", exact=True).click()
    page.get_by_label("Soort informatie").select_option(label="groepsscan politie")
    page.get_by_label("Informatie", exact=True).fill("Sem is leider; drie incidenten sinds juli.")
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    assert page.get_by_text("De informatie is toegevoegd.").is_visible()

    # Steps 2 → 3 → (refused) → duiding → 4 → 5.
    log_in(page, director)
    page.goto(f"/groepen/{group.pk}/")
    decide(page, "Door naar de volgende stap", "2B: ledenlijst en groepsscan compleet")
    decide(page, "Door naar de volgende stap", "Duiding klaar?")
    assert page.get_by_text(
        "De groepsduiding en het concept plan zijn nog niet compleet"
    ).is_visible()
    page.get_by_text("Duiding en plan bijwerken", exact=True).click()
    page.get_by_label("overlast", exact=True).check()
    page.get_by_label("Groepsdynamiek").fill("Vaste kern van drie, aanhang wisselt per avond.")
    page.get_by_label("Doelen van het (concept) plan van aanpak").fill(
        "Overlast bij het Bassin binnen drie maanden terugdringen."
    )
    page.get_by_role("button", name="Opslaan", exact=True).click()
    assert page.get_by_text("De groepsduiding is bijgewerkt.").is_visible()
    decide(page, "Door naar de volgende stap", "Duiding en concept plan gereed")
    decide(page, "Door naar de volgende stap", "Driehoek 12 november", priority="hoog")
    assert page.get_by_text("prioriteit driehoek: hoog").is_visible()

    # Step 5: the integral plan; adopting it starts the partner work.
    page.get_by_text("Actie opnemen in het plan", exact=True).click()
    page.locator("#id_actie_track").select_option(label="groepsgericht")
    page.locator("#id_actie_description").fill("Outreachend jongerenwerk op vrijdagavond")
    page.locator("#id_actie_organisation").select_option(label=youth_work.name)
    page.get_by_role("button", name="Opnemen in het plan").click()
    assert page.get_by_text("De actie staat in het plan").is_visible()
    decide(page, "Door naar de volgende stap", "Plan vastgesteld in het groepsoverleg")
    assert page.get_by_text("6. Uitvoeren en monitoren").first.is_visible()

    # Step 6: the youth worker carries out the action.
    log_in(page, youth_worker)
    page.get_by_role("link", name="Taken", exact=True).click()
    page.get_by_role("link", name="Actie uit het plan van aanpak jeugdgroep").click()
    page.get_by_role("button", name="Taak oppakken").click()
    page.get_by_label("Resultaat").fill("Vier vrijdagen aanwezig; groep kleiner geworden.")
    page.get_by_role("button", name="Afronden").click()
    assert page.get_by_text("De taak is afgerond.").is_visible()

    # Step 7: evaluate, hand over the police scan, close.
    log_in(page, director)
    page.goto(f"/groepen/{group.pk}/")
    decide(page, "Door naar de volgende stap", "Doelen bereikt")
    decide(
        page,
        "Afronden en afsluiten",
        "Groep uiteengevallen",
        evaluation="Overlast sterk afgenomen; Sem in traject bij jeugdreclassering.",
        hand_over=["Groepsscan en advies politie"],
    )
    assert page.get_by_text("Gesloten").first.is_visible()

    group.refresh_from_db()
    assert group.step == GroupStep.CLOSED and group.priority == "hoog"
    assert group.step_decisions.count() == 7
    scan.refresh_from_db()
    assert scan.state == TaskState.OPEN  # handed over, not cancelled
    monitoring = PartnerTask.objects.get(group=group, task_type__code="groepsmonitoring")
    assert monitoring.state == TaskState.CANCELLED
    action = PartnerTask.objects.get(group=group, task_type__code="groepsactie")
    assert action.state == TaskState.DONE
