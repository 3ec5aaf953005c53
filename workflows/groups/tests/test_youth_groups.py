# SPDX-License-Identifier: AGPL-3.0-or-later
"""Youth groups: the 7-stappenmodel, the group definition, tiers with history, spin-off."""

from __future__ import annotations

import pytest

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.models import AuditEvent, GroupRole, SignalCategory
from tests import factories
from workflows.groups.services.bulk import group_bulk_action
from workflows.groups.services.members import (
    group_member_add,
    group_member_leave,
    group_member_tier,
)
from workflows.groups.services.plan import group_interpretation_update, group_plan_action_add
from workflows.groups.services.signals import group_member_spin_off
from workflows.groups.services.steps import group_create, group_step_move
from workflows.groups.steps import GroupStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(director):
    return group_create(actor=director, name="Mosae Forum (test)", kind="fluid")


def add(group, director, age, tier="yellow"):
    return group_member_add(
        group=group,
        actor=director,
        role=GroupRole.objects.get(code="meeloper"),
        tier=tier,
        reason="Gezien bij de hotspot",
        new_youth=factories.youth_data(age=age),
    )


def move(group, director, name, reason="besluit", **gate):
    return group_step_move(group=group, actor=director, move=name, reason=reason, **gate)


def fill_gate(group, director, organisation) -> dict:
    """What the current step's gate asks before ``advance``: the duiding and the plan's aims
    (3), an action in the plan (5); returns the arguments of the decision itself (4: the
    driehoek's priority)."""
    from workflows.tasks.models import TaskType

    if group.step == GroupStep.INTERPRET:
        group_interpretation_update(
            group=group,
            actor=director,
            expected_version=group.version,
            problem_types=["overlast"],
            dynamics="Wisselende groep rond het winkelcentrum",
            plan_goals="Overlast binnen drie maanden terug",
        )
    elif group.step == GroupStep.ADVISE:
        return {"priority": "midden"}
    elif group.step == GroupStep.PLAN:
        group_plan_action_add(
            group=group,
            actor=director,
            track="groep",
            task_type=TaskType.objects.get(code="groepsactie"),
            organisation=organisation,
            description="Outreachend jongerenwerk op vrijdagavond",
        )
    return {}


def test_the_seven_steps_forward_and_back(group, director, halt):
    add(group, director, 15)
    add(group, director, 17)
    steps = [group.step]
    for _ in range(6):
        gate = fill_gate(group, director, halt)
        group.refresh_from_db()
        group = move(group, director, "advance", **gate)
        steps.append(group.step)
    assert steps == [
        GroupStep.SIGNALS,
        GroupStep.ASSESS,
        GroupStep.INTERPRET,
        GroupStep.ADVISE,
        GroupStep.PLAN,
        GroupStep.EXECUTE,
        GroupStep.CONCLUDE,
    ]
    group = move(group, director, "back", "Plan moet worden bijgesteld")
    assert group.step == GroupStep.EXECUTE
    group = move(group, director, "advance")
    group = move(
        group,
        director,
        "close",
        "Groep uiteengevallen; overdracht aan wijkteam",
        evaluation="Overlast afgenomen; twee leden in traject bij het wijkteam.",
    )
    assert group.step == GroupStep.CLOSED
    decisions = list(group.step_decisions.values_list("move", "from_step", "to_step"))
    assert decisions[-1] == ("close", GroupStep.CONCLUDE, GroupStep.CLOSED)
    assert all(d.decided_by == director for d in group.step_decisions.all())


def test_invalid_moves_are_refused_clearly(group, director):
    with pytest.raises(TransitionRefused, match="kan niet vanuit"):
        move(group, director, "back")
    with pytest.raises(TransitionRefused):
        move(group, director, "close")
    with pytest.raises(ValidationFailed, match="onderbouwing"):
        group_step_move(group=group, actor=director, move="advance", reason=" ")


def test_2a_not_problematic_closes_the_approach(group, director):
    group = move(group, director, "advance")
    group = move(group, director, "not_problematic", "Gewone hangjongeren; jongerenwerk pakt op")
    assert group.step == GroupStep.CLOSED


def test_leaving_step_2_needs_the_group_definition(group, director):
    group = move(group, director, "advance")
    add(group, director, 25)
    with pytest.raises(ValidationFailed, match="minstens twee personen"):
        move(group, director, "advance")
    add(group, director, 26)
    add(group, director, 16)
    with pytest.raises(ValidationFailed, match="jonger zijn dan 23"):
        move(group, director, "advance")
    add(group, director, 15)
    add(group, director, 14)
    assert move(group, director, "advance").step == GroupStep.INTERPRET


def test_the_definition_counts_current_members_by_their_age_today(group, director):
    """Half younger than 23 is not a majority; a member of exactly 23 is not younger; a
    member who left does not count."""
    group = move(group, director, "advance")
    add(group, director, 23)
    add(group, director, 16)
    with pytest.raises(ValidationFailed, match="jonger zijn dan 23: nu 1 van de 2"):
        move(group, director, "advance")
    add(group, director, 26)
    young = add(group, director, 15)
    with pytest.raises(ValidationFailed, match="nu 2 van de 4"):
        move(group, director, "advance")
    add(group, director, 14)
    group_member_leave(member=young, actor=director, reason="Verhuisd")
    with pytest.raises(ValidationFailed, match="nu 2 van de 4"):
        move(group, director, "advance")
    add(group, director, 17)
    assert move(group, director, "advance").step == GroupStep.INTERPRET


def test_tier_changes_keep_their_history(group, director):
    member = add(group, director, 16, tier="yellow")
    group_member_tier(member=member, actor=director, tier="red", reason="Aangehouden")
    history = list(member.tier_changes.values_list("from_tier", "to_tier", "reason"))
    assert history == [("", "yellow", "Gezien bij de hotspot"), ("yellow", "red", "Aangehouden")]
    assert AuditEvent.objects.filter(action="group.member_tier", youth=member.youth).exists()


def test_spin_off_opens_a_case_on_the_ladder(group, director):
    member = add(group, director, 16, tier="red")
    category = SignalCategory.objects.first()
    group_member_spin_off(
        member=member, actor=director, category=category, description="Ernstige zorgen thuis"
    )
    member.refresh_from_db()
    assert member.spun_off_case.youth == member.youth
    assert member.spun_off_case.level == "awaiting_screening"
    assert "Mosae Forum (test)" in member.spun_off_case.signals.get().description


def test_partners_cannot_run_the_group_approach(group, police_officer):
    with pytest.raises(NotAllowed):
        group_step_move(group=group, actor=police_officer, move="advance", reason="x")


def test_group_pages(client, director, group):
    from django.urls import reverse

    client.force_login(director)
    url = reverse("groups:action", args=[group.pk, "lid"])
    response = client.post(
        url,
        {
            "first_name": "Rayan",
            "last_name": "Coenen",
            "date_of_birth": "2010-03-04",
            "neighbourhood": factories.neighbourhood().pk,
            "role": GroupRole.objects.get(code="kern").pk,
            "tier": "orange",
            "reason": "Kern",
            "version": factories.version(group),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "Rayan Coenen" in page and "minstens twee personen" in page
    step_url = reverse("groups:action", args=[group.pk, "stap"])
    # A step decision without the version the page showed is a conflict, not a silent move.
    assert client.post(step_url, {"move": "advance", "reason": "x"}).status_code == 409
    group.refresh_from_db()
    assert group.step == GroupStep.SIGNALS
    client.post(step_url, {"move": "advance", "reason": "x", "version": group.version})
    group.refresh_from_db()
    assert group.step == GroupStep.ASSESS
    listing = client.get(reverse("groups:list") + "?stap=2_beoordelen").content.decode()
    assert group.name in listing


def test_partners_outside_the_approach_do_not_see_groups(
    client, halt_worker, steering_member, group
):
    """A partner sees only the approaches its organisation takes part in (the police do, as
    core partner); an organisation outside it does not even learn the group exists, and the
    steering group sees no groups at all."""
    from django.urls import reverse

    client.force_login(halt_worker)
    listing = client.get(reverse("groups:list"))
    assert listing.status_code == 200
    assert group.name not in listing.content.decode()
    assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 404
    client.force_login(steering_member)
    assert client.get(reverse("groups:list")).status_code == 403
    assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 404


def test_bulk_action_makes_one_tracked_task_per_red_and_orange_member(
    client, group, director, police, police_officer
):
    from django.urls import reverse

    from workflows.tasks.models import TaskType

    red = add(group, director, 16, tier="red")
    orange = add(group, director, 15, tier="orange")
    add(group, director, 14, tier="yellow")
    tasks = group_bulk_action(
        group=group,
        actor=director,
        tiers=["red", "orange"],
        task_type=TaskType.objects.get(code="overig"),
        organisation=police,
        instruction="Overlastbrief van gemeente en politie naar het huisadres",
    )
    assert {t.group_member for t in tasks} == {red, orange}
    assert all(t.case is None and t.organisation == police for t in tasks)
    client.force_login(police_officer)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert "groep Mosae Forum (test)" in inbox
    page = client.get(reverse("workflows:task-detail", args=[tasks[0].pk])).content.decode()
    assert "Groepslid" in page and tasks[0].group_member.youth.full_name in page
    empty = group_create(actor=director, name="Lege groep", kind="fixed")
    with pytest.raises(ValidationFailed, match="Geen leden"):
        group_bulk_action(
            group=empty,
            actor=director,
            tiers=["red"],
            task_type=TaskType.objects.first(),
            organisation=police,
            instruction="Brief",
        )


def test_bulk_action_from_the_group_page(client, group, director, police):
    from django.urls import reverse

    from workflows.tasks.models import TaskType

    add(group, director, 16, tier="red")
    client.force_login(director)
    response = client.post(
        reverse("groups:action", args=[group.pk, "bulkactie"]),
        {
            "tiers": ["red", "orange"],
            "task_type": TaskType.objects.get(code="overig").pk,
            "organisation": police.pk,
            "instruction": "Overlastbrief",
            "version": factories.version(group),
        },
        follow=True,
    )
    assert "1 taken uitgezet" in response.content.decode()
    assert "Overig" in response.content.decode() or "Overige taak" in response.content.decode()


def test_members_table_sorts_and_filters(client, group, director):
    from django.urls import reverse

    red = add(group, director, 17, tier="red")
    yellow = add(group, director, 14, tier="yellow")
    gone = add(group, director, 15, tier="red")
    group_member_leave(member=gone, actor=director, reason="Verhuisd")
    client.force_login(director)
    url = reverse("groups:detail", args=[group.pk])
    page = client.get(url).content.decode()
    assert page.index(red.youth.full_name) < page.index(yellow.youth.full_name)
    assert gone.youth.full_name not in page
    page = client.get(url + "?kleur=yellow").content.decode()
    assert yellow.youth.full_name in page and red.youth.full_name not in page
    page = client.get(url + "?sorteer=leeftijd").content.decode()
    assert page.index(yellow.youth.full_name) < page.index(red.youth.full_name)  # youngest first
    assert gone.youth.full_name in client.get(url + "?vertrokken=1").content.decode()
