# SPDX-License-Identifier: AGPL-3.0-or-later
"""The group pages as their users see them: the procesregisseur runs the approach, a core
partner sees the whole picture, an executing partner only its own members and actions, the
steering group nothing; forms refuse bad input with a Dutch message and change nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebook.models import (
    AuditEvent,
    Group,
    GroupNote,
    GroupRole,
)
from tests import factories
from workflows.groups.services.members import group_member_add, group_member_tier
from workflows.groups.services.plan import group_interpretation_update, group_plan_action_add
from workflows.groups.services.steps import group_create, group_step_move
from workflows.groups.steps import GroupStep
from workflows.tasks.models import PartnerTask, TaskType

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(director, police):
    """Mosae Forum in step 6 with three members; the police are a core partner (driehoek)."""
    group = factories.youth_group(director, "Mosae Forum (pagina)")
    return group


def run_to_execution(group, director, youth_work):
    for _ in range(2):
        group = group_step_move(group=group, actor=director, move="advance", reason="ok")
    group = group_interpretation_update(
        group=group,
        actor=director,
        expected_version=group.version,
        problem_types=["overlast"],
        dynamics="Grote wisselende groep rond het winkelcentrum",
        plan_goals="Overlast rond Mosae Forum binnen drie maanden terug",
    )
    group = group_step_move(group=group, actor=director, move="advance", reason="ok")
    group = group_step_move(
        group=group, actor=director, move="advance", reason="driehoek", priority="hoog"
    )
    bram = group.members.get(youth__first_name="Bram")
    action_type = TaskType.objects.get(code="groepsactie")
    group_plan_action_add(
        group=group,
        actor=director,
        track="groep",
        task_type=action_type,
        organisation=youth_work,
        description="Outreachend jongerenwerk op vrijdagavond bij Mosae Forum",
    )
    group_plan_action_add(
        group=group,
        actor=director,
        track="individu",
        member=bram,
        task_type=action_type,
        organisation=youth_work,
        description="Bram toeleiden naar een sportvereniging",
    )
    return group_step_move(group=group, actor=director, move="advance", reason="plan")


def test_director_sees_everything_and_reading_is_logged(client, director, group):
    client.force_login(director)
    response = client.get(reverse("groups:detail", args=[group.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ayoub Lid" in html and "Chayenne Lid" in html
    assert "ijam-tier--red" in html
    assert "Besluit vastleggen" in html
    assert AuditEvent.objects.filter(action="group.viewed", actor=director).exists()


def test_executing_partner_sees_only_its_own_members_without_tiers(
    client, director, group, youth_work, youth_worker
):
    run_to_execution(group, director, youth_work)
    client.force_login(youth_worker)
    response = client.get(reverse("groups:detail", args=[group.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bram Lid" in html  # the member its organisation works with
    assert "Ayoub Lid" not in html and "Chayenne Lid" not in html
    assert "ijam-tier--" not in html and "Kleur wijzigen" not in html
    assert "Outreachend jongerenwerk" in html  # the group-wide action
    assert "Besluit vastleggen" not in html  # partners do not run the approach
    assert "Tijdlijn" not in html


def test_core_partner_sees_the_whole_picture_but_does_not_run_it(
    client, director, group, police_officer
):
    client.force_login(police_officer)
    html = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "Ayoub Lid" in html and "ijam-tier--red" in html
    assert "Besluit vastleggen" not in html
    response = client.post(
        reverse("groups:action", args=[group.pk, "stap"]),
        {"move": "advance", "reason": "probeer", "version": group.version},
    )
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.step == GroupStep.SIGNALS


def test_outsiders_get_nothing(client, director, group, halt_worker, steering_member):
    for outsider in (halt_worker, steering_member):
        client.force_login(outsider)
        assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 404
        pdf = client.get(reverse("groups:document", args=[group.pk, "overzicht"]))
        assert pdf.status_code == 404
    client.force_login(halt_worker)
    assert group.name not in client.get(reverse("groups:list")).content.decode()
    client.force_login(steering_member)
    assert client.get(reverse("groups:list")).status_code == 403


def test_partner_shares_a_signal_about_a_new_group(client, director, youth_worker):
    client.force_login(youth_worker)
    response = client.post(
        reverse("groups:signal"),
        {
            "name": "Groep Frontenpark",
            "kind": "loose_fixed",
            "hotspots": "Frontenpark, skatebaan",
            "text": "Elke avond 10-15 jongeren, intimidatie van voorbijgangers.",
        },
    )
    group = Group.objects.get(name="Groep Frontenpark")
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:detail", args=[group.pk])
    assert group.step == GroupStep.SIGNALS
    note = group.notes.get()
    assert note.kind == GroupNote.Kind.SIGNAL and note.organisation == youth_worker.organisation
    client.force_login(director)
    assert "Groep Frontenpark" in client.get(reverse("groups:list")).content.decode()


def test_signal_without_group_or_text_is_refused_in_dutch(client, youth_worker):
    client.force_login(youth_worker)
    response = client.post(reverse("groups:signal"), {"name": "", "text": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kies een bestaande groep of geef de groep een naam." in html
    assert not Group.objects.exists()


def test_stale_interpretation_form_conflicts_visibly(client, director, group):
    client.force_login(director)
    stale = group.version
    group_interpretation_update(
        group=group, actor=director, expected_version=stale, dynamics="Eerste versie"
    )
    response = client.post(
        reverse("groups:action", args=[group.pk, "duiding"]),
        {"version": stale, "dynamics": "Tweede versie", "monitoring_weeks": 6},
    )
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in response.content.decode()
    group.refresh_from_db()
    assert group.dynamics == "Eerste versie"


def test_gate_refusal_is_shown_and_changes_nothing(client, director, group):
    client.force_login(director)
    for _ in range(2):
        group_step_move(group=group, actor=director, move="advance", reason="ok")
    group.refresh_from_db()
    response = client.post(
        reverse("groups:action", args=[group.pk, "stap"]),
        {"move": "advance", "reason": "Door", "version": group.version},
        follow=True,
    )
    assert "nog niet compleet" in response.content.decode()
    group.refresh_from_db()
    assert group.step == GroupStep.INTERPRET


def test_plan_action_form_needs_a_member_for_a_personal_action(client, director, group, police):
    client.force_login(director)
    for _ in range(2):
        group_step_move(group=group, actor=director, move="advance", reason="ok")
    response = client.post(
        reverse("groups:action", args=[group.pk, "planactie"]),
        {
            "version": factories.version(group),
            "track": "individu",
            "description": "Gesprek met ouders",
            "task_type": TaskType.objects.get(code="groepsactie").pk,
            "organisation": police.pk,
        },
    )
    assert response.status_code == 400
    assert "gaat over één groepslid" in response.content.decode()
    assert not group.plan_actions.exists()


def test_adopting_the_plan_in_the_browser_flow_starts_tasks(
    client, director, group, youth_work, youth_worker
):
    group = run_to_execution(group, director, youth_work)
    tasks = PartnerTask.objects.filter(group=group, organisation=youth_work)
    assert tasks.count() == 2
    client.force_login(youth_worker)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert "Groep Mosae Forum (pagina)" in inbox or "groep Mosae Forum (pagina)" in inbox


def test_group_documents_per_recipient(client, director, group, youth_work, youth_worker):
    run_to_execution(group, director, youth_work)
    client.force_login(youth_worker)
    response = client.get(reverse("groups:document", args=[group.pk, "plan"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.filter(action="group_plan_pdf.viewed").latest("id")
    assert event.actor == youth_worker
    client.force_login(director)
    full = client.get(
        reverse("groups:document", args=[group.pk, "overzicht"]),
        {"organisatie": youth_work.pk},
    )
    assert full.status_code == 200


def test_group_page_queries_do_not_grow_with_members(client, director, group):
    client.force_login(director)
    url = reverse("groups:detail", args=[group.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    role = GroupRole.objects.get(code="meeloper")
    for i in range(15):
        group_member_add(
            group=group,
            actor=director,
            role=role,
            tier="yellow",
            reason="scan",
            new_youth=factories.youth_data(age=15, first_name=f"Extra{factories.letters(i)}"),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert f"Extra{factories.letters(14)}" in response.content.decode()
    assert len(many) == len(few)


def test_group_list_queries_do_not_grow_with_groups(client, director, group):
    client.force_login(director)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("groups:list"))
    for i in range(5):
        group_create(actor=director, name=f"Groep {i}", kind="fixed")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("groups:list"))
    assert "Groep 4" in response.content.decode()
    assert len(many) == len(few)


def test_steering_group_sees_group_approach_only_as_counts(
    client, director, group, steering_member
):
    import datetime as dt

    from django.utils import timezone

    client.force_login(steering_member)
    today = timezone.localdate()
    week = f"?soort=periode&van={today - dt.timedelta(days=6):%Y-%m-%d}&tot={today:%Y-%m-%d}"
    html = client.get(reverse("reports:overview") + week).content.decode()
    assert "Ayoub" not in html and group.name not in html
    # One red member in one group: shown suppressed, not as "1".
    members = html.split('id="tabel-groepsleden-per-kleur"', 1)[1]
    red_row = members.split(">rood<", 1)[1].split("</tr>", 1)[0]  # this period's row
    assert "&lt;5" in red_row and ">1<" not in red_row


def test_spin_off_is_linked_both_ways(client, director, group):
    from casebook.models import SignalCategory

    member = group.members.get(youth__first_name="Ayoub")
    client.force_login(director)
    client.post(
        reverse("groups:member-action", args=[member.pk, "doorverwijzen"]),
        {
            "category": SignalCategory.objects.first().pk,
            "description": "Leider, dealt",
            "version": factories.version(member),
        },
    )
    member.refresh_from_db()
    case = member.spun_off_case
    assert case is not None and case.level == "awaiting_screening"
    group_page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert case.reference in group_page
    case_page = client.get(reverse("casebook:case-detail", args=[case.pk])).content.decode()
    assert group.name in case_page and "vanuit de groepsaanpak doorverwezen" in case_page


def test_member_page_tier_history_for_core_partners_own_members_for_executing_ones(
    client, director, group, police_officer, youth_work, youth_worker
):
    bram = group.members.get(youth__first_name="Bram")
    ayoub = group.members.get(youth__first_name="Ayoub")
    group_member_tier(member=bram, actor=director, tier="red", reason="Aangehouden voor straatroof")
    client.force_login(police_officer)
    html = client.get(reverse("groups:member", args=[bram.pk])).content.decode()
    assert "Aangehouden voor straatroof" in html and "oranje → rood" in html
    assert "Kleur opslaan" not in html  # core partners see, the procesregisseur decides
    run_to_execution(group, director, youth_work)
    client.force_login(youth_worker)
    html = client.get(reverse("groups:member", args=[bram.pk])).content.decode()
    assert "Bram Lid" in html and "Bram toeleiden naar een sportvereniging" in html
    assert "Aangehouden voor straatroof" not in html and "ijam-tier--" not in html
    assert client.get(reverse("groups:member", args=[ayoub.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        action="group_member.viewed", actor=youth_worker, youth=bram.youth
    ).exists()


def test_director_changes_a_tier_on_the_member_page(client, director, group):
    chayenne = group.members.get(youth__first_name="Chayenne")
    client.force_login(director)
    url = reverse("groups:member", args=[chayenne.pk])
    assert "Kleur opslaan" in client.get(url).content.decode()
    response = client.post(
        reverse("groups:member-action", args=[chayenne.pk, "kleur"]),
        {"tier": "orange", "reason": "", "version": factories.version(chayenne)},
        follow=True,
    )
    assert "Geef een onderbouwing." in response.content.decode()
    chayenne.refresh_from_db()
    assert chayenne.tier == "yellow"
    response = client.post(
        reverse("groups:member-action", args=[chayenne.pk, "kleur"]),
        {
            "tier": "orange",
            "reason": "Schoolverzuim en eerste politiecontact",
            "version": factories.version(chayenne),
        },
    )
    assert response["Location"] == url
    chayenne.refresh_from_db()
    assert chayenne.tier == "orange"


def test_a_new_member_gets_the_same_duplicate_check_as_a_signal(client, director, group):
    from casebook.models import Youth

    known = Youth.objects.get(first_name="Ayoub")
    other = factories.youth_group(director, "Tweede groep (dubbel)")
    form = {
        "first_name": "Ayoub",
        "last_name": "Lid",
        "date_of_birth": known.date_of_birth.isoformat(),
        "neighbourhood": known.neighbourhood_id,
        "role": GroupRole.objects.get(code="kern").pk,
        "tier": "red",
        "reason": "Ook gezien bij de tweede groep",
    }
    client.force_login(director)
    url = reverse("groups:action", args=[other.pk, "lid"])
    youths = Youth.objects.count()
    form["version"] = factories.version(other)
    asked = client.post(url, form)
    assert asked.status_code == 200
    assert "Is dit een van deze jongeren?" in asked.content.decode()
    assert Youth.objects.count() == youths and other.members.count() == 3

    client.post(url, form | {"youth_choice": known.pk})
    assert Youth.objects.count() == youths  # no second record of the same youth
    assert other.members.filter(youth=known).exists()


def test_core_partner_sees_other_organisations_tasks_without_links_to_them(
    client, director, group, police_officer, youth_work
):
    run_to_execution(group, director, youth_work)
    task = PartnerTask.objects.filter(group=group, organisation=youth_work).first()
    client.force_login(police_officer)
    html = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "Outreachend jongerenwerk" in html  # the work is in view…
    assert reverse("workflows:task-detail", args=[task.pk]) not in html  # …but not a dead link
    assert client.get(reverse("workflows:task-detail", args=[task.pk])).status_code == 404


def test_duiding_form_sets_buurten_and_records_them(client, director, group):
    from casebook.models import Neighbourhood

    wyck, boschpoort = Neighbourhood.objects.filter(name__in=["Wyck", "Boschpoort"])
    client.force_login(director)
    response = client.post(
        reverse("groups:action", args=[group.pk, "duiding"]),
        {
            "version": group.version,
            "problem_types": ["overlast"],
            "dynamics": "Kern van drie",
            "neighbourhoods": [wyck.pk, boschpoort.pk],
            "monitoring_weeks": 4,
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert set(group.neighbourhoods.all()) == {wyck, boschpoort}
    assert group.monitoring_weeks == 4 and group.problem_types == ["overlast"]
    event = AuditEvent.objects.filter(action="group.interpretation").latest("id")
    assert event.after["buurten"] == sorted([wyck.name, boschpoort.name])
    html = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "Boschpoort, Wyck" in html


def test_empty_information_is_refused_in_dutch_and_adds_nothing(client, group, police_officer):
    client.force_login(police_officer)
    response = client.post(
        reverse("groups:action", args=[group.pk, "informatie"]),
        {"kind": "informatie", "version": factories.version(group)},
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert not group.notes.exists()


def test_a_tier_changed_meanwhile_conflicts_visibly(client, director, group):
    chayenne = group.members.get(youth__first_name="Chayenne")
    seen = factories.version(chayenne)  # the member page as it was opened
    group_member_tier(member=chayenne, actor=director, tier="orange", reason="Verzuim")
    client.force_login(director)
    url = reverse("groups:member-action", args=[chayenne.pk, "kleur"])
    for stale in ({"version": seen}, {}):  # an old version, or none at all
        response = client.post(url, {"tier": "red", "reason": "Aangehouden"} | stale)
        assert response.status_code == 409
        assert "intussen door iemand anders gewijzigd" in response.content.decode() or (
            "niet meer actueel" in response.content.decode()
        )
    chayenne.refresh_from_db()
    assert chayenne.tier == "orange" and chayenne.tier_changes.count() == 2


def test_plan_action_form_refuses_a_date_that_has_passed(client, director, group, police):
    import datetime as dt

    from django.utils import timezone

    client.force_login(director)
    for _ in range(2):
        group_step_move(group=group, actor=director, move="advance", reason="ok")
    response = client.post(
        reverse("groups:action", args=[group.pk, "planactie"]),
        {
            "version": factories.version(group),
            "track": "groep",
            "description": "Cameratoezicht",
            "task_type": TaskType.objects.get(code="groepsactie").pk,
            "organisation": police.pk,
            "due_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "De datum moet in de toekomst liggen." in response.content.decode()
    assert not group.plan_actions.exists()
