# SPDX-License-Identifier: AGPL-3.0-or-later
"""The world the access matrix (``tests/test_access_matrix.py``) asks about: one user per role
and, per object variant, every kind of object a URL can name.

Object variants are seen from the partner professional (Trajekt jongerenwerk):

* ``own``: objects its organisation is involved in (its signal and case, its task, a group it
  takes part in with a member it has work about, sittings with its case on the agenda, its
  notification). The municipality, where the stuurgroep member, the functioneel beheerder and
  the privacy officer work, holds a task on that case and takes part in that group too, so
  their refusals come from their roles, not from their organisation.
* ``foreign``: the same objects of another organisation (Halt), which the partner has nothing
  to do with; the Halt professional (role ``partner_foreign``) is involved in them.

A new variant (a closed case past the grace period, break the glass) is one more entry in
``VARIANTS`` with a builder here, and one more column in the matrix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from casebook.models import (
    CaseInvolvement,
    ClosureReason,
    EmergencyAccess,
    GroupRole,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from casebook.services.signals import signal_register
from tests import factories
from workflows.groups.services.bulk import group_bulk_action
from workflows.groups.services.members import group_member_add
from workflows.groups.services.participants import group_participant_set
from workflows.groups.services.steps import group_create
from workflows.ladder import services as ladder
from workflows.ladder.machine import NETWERKOVERLEG
from workflows.meetings import minutes as minutes_services
from workflows.meetings import services as meetings
from workflows.meetings.models import MeetingSeries
from workflows.tasks.models import TaskType, TaskTypeCode
from workflows.tasks.services import task_assign, task_claim, task_complete

#: The roles the matrix asks for, in the order of its columns.
ROLES = (
    "director",  # procesregisseur (ZVH)
    "support",  # procesondersteuner (ZVH)
    "partner",  # partner professional of Trajekt jongerenwerk: the "own" objects are its
    "partner_foreign",  # partner professional of Halt: the "foreign" objects are its
    "steering",  # stuurgroep member (municipality)
    "admin",  # functioneel beheerder (municipality, staff: may log in to /beheer/)
    "privacy",  # privacy officer (municipality)
    "no_org",  # a partner professional whose account has no organisation
    "anonymous",  # not logged in
)

#: The object variants, in the order of the matrix's object columns. Every object row has
#: ``own`` and ``foreign``; the rows about one case (and its task page) also ``closed`` (the
#: partner's own case, closed longer than the grace period ago, with its completed task) and
#: ``glass`` (the foreign organisation's case, opened by the partner with an emergency access).
VARIANTS = ("own", "foreign", "closed", "glass")
CASE_VARIANTS = ("closed", "glass")


@dataclass
class Side:
    """Every kind of object of one variant."""

    organisation: Organisation
    worker: User  # the partner professional of that organisation
    youths: list = field(default_factory=list)  # every youth of this side (the no-person test)
    awaiting: object = None  # a case awaiting screening, opened by the worker's signal
    signal: object = None  # that signal
    case: object = None  # a case on the first level (netwerkoverleg), with its level flow
    task: object = None  # an open information request to the organisation on that case
    intake: object = None  # the case's intake task (the ZVH's)
    group: object = None  # a group approach the organisation takes part in (executing)
    member: object = None  # a member the organisation has work about
    meeting: object = None  # a planned sitting with the case on its agenda
    agenda_item: object = None
    held: object = None  # another sitting of the case: minutes confirmed, then a correction
    confirmed_minutes: object = None  # version 1, confirmed (its PDF)
    minutes: object = None  # version 2, the draft of the correction
    minutes_item: object = None
    notification: object = None  # a notification to the worker


@dataclass
class World:
    users: dict  # role -> User (no entry for anonymous)
    zvh: Organisation
    municipality: Organisation
    municipality_task: object  # a task of the municipality (where stuurgroep and beheer work)
    sides: dict  # variant -> Side

    @property
    def director(self) -> User:
        return self.users["director"]

    def youths(self) -> list:
        return [youth for side in self.sides.values() for youth in side.youths]


_youth_seq = iter(range(1, 10_000))


def _distinct_youth(label: str):
    """A youth whose name and birth date appear nowhere else (the no-person test looks for
    them in every page): an unusual name and a birth date of its own."""
    n = next(_youth_seq)
    born = factories.birth_date(15) - dt.timedelta(days=37 * n)
    return factories.youth_data(
        first_name=f"Zoltan{label}{factories.letters(n)}",
        last_name=f"Quirijnsz{label}",
        date_of_birth=born,
    )


def _signal(reporter: User, label: str, text: str):
    return signal_register(
        reporter=reporter,
        category=factories.category(),
        description=f"{text} {label}",
        youth=None,
        new_youth=_distinct_youth(label),
    )


def _side(
    label: str,
    organisation: Organisation,
    worker: User,
    director: User,
    support: User,
    series: MeetingSeries,
    day: int,
    municipality: Organisation | None,
) -> Side:
    side = Side(organisation=organisation, worker=worker)
    information = TaskType.objects.get(code=TaskTypeCode.INFORMATION)

    side.signal = _signal(worker, label, "Signaal")
    side.awaiting = side.signal.case
    screened_signal = _signal(worker, label, "Zorgen over")
    side.case = ladder.case_screen_in(
        case=screened_signal.case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="Past bij het netwerkoverleg",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    side.intake = side.case.tasks.get(task_type__code=TaskTypeCode.INTAKE)
    side.task = task_assign(
        case=side.case,
        actor=director,
        task_type=information,
        organisation=organisation,
        instruction=f"Lever informatie aan ({label}).",
    )
    side.notification = worker.notifications.order_by("-pk").first()

    side.meeting = meetings.meeting_schedule(
        series=series, actor=director, starts_at=timezone.now() + dt.timedelta(days=day)
    )
    side.agenda_item = meetings.agenda_add(meeting=side.meeting, actor=director, case=side.case)
    side.held = meetings.meeting_schedule(
        series=series, actor=director, starts_at=timezone.now() + dt.timedelta(days=day + 1)
    )
    meetings.agenda_add(meeting=side.held, actor=director, case=side.case)
    confirmed = minutes_services.minutes_draft(meeting=side.held, actor=support)
    minutes_services.minutes_confirm(minutes=confirmed, actor=director)
    side.confirmed_minutes = confirmed
    side.minutes = minutes_services.minutes_correct(
        minutes=confirmed, actor=director, reason="Naam van een aanwezige verbeterd"
    )
    side.minutes_item = side.minutes.items.get()

    side.group = group_create(actor=director, name=f"Groep {label}", kind="fluid")
    kern = GroupRole.objects.get(code="kern")
    members = [
        group_member_add(
            group=side.group,
            actor=director,
            role=kern,
            tier=tier,
            reason="Groepsscan politie",
            new_youth=_distinct_youth(label),
        )
        for tier in ("red", "yellow")
    ]
    for participant in filter(None, (organisation, municipality)):
        group_participant_set(
            group=side.group, actor=director, organisation=participant, access="uitvoerend"
        )
    group_bulk_action(
        group=side.group,
        actor=director,
        tiers=["red"],
        task_type=TaskType.objects.get(code="overig"),
        organisation=organisation,
        instruction="Overlastbrief",
    )
    side.member = members[0]
    for obj in (side.group, side.member, side.case, side.awaiting):
        obj.refresh_from_db()
    side.youths = [side.awaiting.youth, side.case.youth] + [m.youth for m in members]
    return side


def _closed_side(organisation, worker, director) -> Side:
    """The partner's own case, closed longer than the grace period ago: the case is out of its
    sight, its own completed task is not."""
    side = Side(organisation=organisation, worker=worker)
    signal = _signal(worker, "Dicht", "Afgesloten zorg")
    case = ladder.case_screen_in(
        case=signal.case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="Past bij het netwerkoverleg",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    side.task = task_assign(
        case=case,
        actor=director,
        task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
        organisation=organisation,
        instruction="Lever informatie aan (Dicht).",
    )
    task_claim(task=side.task, actor=worker)
    task_complete(task=side.task, actor=worker, result="Informatie geleverd (Dicht).")
    ladder.case_close(
        case=case,
        actor=director,
        closure_reason=ClosureReason.objects.filter(is_active=True).first(),
        reason="Doel bereikt",
    )
    grace = dt.timedelta(days=settings.IJAM_INVOLVEMENT_GRACE_DAYS + 1)
    CaseInvolvement.objects.filter(case=case).update(ended_at=timezone.now() - grace)
    side.case = case
    side.youths = [case.youth]
    return side


def _glass_side(organisation, worker, partner, director) -> Side:
    """A case of the foreign organisation that the partner opened by breaking the glass."""
    side = Side(organisation=organisation, worker=worker)
    signal = _signal(worker, "Glas", "Spoedzorg")
    side.case = ladder.case_screen_in(
        case=signal.case,
        actor=director,
        target_level=NETWERKOVERLEG,
        reason="Past bij het netwerkoverleg",
        criteria=factories.criteria_for(NETWERKOVERLEG),
    )
    side.task = task_assign(
        case=side.case,
        actor=director,
        task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
        organisation=organisation,
        instruction="Lever informatie aan (Glas).",
    )
    EmergencyAccess.objects.create(
        user=partner,
        case=side.case,
        reason="Jongere staat aan de balie, ouders onbereikbaar",
        opened_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=settings.IJAM_EMERGENCY_ACCESS_HOURS),
    )
    side.youths = [side.case.youth]
    return side


def build_world() -> World:
    zvh = factories.zvh()
    director = factories.user(Role.PROCESS_DIRECTOR, zvh, first_name="Petra", last_name="Regie")
    support = factories.user(Role.PROCESS_SUPPORT, zvh, first_name="Noor", last_name="Steun")
    youth_work = factories.organisation(OrganisationKind.JONGERENWERK, "Trajekt (matrix)")
    halt = factories.organisation(OrganisationKind.HALT, "Halt (matrix)")
    municipality = factories.organisation(OrganisationKind.GEMEENTE, "Gemeente (matrix)")
    factories.organisation(OrganisationKind.POLITIE, "Politie (matrix)")  # core partner
    users = {
        "director": director,
        "support": support,
        "partner": factories.user(Role.PARTNER, youth_work, first_name="Jesse", last_name="Werk"),
        "partner_foreign": factories.user(Role.PARTNER, halt, first_name="Hanna", last_name="Halt"),
        "steering": factories.user(Role.STEERING_GROUP, municipality),
        "admin": factories.user(Role.FUNCTIONAL_ADMIN, municipality, is_staff=True),
        "privacy": factories.user(Role.PRIVACY_OFFICER, municipality),
        "no_org": factories.user(Role.PARTNER, None, first_name="Zonder", last_name="Organisatie"),
        # Outside the matrix's columns: the one who records the KPIs' manual values (ADR 0023).
        "programme": factories.user(Role.PROGRAMME_MANAGER, municipality),
    }
    # Someone at the municipality works its tasks, so work can be sent there.
    factories.user(Role.PARTNER, municipality, first_name="Gerrit", last_name="Gemeente")
    series = MeetingSeries.objects.create(
        name="Matrixtafel", level=NETWERKOVERLEG, first_date=timezone.localdate()
    )
    sides = {
        "own": _side(
            "Eigen", youth_work, users["partner"], director, support, series, 20, municipality
        ),
        "foreign": _side(
            "Vreemd", halt, users["partner_foreign"], director, support, series, 40, None
        ),
    }
    sides["closed"] = _closed_side(youth_work, users["partner"], director)
    sides["glass"] = _glass_side(halt, users["partner_foreign"], users["partner"], director)
    municipality_task = task_assign(
        case=sides["own"].case,
        actor=director,
        task_type=TaskType.objects.get(code=TaskTypeCode.INFORMATION),
        organisation=municipality,
        instruction="Lever informatie aan (gemeente).",
    )
    for side in sides.values():
        for obj in (side.case, side.task, side.meeting, side.held, side.minutes, side.group):
            if obj is not None:
                obj.refresh_from_db()
    return World(
        users=users,
        zvh=zvh,
        municipality=municipality,
        municipality_task=municipality_task,
        sides=sides,
    )
