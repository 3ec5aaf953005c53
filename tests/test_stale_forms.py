# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every form that changes something carries the version of the object it was made from, and
the service requires it (ADR 0010): posted without a version, or with one that is no longer
current, it is a 409 with a Dutch message and nothing changes; with the current version the
same post goes through. One table, one row per state-changing form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from casebook.models import (
    AuditEvent,
    ClosureReason,
    GroupRole,
    Intervention,
    SignalCategory,
    Youth,
)
from casebook.services.youths import YouthData, youth_create
from tests import factories
from workflows.groups.services.steps import group_step_move
from workflows.ladder import services as ladder
from workflows.ladder.level_flows import start_case_work
from workflows.ladder.machine import NETWERKOVERLEG
from workflows.meetings import minutes as minutes_services
from workflows.meetings import services as meetings
from workflows.meetings.models import MeetingSeries
from workflows.tasks.models import PartnerTask, TaskType, TaskTypeCode
from workflows.tasks.services import task_assign, task_claim

pytestmark = pytest.mark.django_db


@dataclass
class World:
    director: object
    support: object
    police_officer: object
    halt: object
    case: object  # on the first level, with its level flow
    awaiting: object  # a new case awaiting screening, with its signal
    task: object  # an open information request to the police
    meeting: object  # a planned sitting with the case on its agenda
    minutes: object  # draft minutes of another sitting, with the case
    group: object  # a group approach at step 1 with three members


def _world(director, support, police_officer, halt, zvh) -> World:
    factories.user("partner", halt)  # someone at Halt picks up the work sent there
    case = ladder.case_screen_in(
        case=factories.signal(police_officer).case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="in",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    information = TaskType.objects.get(code=TaskTypeCode.INFORMATION)
    task = task_assign(
        case=case,
        actor=director,
        task_type=information,
        organisation=police_officer.organisation,
        instruction="Lever informatie aan.",
    )
    series = MeetingSeries.objects.create(
        name="Versietafel", level=NETWERKOVERLEG, first_date=timezone.localdate()
    )
    meeting = meetings.meeting_schedule(
        series=series, actor=director, starts_at=timezone.now() + dt.timedelta(days=20)
    )
    meetings.agenda_add(meeting=meeting, actor=director, case=case)
    meetings.meeting_schedule(  # the next sitting, for what is not discussed
        series=series, actor=director, starts_at=timezone.now() + dt.timedelta(days=40)
    )
    held = meetings.meeting_schedule(
        series=series, actor=director, starts_at=timezone.now() + dt.timedelta(days=30)
    )
    meetings.agenda_add(meeting=held, actor=director, case=case)
    minutes = minutes_services.minutes_draft(meeting=held, actor=support)
    return World(
        director=director,
        support=support,
        police_officer=police_officer,
        halt=halt,
        case=case,
        awaiting=factories.signal(police_officer).case,
        task=task,
        meeting=meeting,
        minutes=minutes,
        group=factories.youth_group(director, "Versiegroep"),
    )


@dataclass(frozen=True)
class Form:
    """One state-changing form: who posts it, where, what, and whose version it carries."""

    who: str
    url: Callable[[World], str]
    data: Callable[[World], dict]
    versioned: Callable[[World], object]
    ok: tuple[int, ...] = (302,)
    prepare: Callable[[World], None] | None = None


def _item(w: World):
    return w.minutes.items.get()


def _member(w: World):
    return w.group.members.get(youth__first_name="Chayenne")


def _claimed(w: World) -> None:
    task_claim(task=w.task, actor=w.police_officer)


def _intake(w: World):
    return w.case.tasks.get(task_type__code=TaskTypeCode.INTAKE)


def _known_twin(w: World):
    """The youth already in IJAM that the awaiting case's youth is a second registration of."""
    return (
        Youth.objects.filter(first_name=w.awaiting.youth.first_name)
        .exclude(pk=w.awaiting.youth_id)
        .get()
    )


def _later(days: int = 12) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _criteria(level: str) -> list[str]:
    """The level's checklist as the transition form posts it (``level:code``)."""
    return [f"{level}:{code}" for code in factories.criteria_for(level)]


FORMS: dict[str, Form] = {
    # --- The case page ------------------------------------------------------------------------
    "instromen": Form(
        "director",
        lambda w: reverse("casebook:case-transition", args=[w.awaiting.pk, "instromen"]),
        lambda w: {
            "target_level": NETWERKOVERLEG,
            "criteria": _criteria(NETWERKOVERLEG),
            "reason": "Past bij het netwerkoverleg",
        },
        lambda w: w.awaiting,
    ),
    "opschalen": Form(
        "director",
        lambda w: reverse("casebook:case-transition", args=[w.case.pk, "opschalen"]),
        lambda w: {"target_level": "pga", "criteria": _criteria("pga"), "reason": "Zorgen"},
        lambda w: w.case,
    ),
    "afsluiten": Form(
        "director",
        lambda w: reverse("casebook:case-transition", args=[w.case.pk, "afsluiten"]),
        lambda w: {
            "closure_reason": ClosureReason.objects.filter(is_active=True).first().pk,
            "reason": "Doel bereikt",
        },
        lambda w: w.case,
    ),
    "koppelen": Form(  # screening: the new case is a known youth registered again
        "director",
        lambda w: reverse("casebook:case-link-duplicate", args=[w.awaiting.pk]),
        lambda w: {"youth": _known_twin(w).pk, "reason": "Dezelfde jongere"},
        lambda w: w.awaiting,
        prepare=lambda w: youth_create(
            actor=w.director,
            data=YouthData(
                first_name=w.awaiting.youth.first_name,
                last_name=w.awaiting.youth.last_name,
                date_of_birth=w.awaiting.youth.date_of_birth,
                neighbourhood=w.awaiting.youth.neighbourhood,
            ),
        ),
    ),
    "casusgegevens": Form(
        "director",
        lambda w: reverse("casebook:case-details", args=[w.case.pk]),
        lambda w: {"approach": "system", "reason": "Gezin betrokken"},
        lambda w: w.case,
    ),
    "familie": Form(
        "director",
        lambda w: reverse("casebook:case-family-add", args=[w.case.pk]),
        lambda w: {"relation": "parent", "related_name": "Moeder"},
        lambda w: w.case,
    ),
    "betrokkenheid-beeindigen": Form(
        "director",
        lambda w: reverse(
            "casebook:case-involvement-end", args=[w.case.pk, w.police_officer.organisation_id]
        ),
        lambda w: {},
        lambda w: w.case,
    ),
    "plandoel": Form(
        "director",
        lambda w: reverse("casebook:case-plan-goal", args=[w.case.pk]),
        lambda w: {"life_domain": "gezin", "goal": "Rust thuis"},
        lambda w: w.case,
    ),
    "interventie": Form(
        "director",
        lambda w: reverse("casebook:case-plan-intervention", args=[w.case.pk]),
        lambda w: {
            "intervention": Intervention.objects.create(
                name="Versie-interventie", provider=w.halt, min_age=8, max_age=27
            ).pk
        },
        lambda w: w.case,
    ),
    "taak-toewijzen": Form(
        "director",
        lambda w: reverse("casebook:case-task-assign", args=[w.case.pk]),
        lambda w: {
            "task_type": TaskType.objects.get(code="schoolgesprek").pk,
            "organisation": w.halt.pk,
            "instruction": "Gesprek op school",
        },
        lambda w: w.case,
    ),
    "voorstel": Form(
        "director",
        lambda w: reverse("meetings:propose", args=[w.case.pk, "opschalen"]),
        lambda w: {},
        lambda w: w.case,
    ),
    "signaal-in-behandeling": Form(
        "director",
        lambda w: reverse("casebook:signal-action", args=[w.awaiting.signals.get().pk, "start"]),
        lambda w: {},
        lambda w: w.awaiting.signals.get(),
    ),
    "signaal-besluit": Form(
        "director",
        lambda w: reverse("casebook:signal-action", args=[w.awaiting.signals.get().pk, "decide"]),
        lambda w: {"decision": "take_up", "feedback": "Wij pakken het op."},
        lambda w: w.awaiting.signals.get(),
    ),
    # --- A task ---------------------------------------------------------------------------
    "oppakken": Form(
        "police_officer",
        lambda w: reverse("workflows:task-action", args=[w.task.pk, "oppakken"]),
        lambda w: {},
        lambda w: w.task,
    ),
    "afronden": Form(
        "police_officer",
        lambda w: reverse("workflows:task-action", args=[w.task.pk, "afronden"]),
        lambda w: {"result": "Antecedenten aangeleverd"},
        lambda w: w.task,
        prepare=_claimed,
    ),
    "teruggeven": Form(
        "police_officer",
        lambda w: reverse("workflows:task-action", args=[w.task.pk, "teruggeven"]),
        lambda w: {"reason": "Niet bekend bij ons"},
        lambda w: w.task,
    ),
    "annuleren": Form(
        "director",
        lambda w: reverse("workflows:task-action", args=[w.task.pk, "annuleren"]),
        lambda w: {"reason": "Niet meer nodig"},
        lambda w: w.task,
    ),
    "doorzetten": Form(
        "director",
        lambda w: reverse("workflows:task-action", args=[w.task.pk, "doorzetten"]),
        lambda w: {"organisation": w.halt.pk, "reason": "Halt kent de jongere"},
        lambda w: w.task,
    ),
    "deadline": Form(
        "director",
        lambda w: reverse("workflows:task-action", args=[w.task.pk, "deadline"]),
        lambda w: {"deadline": _later(), "reason": "Meer tijd nodig"},
        lambda w: w.task,
    ),
    "intake": Form(
        "director",
        lambda w: reverse("workflows:task-action", args=[_intake(w).pk, "intake"]),
        lambda w: {"deadline": _later(), "organisations": [w.halt.pk]},
        _intake,
    ),
    "intake-opgepakt": Form(  # the procesregisseur had already taken the intake on
        "director",
        lambda w: reverse("workflows:task-action", args=[_intake(w).pk, "intake"]),
        lambda w: {"deadline": _later(), "organisations": [w.halt.pk]},
        _intake,
        prepare=lambda w: task_claim(task=_intake(w), actor=w.director),
    ),
    # --- A sitting and its minutes ---------------------------------------------------------
    "agenda-opbouwen": Form(
        "director",
        lambda w: reverse("meetings:action", args=[w.meeting.pk, "agenda-opbouwen"]),
        lambda w: {},
        lambda w: w.meeting,
    ),
    "casus-toevoegen": Form(
        "director",
        lambda w: reverse("meetings:action", args=[w.meeting.pk, "casus-toevoegen"]),
        lambda w: {"case": w.awaiting.reference},
        lambda w: w.meeting,
        prepare=lambda w: ladder.case_screen_in(
            case=w.awaiting,
            actor=w.director,
            target_level=NETWERKOVERLEG,
            reason="in",
            criteria=factories.criteria_for(NETWERKOVERLEG),
        ),
    ),
    "zitting-verplaatsen": Form(
        "director",
        lambda w: reverse("meetings:action", args=[w.meeting.pk, "verplaatsen"]),
        lambda w: {"date": _later(25), "time": "10:00", "reason": "Zaal bezet"},
        lambda w: w.meeting,
    ),
    "agenda-versturen": Form(
        "director",
        lambda w: reverse("meetings:action", args=[w.meeting.pk, "versturen"]),
        lambda w: {},
        lambda w: w.meeting,
    ),
    "agendapunt-weg": Form(
        "director",
        lambda w: reverse("meetings:item-action", args=[w.meeting.items.get().pk, "verwijderen"]),
        lambda w: {},
        lambda w: w.meeting,
    ),
    "verslag-beginnen": Form(
        "support",
        lambda w: reverse("meetings:minutes-action", args=[w.meeting.pk, "beginnen"]),
        lambda w: {},
        lambda w: w.meeting,
    ),
    "verslagpunt-opslaan": Form(
        "support",
        lambda w: reverse("meetings:minutes-item", args=[_item(w).pk, "opslaan"]),
        lambda w: {"discussed": "on", "summary": "Besproken"},
        _item,
    ),
    "besluit": Form(
        "support",
        lambda w: reverse("meetings:minutes-item", args=[_item(w).pk, "besluit"]),
        lambda w: {"kind": "continue", "reason": "Voortzetten"},
        _item,
    ),
    "verslag-vaststellen": Form(
        "director",
        lambda w: reverse("meetings:minutes-action", args=[w.minutes.meeting_id, "vaststellen"]),
        lambda w: {},
        lambda w: w.minutes,
    ),
    # --- A group approach and its members --------------------------------------------------
    "groep-stap": Form(
        "director",
        lambda w: reverse("groups:action", args=[w.group.pk, "stap"]),
        lambda w: {"move": "advance", "reason": "Informatie verzamelen"},
        lambda w: w.group,
    ),
    "groep-duiding": Form(
        "director",
        lambda w: reverse("groups:action", args=[w.group.pk, "duiding"]),
        lambda w: {"dynamics": "Kern van drie", "monitoring_weeks": 6},
        lambda w: w.group,
        # a stale duiding form is shown again with the conflict on it (409, not a page)
    ),
    "groep-informatie": Form(
        "director",
        lambda w: reverse("groups:action", args=[w.group.pk, "informatie"]),
        lambda w: {"kind": "informatie", "text": "Gezien bij het station"},
        lambda w: w.group,
    ),
    "groep-lid": Form(
        "director",
        lambda w: reverse("groups:action", args=[w.group.pk, "lid"]),
        lambda w: {
            "first_name": "Rayan",
            "last_name": "Versie",
            "date_of_birth": (timezone.localdate() - dt.timedelta(days=16 * 366)).isoformat(),
            "neighbourhood": factories.neighbourhood().pk,
            "role": GroupRole.objects.get(code="kern").pk,
            "tier": "yellow",
            "reason": "Vaak bij de groep",
        },
        lambda w: w.group,
    ),
    "groep-deelnemer": Form(
        "director",
        lambda w: reverse("groups:action", args=[w.group.pk, "deelnemer"]),
        lambda w: {"organisation": w.halt.pk, "access": "uitvoerend"},
        lambda w: w.group,
    ),
    "groep-bulkactie": Form(
        "director",
        lambda w: reverse("groups:action", args=[w.group.pk, "bulkactie"]),
        lambda w: {
            "tiers": ["red"],
            "task_type": TaskType.objects.get(code="overig").pk,
            "organisation": w.halt.pk,
            "instruction": "Overlastbrief",
        },
        lambda w: w.group,
    ),
    "groep-planactie": Form(
        "director",
        lambda w: reverse("groups:action", args=[w.group.pk, "planactie"]),
        lambda w: {
            "track": "groep",
            "description": "Cameratoezicht",
            "task_type": TaskType.objects.get(code=TaskTypeCode.GROUP_ACTION).pk,
            "organisation": w.halt.pk,
        },
        lambda w: w.group,
        prepare=lambda w: [
            group_step_move(group=w.group, actor=w.director, move="advance", reason="ok")
            for _ in range(2)
        ],
    ),
    "lid-kleur": Form(
        "director",
        lambda w: reverse("groups:member-action", args=[_member(w).pk, "kleur"]),
        lambda w: {"tier": "orange", "reason": "Schoolverzuim"},
        _member,
    ),
    "lid-doorverwijzen": Form(
        "director",
        lambda w: reverse("groups:member-action", args=[_member(w).pk, "doorverwijzen"]),
        lambda w: {"category": SignalCategory.objects.first().pk, "description": "Zorgen"},
        _member,
    ),
    "lid-vertrek": Form(
        "director",
        lambda w: reverse("groups:member-action", args=[_member(w).pk, "vertrek"]),
        lambda w: {"reason": "Verhuisd"},
        _member,
    ),
}


def _changes() -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.WRITE).count()


@pytest.mark.parametrize("name", list(FORMS))
def test_a_form_without_its_version_or_with_an_old_one_conflicts_and_changes_nothing(
    client, name, director, support, police_officer, halt, zvh
):
    w = _world(director, support, police_officer, halt, zvh)
    form = FORMS[name]
    if form.prepare:
        form.prepare(w)
    client.force_login(getattr(w, form.who))
    url, data = form.url(w), form.data(w)
    current = factories.version(form.versioned(w))
    for posted in ({}, {"version": current + 7}, {"version": "abc"}):
        before = _changes()
        response = client.post(url, data | posted)
        assert response.status_code == 409, (name, posted, response.status_code)
        html = response.content.decode()
        assert "intussen" in html or "niet meer actueel" in html, name
        # A form shown again carries the version as it is now, so sending it again (after
        # reading the new state) does not conflict once more.
        shown = set(re.findall(r'name="version"(?: value="([^"]*)")?', html))
        assert not shown & {"", "abc", str(current + 7)}, (name, posted, shown)
        assert _changes() == before, (name, posted)
        assert factories.version(form.versioned(w)) == current, name
    response = client.post(url, data | {"version": current})
    assert response.status_code in form.ok, (name, response.status_code)
    assert _changes() > before, name  # the same form with the current version goes through


def test_the_table_covers_every_state_changing_url():
    """A new state-changing URL must get a row here (or be one of the few that create)."""
    from django.urls import get_resolver

    creating_or_own = {
        "casebook:signal-register",  # a new signal
        "casebook:emergency-access",  # a new emergency access
        "meetings:schedule",  # a new sitting
        "groups:create",  # a new group approach
        "groups:signal",  # a partner's new signal about group behaviour
        "notifications:open",  # the user's own read-marks
        "notifications:read-all",
        "notifications:preferences",  # the user's own choices, saved whole each time
        # A KPI's manual value is appended as a new row, never edited (ADR 0023).
        "stuurgroep:kpi-value",
        # A one-time decision on a role grant: a second decision is refused by its state (409).
        "accounts:role-grant-decide",
        # The second factor (ADR 0014): the user's own log-in step, app and recovery codes; a
        # new reset request (a second one for the same user is refused, 409) and its one-time
        # decision (as a role grant's).
        "accounts:second-factor",
        "accounts:second-factor-enrol",
        "accounts:recovery-codes",
        "accounts:second-factor-reset-request",
        "accounts:second-factor-reset-decide",
        "login",
        "logout",
    }
    covered = {
        "casebook:case-transition",
        "casebook:case-details",
        "casebook:case-family-add",
        "casebook:case-plan-goal",
        "casebook:case-plan-intervention",
        "casebook:case-task-assign",
        "casebook:case-rio-track",  # see test_rio_form below
        "casebook:emergency-review",  # see tests/test_emergency_access.py
        "casebook:case-involvement-end",
        "casebook:case-link-duplicate",
        "casebook:signal-action",
        "meetings:propose",
        "meetings:action",
        "meetings:item-action",
        "meetings:minutes-action",
        "meetings:minutes-item",
        "workflows:task-action",
        "groups:action",
        "groups:member-action",
    }
    posting = set()
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        for name in sub.reverse_dict:
            if isinstance(name, str):
                posting.add(f"{namespace}:{name}")
    read_only = {
        name
        for name in posting
        if name.split(":")[1]
        in {
            "case-list",
            "case-detail",
            "case-summary-pdf",
            "emergency-queue",
            "access-overview",
            "access-overview-pdf",
            "signal-duplicates",
            "my-signals",
            "inbox",
            "overview",
            "task-detail",
            "calendar",
            "detail",
            "agenda-pdf",
            "minutes-pdf",
            "list",
            "document",
            "member",
            "role-grants",
            "second-factor-resets",
            "retention-plan",  # the retention job's dry run
            "overview-pdf",  # the stuurgroep's report and dashboard, and their exports
            "overview-export",
            "dashboard",
            "dashboard-export",
        }
    }
    unknown = posting - covered - creating_or_own - read_only - {"admin"}
    unknown = {name for name in unknown if not name.startswith("admin:")}
    assert unknown == set(), "add a row to FORMS for: " + ", ".join(sorted(unknown))


def test_rio_form(client, director, police_officer, zvh, rio):
    case = ladder.case_screen_in(
        case=factories.signal(police_officer).case,
        actor=director,
        target_level="pga",
        reason="in",
        criteria=factories.criteria_for("pga"),
    )
    client.force_login(director)
    url = reverse("casebook:case-rio-track", args=[case.pk])
    data = {"release_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}
    assert client.post(url, data).status_code == 409
    assert client.post(url, data | {"version": case.version + 1}).status_code == 409
    assert not PartnerTask.objects.filter(case=case, task_type__code="reintegratieplan").exists()
    assert client.post(url, data | {"version": factories.version(case)}).status_code == 302
    assert PartnerTask.objects.filter(case=case, task_type__code="reintegratieplan").exists()


def test_start_case_work_needs_no_form(director, police_officer, zvh):
    """System work (a level's flow) is started by the services, not by a form: no version."""
    case = factories.signal(police_officer).case
    task = start_case_work(
        case=case, actor=director, code=TaskTypeCode.DISCUSSION, instruction="Bespreek"
    )
    assert task.pk


#: What an attacker or a broken client might send where an id belongs.
NOT_IDS = ["abc", "²", "١", "9" * 30, "-1", "0", " 1"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_id_that_is_not_one_is_refused_with_a_message_never_a_500(
    client, value, director, support, police_officer, halt, zvh
):
    """Every id a page posts or reads from its address, sent as something that is not an id:
    an answer (a message, a 404), never a server error, and nothing changes."""
    w = _world(director, support, police_officer, halt, zvh)
    member = _member(w)
    client.force_login(director)
    before = _changes()
    posts = [
        (reverse("meetings:schedule"), {"series": value, "date": _later(), "time": "10:00"}),
        (
            reverse("groups:action", args=[w.group.pk, "actie-schrappen"]),
            {"action": value, "reason": "Niet nodig", "version": factories.version(w.group)},
        ),
        (
            reverse("groups:member-action", args=[member.pk, "doorverwijzen"]),
            {"category": value, "description": "Zorgen", "version": factories.version(member)},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code in (200, 404), (url, value, response.status_code)
        if response.status_code == 200:
            assert "Kies de" in response.content.decode(), (url, value)
    # The group's step with tasks to hand over: ids that are not ids are no tasks.
    response = client.post(
        reverse("groups:action", args=[w.group.pk, "stap"]),
        {"move": "advance", "reason": "Verder", "hand_over": [value], "version": 0},
    )
    assert response.status_code == 409  # the stale version, not the id, decides
    for url in (
        reverse("workflows:overview") + f"?organisatie={value}",
        reverse("casebook:case-summary-pdf", args=[w.case.pk]) + f"?organisatie={value}",
    ):
        assert client.get(url).status_code in (200, 404), (url, value)
    assert _changes() == before
