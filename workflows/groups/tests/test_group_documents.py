# SPDX-License-Identifier: AGPL-3.0-or-later
"""The group overview and plan of approach as documents per recipient organisation: the ZVH
and core partners get the whole picture (members with tiers, cases, tier history), an executing
partner only the members its organisation has work about, without tiers, and the group- and
domain-wide actions plus its own; an organisation outside the approach gets nothing."""

from __future__ import annotations

import pytest
from django.http import Http404

from casebook.documents import to_pdf
from casebook.models import SignalCategory
from tests import factories
from workflows.groups.documents import group_overview_html, group_plan_html
from workflows.groups.services.bulk import group_bulk_action
from workflows.groups.services.participants import group_note_add, group_participant_set
from workflows.groups.services.plan import group_interpretation_update, group_plan_action_add
from workflows.groups.services.signals import group_member_spin_off
from workflows.groups.services.steps import group_step_move
from workflows.tasks.models import TaskType
from workflows.tasks.services import task_claim, task_complete

pytestmark = pytest.mark.django_db

TIER_WORDS = ("kleur", "rood", "oranje", "geel")


@pytest.fixture
def group(director, police, youth_work):
    """Mosae Forum with three members; the police are a core partner (driehoek), the youth work
    an executing partner."""
    group = factories.youth_group(director, "Mosae Forum (document)")
    group_participant_set(group=group, actor=director, organisation=youth_work, access="uitvoerend")
    return group


def member(group, first_name):
    return group.members.get(youth__first_name=first_name)


def run_to_execution(group, director, police, youth_work):
    """Steps 1 → 6 with a plan: a group-wide action each for the youth work and the police,
    an individual action about Bram for the youth work, a family action about Ayoub for the
    police; no domain action."""
    for reason in ("Signalen rond het winkelcentrum", "Ledenlijst voldoet"):
        group = group_step_move(group=group, actor=director, move="advance", reason=reason)
    group = group_interpretation_update(
        group=group,
        actor=director,
        expected_version=group.version,
        problem_types=["overlast", "criminaliteit"],
        dynamics="Grote wisselende groep rond het winkelcentrum",
        roles_description="Twee leiders, verder meelopers",
        context="Sluiting van het jongerencentrum in de wijk",
        plan_goals="Overlast rond Mosae Forum binnen drie maanden terug",
        legacy_label="overlastgevend",
    )
    group = group_step_move(group=group, actor=director, move="advance", reason="Duiding compleet")
    group = group_step_move(
        group=group,
        actor=director,
        move="advance",
        reason="Driehoek geeft hoge prioriteit",
        priority="hoog",
    )
    action_type = TaskType.objects.get(code="groepsactie")
    for track, organisation, who, description in (
        ("groep", youth_work, None, "Outreachend jongerenwerk op vrijdagavond"),
        ("groep", police, None, "Extra surveillance bij de hotspot"),
        ("individu", youth_work, "Bram", "Bram toeleiden naar een sportvereniging"),
        ("gezin", police, "Ayoub", "Huisbezoek bij de ouders van Ayoub"),
    ):
        group_plan_action_add(
            group=group,
            actor=director,
            track=track,
            task_type=action_type,
            organisation=organisation,
            description=description,
            member=member(group, who) if who else None,
        )
    return group_step_move(group=group, actor=director, move="advance", reason="Plan vastgesteld")


def finish(action_description, worker, result):
    from casebook.models import GroupPlanAction

    task = GroupPlanAction.objects.get(description=action_description).task
    task = task_claim(task=task, actor=worker)
    return task_complete(task=task, actor=worker, result=result)


# --- Group overview ---------------------------------------------------------------------------


def test_executing_copy_names_only_its_own_members_without_tiers(
    group, director, police, youth_work
):
    group = run_to_execution(group, director, police, youth_work)
    html = group_overview_html(group, youth_work)
    assert "Groepsoverzicht Mosae Forum (document)" in html
    assert "Exemplaar voor <strong>Trajekt jongerenwerk</strong>" in html
    assert "Volledig exemplaar" not in html
    assert "Bram Lid" in html  # its organisation has a task about Bram
    assert "Ayoub Lid" not in html and "Chayenne Lid" not in html
    lowered = html.lower()
    for word in TIER_WORDS:
        assert word not in lowered, word
    assert "Kleurwijzigingen" not in html
    # The group itself and its duiding are there for every participant.
    assert "6. Uitvoeren en monitoren" in html
    assert "criminaliteit" in html and "Grote wisselende groep" in html
    assert "3 leden, van wie 3 jonger dan 23 jaar" in html


def test_core_and_full_copies_hold_every_member_with_tier(group, director, police, youth_work):
    group = run_to_execution(group, director, police, youth_work)
    for recipient, line in (
        (police, "Exemplaar voor <strong>Politie Basisteam Maastricht</strong>"),
        (None, "Volledig exemplaar (Zorg- en Veiligheidshuis)"),
    ):
        html = group_overview_html(group, recipient)
        assert line in html
        assert "Ayoub Lid" in html and "Bram Lid" in html and "Chayenne Lid" in html
        assert '<th scope="col">Kleur</th>' in html
        assert "Aantal leden per kleur" in html and "Kleurwijzigingen" in html
        assert "Groepsscan politie" in html  # the reason of the tier decisions
    html = group_overview_html(group, None)
    # Per-tier counts: one red, one orange, one yellow member.
    assert '<th scope="col">Rood</th><th scope="col">Oranje</th><th scope="col">Geel</th>' in html
    assert "<td>1</td><td>1</td><td>1</td>" in html
    # Red members come first in the members table.
    assert html.index("Ayoub Lid") < html.index("Bram Lid") < html.index("Chayenne Lid")


def test_the_zvh_as_recipient_gets_the_full_copy(group, zvh):
    html = group_overview_html(group, zvh)
    assert "Volledig exemplaar (Zorg- en Veiligheidshuis)" in html
    assert "Exemplaar voor" not in html
    assert "Chayenne Lid" in html and "Kleurwijzigingen" in html


def test_overview_shows_decisions_duiding_and_participants(group, director, police, youth_work):
    group = run_to_execution(group, director, police, youth_work)
    html = group_overview_html(group, youth_work)
    assert "<td>3. Groepsduiding en concept plan van aanpak</td>" in html
    assert "<td>4. Adviseren en prioriteren</td>" in html
    assert "Driehoek geeft hoge prioriteit" in html and "Petra Regisseur" in html
    assert "Prioriteit (driehoek)</th><td>hoog</td>" in html
    assert "overlastgevend (Beke, tot 2015)" in html and "oud label" in html
    assert "Trajekt jongerenwerk</th><td>Uitvoerend" in html
    assert "Politie Basisteam Maastricht</th><td>Kernpartner" in html
    group = group_interpretation_update(
        group=group, actor=director, expected_version=group.version, legacy_label=""
    )
    html = group_overview_html(group, youth_work)
    assert "Beke" not in html and "oud label" not in html.lower()


def test_open_cases_only_in_the_full_copy(group, director, police, youth_work):
    group = run_to_execution(group, director, police, youth_work)
    bram = group_member_spin_off(
        member=member(group, "Bram"),
        actor=director,
        category=SignalCategory.objects.first(),
        description="Zorgen thuis",
    )
    reference = bram.spun_off_case.reference
    full = group_overview_html(group, None)
    assert f"{reference} ({bram.spun_off_case.get_level_display()})" in full
    executing = group_overview_html(group, youth_work)
    assert "Bram Lid" in executing and reference not in executing


def test_notes_follow_need_to_know(group, director, youth_worker, youth_work):
    group_note_add(group=group, actor=director, kind="informatie", text="Politiebericht")
    group_note_add(
        group=group, actor=youth_worker, kind="signaal", text="Groep hangt bij de skatebaan"
    )
    full = group_overview_html(group, None)
    assert "Politiebericht" in full and "Groep hangt bij de skatebaan" in full
    executing = group_overview_html(group, youth_work)
    assert "Groep hangt bij de skatebaan" in executing and "Politiebericht" not in executing


def test_an_organisation_outside_the_approach_gets_nothing(group, halt):
    with pytest.raises(Http404):
        group_overview_html(group, halt)
    with pytest.raises(Http404):
        group_plan_html(group, halt)


def test_overview_pdf_is_a_pdf(group, youth_work):
    pdf = to_pdf(group_overview_html(group, youth_work))
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


# --- Plan of approach -------------------------------------------------------------------------


def test_full_plan_groups_actions_per_track_in_order(group, director, police, youth_work):
    group = run_to_execution(group, director, police, youth_work)
    html = group_plan_html(group, None)
    assert "Plan van aanpak Mosae Forum (document)" in html
    assert "Overlast rond Mosae Forum binnen drie maanden terug" in html
    assert "elke 6 weken" in html
    headings = [
        html.index(f"<h3>{label}</h3>")
        for label in ("Groepsgericht", "Persoonsgericht", "Gezinsgericht", "Domeingericht")
    ]
    assert headings == sorted(headings)
    group_track, individual, family, domain = headings
    assert group_track < html.index("Outreachend jongerenwerk op vrijdagavond") < individual
    assert group_track < html.index("Extra surveillance bij de hotspot") < individual
    assert individual < html.index("Bram toeleiden naar een sportvereniging") < family
    assert family < html.index("Huisbezoek bij de ouders van Ayoub") < domain
    assert html.index("Geen acties in dit spoor") > domain  # the empty domain track
    assert html.count("Geen acties in dit spoor") == 1
    assert "Taak: open, deadline " in html
    # Work outside the plan: the group scan and the monitoring.
    assert "Groepsscan en advies politie" in html and "Monitoring groepsaanpak" in html


def test_executing_plan_shows_group_wide_and_own_actions_only(group, director, police, youth_work):
    group = run_to_execution(group, director, police, youth_work)
    html = group_plan_html(group, youth_work)
    assert "Exemplaar voor <strong>Trajekt jongerenwerk</strong>" in html
    assert "Outreachend jongerenwerk op vrijdagavond" in html
    assert "Extra surveillance bij de hotspot" in html  # group-wide, by the police
    assert "Bram toeleiden naar een sportvereniging" in html and "Bram Lid" in html
    assert "Huisbezoek bij de ouders van Ayoub" not in html and "Ayoub" not in html
    assert "<h3>Groepsgericht</h3>" in html and "<h3>Persoonsgericht</h3>" in html
    assert "<h3>Gezinsgericht</h3>" not in html and "<h3>Domeingericht</h3>" not in html
    assert "Geen acties in dit spoor" not in html
    assert "Groepsscan en advies politie" not in html and "Monitoring groepsaanpak" not in html
    lowered = html.lower()
    for word in TIER_WORDS:
        assert word not in lowered, word


def test_plan_shows_outcomes_of_closed_tasks_to_who_may_see_them(
    group, director, police, police_officer, youth_work, youth_worker
):
    group = run_to_execution(group, director, police, youth_work)
    finish("Bram toeleiden naar een sportvereniging", youth_worker, "Bram traint nu bij MVV")
    finish("Extra surveillance bij de hotspot", police_officer, "Drie aanhoudingen")
    executing = group_plan_html(group, youth_work)
    assert "Taak: afgerond" in executing
    assert "Bram traint nu bij MVV" in executing  # its own task
    assert "Drie aanhoudingen" not in executing  # the police's outcome
    full = group_plan_html(group, None)
    assert "Bram traint nu bij MVV" in full and "Drie aanhoudingen" in full


def test_a_bulk_task_brings_that_member_into_the_executing_copies(
    group, director, police, youth_work
):
    group = run_to_execution(group, director, police, youth_work)
    group_bulk_action(
        group=group,
        actor=director,
        tiers=["yellow"],
        task_type=TaskType.objects.get(code="overig"),
        organisation=youth_work,
        instruction="Kennismakingsgesprek met het jongerenwerk",
    )
    overview = group_overview_html(group, youth_work)
    assert "Chayenne Lid" in overview and "Bram Lid" in overview
    assert "Ayoub Lid" not in overview and "geel" not in overview.lower()
    plan = group_plan_html(group, youth_work)
    assert "Overige taken van uw organisatie" in plan
    assert "Overige taak" in plan and "Chayenne Lid" in plan
    assert "Groepsscan en advies politie" not in plan


def test_plan_before_any_action(group, youth_work):
    full = group_plan_html(group, None)
    assert full.count("Geen acties in dit spoor") == 4
    assert "Nog niet vastgelegd." in full and "nog niet vastgesteld" in full
    executing = group_plan_html(group, youth_work)
    assert "Er staan voor uw organisatie geen acties in dit plan." in executing
    assert "Geen acties in dit spoor" not in executing
