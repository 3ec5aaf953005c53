# SPDX-License-Identifier: AGPL-3.0-or-later
"""The access matrix (issue 11, "Proof"): every URL pattern of IJAM × every role × the object
it names, for GET and for every POST action, against ONE table of expected answers.

The table (``MATRIX``) holds the rules of the access model (DESIGN §3a, issue 11), not what
the code happens to answer:

* procesregisseur and procesondersteuner (ZVH) see all cases and groups; the ondersteuner reads,
  prepares agendas and records minutes, and makes no ladder move, task decision or group step;
* a partner professional sees the cases and groups its organisation is involved in, its
  organisation's tasks, its own signals; another organisation's objects do not exist for it;
* the stuurgroep sees aggregates only (``/rapportages/``), the functioneel beheerder the
  configuration only (``/beheer/``), the privacy officer no case content (its pages are to
  come); none of them ever a youth, case, task, group member, meeting item or document;
* a user without organisation has nothing to be scoped to, and sees nothing;
* a denied object answers 404 (``hidden``: its existence is not confirmed), a denied action on
  an object one may see 403 with a Dutch message (``denied``), a list page one may not use 403,
  and an anonymous visitor is sent to ``/inloggen/`` (``login``). ``ok`` is a page or a
  redirect (GET), or any answer but 403, 404, 5xx and the log-in (POST: a validation message
  or a conflict is fine; the matrix is about access).

A POST that is not ``ok`` must also change nothing: no audit event, no new row, no version
moved. Every request runs in a savepoint that is rolled back, so every role meets the same
world (``tests/access_world.py``, built once per test process).

Where today's code answers otherwise, the rule stays in ``MATRIX`` and the cell is listed in
``KNOWN_MISMATCHES`` with today's answer: the suite stays green, and fails loudly when the
answer changes, above all when it becomes the rule (then delete the entry).

A URL pattern, or an action slug a view accepts, without a row here fails
``test_every_url_pattern_and_action_has_a_row``: new pages cannot slip past.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from casebook.models import (
    ClosureReason,
    EmergencyAccess,
    GroupRole,
    Intervention,
    Role,
    RoleGrant,
    SecondFactorReset,
    SignalCategory,
)
from notifications.models import Notification
from tests import factories
from tests.access_checks import (
    ANSWERS,
    DENIED,
    HIDDEN,
    LOGIN,
    OK,
    accepted_slugs,
    answer,
    ask_row,
    person_traces,
    url_patterns,
)
from tests.access_world import CASE_VARIANTS, ROLES, VARIANTS, Side, World, build_world
from workflows.groups.services.plan import group_plan_action_add
from workflows.groups.services.steps import group_step_move
from workflows.ladder.machine import NETWERKOVERLEG, PGA
from workflows.meetings import services as meetings
from workflows.meetings.models import MeetingSeries
from workflows.tasks.models import TaskType, TaskTypeCode
from workflows.tasks.services import task_claim

NO_OBJECT = "-"  # the object column of a page that names no object

#: Not in the matrix: public by design, or the admin (its own check below).
PUBLIC_URLS = {
    "healthz",  # the load balancer's health check: no personal data, no log-in
    "login",  # /inloggen/
    "logout",  # /uitloggen/
    # Sign-in through the municipality's IdP: used signed out (tests/test_oidc_sign_in.py).
    "oidc-sign-in",
    "oidc-callback",
    # The link of a password-reset e-mail: used signed out, guarded by its one-time token.
    "password_reset_confirm",
    "password_reset_complete",
    # The session's own seconds left and "Ingelogd blijven" (ijam/sessions.py): no personal
    # data; signed out they answer 401 JSON for the page's script.
    "session-status",
    "session-renew",
}
ADMIN_NAMESPACE = "admin"  # /beheer/: test_the_admin_is_for_the_functioneel_beheerder_only


@dataclass(frozen=True)
class Row:
    """One URL (+ action) of the matrix: how to call it, and the expected answer per object
    variant and role (a string of one answer per role, in the order of ``ROLES``)."""

    url: Callable[[World, Side | None], str]
    expect: dict[str, str]
    data: Callable[[World, Side | None], dict] | None = None  # the POST body
    prepare: Callable[[World, Side], object] | None = None  # state the action needs

    def expected(self) -> dict[tuple[str, str], str]:
        cells = {}
        for variant, answers in self.expect.items():
            words = answers.split()
            assert len(words) == len(ROLES) and set(words) <= ANSWERS, answers
            cells |= {(variant, role): word for role, word in zip(ROLES, words, strict=True)}
        return cells


def page(url, everyone: str) -> Row:
    """A page that names no object."""
    return Row(
        url=lambda w, s: url(w) if callable(url) else reverse(url), expect={NO_OBJECT: everyone}
    )


def post(url, everyone: str, data=None) -> Row:
    """An action that names no object."""
    return Row(
        url=lambda w, s: url(w) if callable(url) else reverse(url),
        expect={NO_OBJECT: everyone},
        data=data or (lambda w, s: {}),
    )


def obj(url, *, data=None, prepare=None, **variants: str) -> Row:
    """A page or action about one object: the expected answers per object variant
    (``own=``, ``foreign=``, … as in ``tests/access_world.VARIANTS``; every row names all)."""
    return Row(url=url, expect=variants, data=data, prepare=prepare)


v = factories.version


def _later(days: int = 12) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _criteria(level: str) -> list[str]:
    return [f"{level}:{code}" for code in factories.criteria_for(level)]


def _manual_kpi_id() -> int:
    from reports.models import Kpi

    return Kpi.objects.filter(measure="").values_list("pk", flat=True).first()


def _other(w: World, s: Side) -> Side:
    return next(side for side in w.sides.values() if side is not s)


def _to_step_3_with_an_action(w: World, s: Side) -> None:
    for _ in range(2):
        group_step_move(group=s.group, actor=w.director, move="advance", reason="Verder")
    group_plan_action_add(
        group=s.group,
        actor=w.director,
        track="groep",
        description="Cameratoezicht",
        task_type=TaskType.objects.get(code=TaskTypeCode.GROUP_ACTION),
        organisation=s.organisation,
    )


def _pending_grant(w: World, s: Side) -> None:
    """A role grant waiting for a second person: asked by the procesregisseur for a new
    account of the side's organisation (neither approver asked it or receives it)."""
    grantee = factories.user(Role.STEERING_GROUP, s.organisation)
    s.grant = RoleGrant.objects.create(
        user=grantee,
        role=Role.objects.get(code=Role.PARTNER),
        requested_by=w.director,
        requested_at=timezone.now(),
    )


def _reset_decide(decision: str):
    return lambda w, s: reverse("accounts:second-factor-reset-decide", args=[s.reset.pk, decision])


def _pending_reset(w: World, s: Side) -> None:
    """A reset of the second factor of a new account of the side's organisation, asked by the
    procesregisseur (neither approver asked it or is it for)."""
    user = factories.user(Role.PARTNER, s.organisation)
    s.reset = SecondFactorReset.objects.create(
        user=user, requested_by=w.director, requested_at=timezone.now(), request_reason="Kwijt"
    )


def _emergency(w: World, s: Side) -> None:
    """An emergency access of the other side's partner to this side's case, to review."""
    s.emergency = EmergencyAccess.objects.create(
        user=_other(w, s).worker,
        case=s.case,
        reason="Spoed: jongere aan de balie, ouders onbereikbaar",
        opened_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=24),
    )


def _new_youth_fields() -> dict:
    return {
        "first_name": "Nieuwe",
        "last_name": "Matrixjongere",
        "date_of_birth": factories.birth_date(14).isoformat(),
        "neighbourhood": factories.neighbourhood().pk,
    }


def _case(name: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse(name, args=[s.case.pk])


def _move(slug: str, awaiting: bool = False) -> Callable[[World, Side], str]:
    return lambda w, s: reverse(
        "casebook:case-transition", args=[(s.awaiting if awaiting else s.case).pk, slug]
    )


def _task(slug: str, intake: bool = False) -> Callable[[World, Side], str]:
    return lambda w, s: reverse(
        "workflows:task-action", args=[(s.intake if intake else s.task).pk, slug]
    )


def _meeting(slug: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse("meetings:action", args=[s.meeting.pk, slug])


def _agenda_item(slug: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse("meetings:item-action", args=[s.agenda_item.pk, slug])


def _minutes(slug: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse("meetings:minutes-action", args=[s.held.pk, slug])


def _minutes_item(slug: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse("meetings:minutes-item", args=[s.minutes_item.pk, slug])


def _group(slug: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse("groups:action", args=[s.group.pk, slug])


def _member(slug: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse("groups:member-action", args=[s.member.pk, slug])


def _signal(slug: str) -> Callable[[World, Side], str]:
    return lambda w, s: reverse("casebook:signal-action", args=[s.signal.pk, slug])


# fmt: off
#: THE TABLE. Columns, in the order of ROLES:
#:   director support partner partner_foreign steering admin privacy no_org anonymous
#: Object variants: own = the partner's (Trajekt) objects, foreign = Halt's (tests/access_world.py).
MATRIX: dict[str, Row] = {
    # --- Start, reports, notifications -------------------------------------------------------
    "GET home": page(
        "home",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "GET reports:overview": page(
        "reports:overview",
        "ok     ok     denied denied ok     denied denied denied login"),
    "GET reports:overview-pdf": page(
        "reports:overview-pdf",
        "ok     ok     denied denied ok     denied denied denied login"),
    "GET reports:overview-export": page(
        lambda w: reverse("reports:overview-export", args=["xlsx"]),
        "ok     ok     denied denied ok     denied denied denied login"),
    # The stuurgroep's KPI dashboard: aggregates only; its start page (``home``). Manual KPI
    # values are the programme manager's (a role outside this matrix: tests/test_kpi_dashboard.py).
    "GET stuurgroep:dashboard": page(
        "stuurgroep:dashboard",
        "ok     ok     denied denied ok     denied denied denied login"),
    "GET stuurgroep:dashboard-export": page(
        lambda w: reverse("stuurgroep:dashboard-export", args=["xlsx"]),
        "ok     ok     denied denied ok     denied denied denied login"),
    "POST stuurgroep:kpi-value": post(
        "stuurgroep:kpi-value",
        "denied denied denied denied denied denied denied denied login",
        data=lambda w, s: {"kpi": _manual_kpi_id(), "summary": "Stand", "source": "Bron",
                           "measured_on": "2026-01-01"}),
    "GET notifications:list": page(
        "notifications:list",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "POST notifications:read-all": post(
        "notifications:read-all",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "GET notifications:preferences": page(
        "notifications:preferences",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "POST notifications:preferences": post(
        "notifications:preferences",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "POST notifications:open": obj(
        lambda w, s: reverse("notifications:open", args=[s.notification.pk]),
        own=    "hidden hidden ok     hidden hidden hidden hidden hidden login",
        foreign="hidden hidden hidden ok     hidden hidden hidden hidden login",
        data=lambda w, s: {}),
    # --- Privacy officer and four eyes -----------------------------------------------------
    "GET accounts:role-grants": page(
        "accounts:role-grants",
        "denied denied denied denied denied ok     ok     denied login"),
    "POST accounts:role-grant-decide goedkeuren": obj(
        lambda w, s: reverse("accounts:role-grant-decide", args=[s.grant.pk, "goedkeuren"]),
        own=    "denied denied denied denied denied ok     ok     denied login",
        foreign="denied denied denied denied denied ok     ok     denied login",
        prepare=lambda w, s: _pending_grant(w, s),
        data=lambda w, s: {f"grant-{s.grant.pk}-reason": ""}),
    "POST accounts:role-grant-decide afwijzen": obj(
        lambda w, s: reverse("accounts:role-grant-decide", args=[s.grant.pk, "afwijzen"]),
        own=    "denied denied denied denied denied ok     ok     denied login",
        foreign="denied denied denied denied denied ok     ok     denied login",
        prepare=lambda w, s: _pending_grant(w, s),
        data=lambda w, s: {f"grant-{s.grant.pk}-reason": "Niet nodig voor dit werk"}),
    # --- The second factor (ADR 0014) ------------------------------------------------------
    # Every client here passed it (conftest.py): the step and the set-up send a verified user
    # on, the recovery codes are anyone's own. Before the second factor: test_second_factor.py.
    "GET accounts:second-factor": page(
        "accounts:second-factor",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "POST accounts:second-factor": post(
        "accounts:second-factor",
        "ok     ok     ok     ok     ok     ok     ok     ok     login",
        data=lambda w, s: {"code": "000000"}),
    "GET accounts:second-factor-enrol": page(
        "accounts:second-factor-enrol",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "POST accounts:second-factor-enrol": post(
        "accounts:second-factor-enrol",
        "ok     ok     ok     ok     ok     ok     ok     ok     login",
        data=lambda w, s: {"code": "000000"}),
    "GET accounts:recovery-codes": page(
        "accounts:recovery-codes",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "POST accounts:recovery-codes": post(
        "accounts:recovery-codes",
        "ok     ok     ok     ok     ok     ok     ok     ok     login"),
    "GET accounts:second-factor-reset-request": page(
        "accounts:second-factor-reset-request",
        "denied denied denied denied denied ok     denied denied login"),
    "POST accounts:second-factor-reset-request": post(
        "accounts:second-factor-reset-request",
        "denied denied denied denied denied ok     denied denied login",
        data=lambda w, s: {"user": w.director.pk, "reason": "Telefoon kwijt"}),
    "GET accounts:second-factor-resets": page(
        "accounts:second-factor-resets",
        "denied denied denied denied denied ok     ok     denied login"),
    "POST accounts:second-factor-reset-decide goedkeuren": obj(
        _reset_decide("goedkeuren"),
        own=    "denied denied denied denied denied ok     ok     denied login",
        foreign="denied denied denied denied denied ok     ok     denied login",
        prepare=lambda w, s: _pending_reset(w, s),
        data=lambda w, s: {f"reset-{s.reset.pk}-reason": ""}),
    "POST accounts:second-factor-reset-decide afwijzen": obj(
        _reset_decide("afwijzen"),
        own=    "denied denied denied denied denied ok     ok     denied login",
        foreign="denied denied denied denied denied ok     ok     denied login",
        prepare=lambda w, s: _pending_reset(w, s),
        data=lambda w, s: {f"reset-{s.reset.pk}-reason": "Niet door de gebruiker gevraagd"}),
    "GET casebook:emergency-queue": page(
        "casebook:emergency-queue",
        "denied denied denied denied denied denied ok     denied login"),
    "POST casebook:emergency-review": obj(
        lambda w, s: reverse("casebook:emergency-review", args=[s.emergency.pk]),
        own=    "denied denied denied denied denied denied ok     denied login",
        foreign="denied denied denied denied denied denied ok     denied login",
        prepare=lambda w, s: _emergency(w, s),
        data=lambda w, s: {"verdict": "justified", "note": "", "version": v(s.emergency)}),
    # The procesregisseur: the youths of the cases the ZVH directs (every case of the world).
    "GET casebook:access-overview": page(
        lambda w: reverse("casebook:access-overview") + "?" + _youth_query(w),
        "ok     denied denied denied denied denied ok     denied login"),
    "GET casebook:access-overview-pdf": page(
        lambda w: reverse("casebook:access-overview-pdf") + "?" + _youth_query(w),
        "ok     denied denied denied denied denied ok     denied login"),
    "GET casebook:retention-plan": page(
        "casebook:retention-plan",
        "denied denied denied denied denied denied ok     denied login"),
    "GET casebook:emergency-access": page(
        "casebook:emergency-access",
        "denied denied ok     ok     denied denied denied denied login"),
    "POST casebook:emergency-access": post(
        "casebook:emergency-access",
        "denied denied ok     ok     denied denied denied denied login",
        data=lambda w, s: {"reference": w.sides["foreign"].case.reference,
                           "reason": "Jongere staat nu aan de balie, ouders onbereikbaar",
                           "acknowledged": "on"}),
    # --- Cases -----------------------------------------------------------------------------
    "GET casebook:case-list": page(
        "casebook:case-list",
        "ok     ok     ok     ok     denied denied denied denied login"),
    "GET casebook:case-detail": obj(
        _case("casebook:case-detail"),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "GET casebook:case-summary-pdf": obj(  # the ZVH's document; a partner has its own copies
        _case("casebook:case-summary-pdf"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login"),
    "POST casebook:case-transition instromen": obj(
        _move("instromen", awaiting=True),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"target_level": NETWERKOVERLEG, "criteria": _criteria(NETWERKOVERLEG),
                           "reason": "Past", "version": v(s.awaiting)}),
    "POST casebook:case-transition opschalen": obj(
        _move("opschalen"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"target_level": PGA, "criteria": _criteria(PGA), "reason": "Zorgen",
                           "version": v(s.case)}),
    "POST casebook:case-transition afschalen": obj(
        _move("afschalen"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"target_level": NETWERKOVERLEG, "reason": "Rustiger",
                           "version": v(s.case)}),
    "POST casebook:case-transition afsluiten": obj(
        _move("afsluiten"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"closure_reason": ClosureReason.objects.filter(is_active=True)
                           .first().pk, "reason": "Doel bereikt", "version": v(s.case)}),
    "POST casebook:case-details": obj(
        _case("casebook:case-details"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"approach": "system", "reason": "Gezin", "version": v(s.case)}),
    "POST casebook:case-involvement-end": obj(
        lambda w, s: reverse("casebook:case-involvement-end", args=[s.case.pk, s.organisation.pk]),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.case)}),
    "POST casebook:case-link-duplicate": obj(
        lambda w, s: reverse("casebook:case-link-duplicate", args=[s.awaiting.pk]),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"reason": "Dezelfde jongere", "version": v(s.awaiting)}),
    "POST casebook:case-family-add": obj(
        _case("casebook:case-family-add"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"relation": "parent", "related_name": "Moeder",
                           "version": v(s.case)}),
    "POST casebook:case-plan-goal": obj(
        _case("casebook:case-plan-goal"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"life_domain": "gezin", "goal": "Rust thuis", "version": v(s.case)}),
    "POST casebook:case-plan-intervention": obj(
        _case("casebook:case-plan-intervention"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"intervention": Intervention.objects.get(name="Matrix-interventie").pk,
                           "version": v(s.case)}),
    "POST casebook:case-task-assign": obj(
        _case("casebook:case-task-assign"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"task_type": TaskType.objects.get(code="schoolgesprek").pk,
                           "organisation": s.organisation.pk, "instruction": "Gesprek",
                           "version": v(s.case)}),
    "POST casebook:case-rio-track": obj(
        _case("casebook:case-rio-track"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"release_on": _later(30), "version": v(s.case)}),
    "POST meetings:propose opschalen": obj(
        lambda w, s: reverse("meetings:propose", args=[s.case.pk, "opschalen"]),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.case)}),
    "POST meetings:propose afschalen": obj(
        lambda w, s: reverse("meetings:propose", args=[s.case.pk, "afschalen"]),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.case)}),
    # --- Signals ---------------------------------------------------------------------------
    "GET casebook:signal-register": page(
        "casebook:signal-register",
        "ok     ok     ok     ok     denied denied denied denied login"),
    "POST casebook:signal-register": post(
        "casebook:signal-register",
        "ok     ok     ok     ok     denied denied denied denied login",
        data=lambda w, s: {"category": SignalCategory.objects.filter(is_active=True).first().pk,
                           "description": "Zorgelijk", "youth_choice": "new",
                           **_new_youth_fields()}),
    "GET casebook:signal-duplicates": page(
        lambda w: reverse("casebook:signal-duplicates") + "?" + _youth_query(w),
        "ok     ok     ok     ok     denied denied denied denied login"),
    "GET casebook:my-signals": page(
        "casebook:my-signals",
        "ok     ok     ok     ok     denied denied denied denied login"),
    "POST casebook:signal-action start": obj(
        _signal("start"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.signal)}),
    "POST casebook:signal-action decide": obj(
        _signal("decide"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"decision": "take_up", "feedback": "Wij pakken het op.",
                           "version": v(s.signal)}),
    # --- Tasks -----------------------------------------------------------------------------
    "GET workflows:inbox": page(
        "workflows:inbox",
        "ok     ok     ok     ok     denied denied denied denied login"),
    "GET workflows:overview": page(
        "workflows:overview",
        "ok     ok     denied denied denied denied denied denied login"),
    "GET workflows:task-detail": obj(
        lambda w, s: reverse("workflows:task-detail", args=[s.task.pk]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "POST workflows:task-action oppakken": obj(
        _task("oppakken"),
        own=    "denied denied ok     hidden hidden hidden hidden hidden login",
        foreign="denied denied hidden ok     hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.task)}),
    "POST workflows:task-action afronden": obj(
        _task("afronden"),
        own=    "denied denied ok     hidden hidden hidden hidden hidden login",
        foreign="denied denied hidden ok     hidden hidden hidden hidden login",
        prepare=lambda w, s: task_claim(task=s.task, actor=s.worker),
        data=lambda w, s: {"result": "Aangeleverd", "version": v(s.task)}),
    "POST workflows:task-action teruggeven": obj(
        _task("teruggeven"),
        own=    "denied denied ok     hidden hidden hidden hidden hidden login",
        foreign="denied denied hidden ok     hidden hidden hidden hidden login",
        data=lambda w, s: {"reason": "Niet bekend bij ons", "version": v(s.task)}),
    "POST workflows:task-action annuleren": obj(
        _task("annuleren"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"reason": "Niet meer nodig", "version": v(s.task)}),
    "POST workflows:task-action doorzetten": obj(
        _task("doorzetten"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"organisation": _other(w, s).organisation.pk, "reason": "Kent hem",
                           "version": v(s.task)}),
    "POST workflows:task-action deadline": obj(
        _task("deadline"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"deadline": _later(), "reason": "Meer tijd", "version": v(s.task)}),
    "POST workflows:task-action intake": obj(  # the intake is the ZVH's own task
        _task("intake", intake=True),
        own=    "ok     denied hidden hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden hidden hidden hidden hidden hidden login",
        data=lambda w, s: {"deadline": _later(), "organisations": [s.organisation.pk],
                           "version": v(s.intake)}),
    # --- Case tables: sittings, agendas, minutes ----------------------------------------------
    "GET meetings:calendar": page(
        "meetings:calendar",
        "ok     ok     ok     ok     denied denied denied denied login"),
    "POST meetings:schedule": post(
        "meetings:schedule",
        "ok     denied denied denied denied denied denied denied login",
        data=lambda w, s: {"series": MeetingSeries.objects.get(name="Matrixtafel").pk,
                           "date": _later(50), "time": "10:00", "location": "ZVH"}),
    "GET meetings:detail": obj(  # a partner is invited only where its cases are discussed
        lambda w, s: reverse("meetings:detail", args=[s.meeting.pk]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "GET meetings:agenda-pdf": obj(
        lambda w, s: reverse("meetings:agenda-pdf", args=[s.meeting.pk]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "GET meetings:minutes-pdf": obj(
        lambda w, s: reverse("meetings:minutes-pdf", args=[s.held.pk, 1]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "GET meetings:minutes-pdf draft": obj(  # a draft is the ZVH's until it is confirmed
        lambda w, s: reverse("meetings:minutes-pdf", args=[s.held.pk, s.minutes.version]),
        own=    "ok     ok     hidden hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden hidden hidden hidden hidden hidden login"),
    "POST meetings:action agenda-opbouwen": obj(  # the ondersteuner prepares agendas
        _meeting("agenda-opbouwen"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.meeting)}),
    "POST meetings:action casus-toevoegen": obj(
        _meeting("casus-toevoegen"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"case": s.case.reference, "version": v(s.meeting)}),
    "POST meetings:action verplaatsen": obj(  # running the table: the procesregisseur
        _meeting("verplaatsen"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"date": _later(25), "time": "10:00", "reason": "Zaal bezet",
                           "version": v(s.meeting)}),
    "POST meetings:action versturen": obj(  # sends information requests: assigning work
        _meeting("versturen"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.meeting)}),
    "POST meetings:item-action omhoog": obj(
        _agenda_item("omhoog"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.meeting)}),
    "POST meetings:item-action omlaag": obj(
        _agenda_item("omlaag"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.meeting)}),
    "POST meetings:item-action verwijderen": obj(
        _agenda_item("verwijderen"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.meeting)}),
    "POST meetings:minutes-action beginnen": obj(  # the ondersteuner records minutes
        _minutes("beginnen"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.held)}),
    "POST meetings:minutes-action vaststellen": obj(  # the procesregisseur confirms them
        _minutes("vaststellen"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"version": v(s.minutes)}),
    "POST meetings:minutes-action corrigeren": obj(  # reopens confirmed minutes
        _minutes("corrigeren"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"reason": "Typefout", "version": v(s.minutes)}),
    "POST meetings:minutes-item opslaan": obj(
        _minutes_item("opslaan"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"discussed": "on", "summary": "Besproken",
                           "version": v(s.minutes_item)}),
    "POST meetings:minutes-item besluit": obj(
        _minutes_item("besluit"),
        own=    "ok     ok     denied hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"kind": "continue", "reason": "Voortzetten",
                           "version": v(s.minutes_item)}),
    # --- Group approach ---------------------------------------------------------------------
    "GET groups:list": page(
        "groups:list",
        "ok     ok     ok     ok     denied denied denied denied login"),
    "POST groups:create": post(
        "groups:create",
        "ok     denied denied denied denied denied denied denied login",
        data=lambda w, s: {"name": "Matrix nieuwe groep", "kind": "fluid"}),
    "GET groups:signal": page(
        "groups:signal",
        "ok     ok     ok     ok     denied denied denied denied login"),
    "POST groups:signal": post(
        "groups:signal",
        "ok     ok     ok     ok     denied denied denied denied login",
        data=lambda w, s: {"name": "Matrix signaalgroep", "kind": "fluid",
                           "text": "Groep hangt rond bij de school"}),
    "GET groups:detail": obj(
        lambda w, s: reverse("groups:detail", args=[s.group.pk]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "GET groups:document overzicht": obj(
        lambda w, s: reverse("groups:document", args=[s.group.pk, "overzicht"]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "GET groups:document plan": obj(
        lambda w, s: reverse("groups:document", args=[s.group.pk, "plan"]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "POST groups:action informatie": obj(  # participants share what they know
        _group("informatie"),
        own=    "ok     denied ok     hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden ok     hidden hidden hidden hidden login",
        data=lambda w, s: {"kind": "informatie", "text": "Gezien bij het station",
                           "version": v(s.group)}),
    "POST groups:action duiding": obj(
        _group("duiding"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"dynamics": "Kern van twee", "monitoring_weeks": 6,
                           "version": v(s.group)}),
    "POST groups:action planactie": obj(
        _group("planactie"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"track": "groep", "description": "Cameratoezicht",
                           "task_type": TaskType.objects.get(code=TaskTypeCode.GROUP_ACTION).pk,
                           "organisation": s.organisation.pk, "version": v(s.group)}),
    "POST groups:action stap": obj(
        _group("stap"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"move": "advance", "reason": "Informatie verzamelen",
                           "version": v(s.group)}),
    "POST groups:action actie-schrappen": obj(
        _group("actie-schrappen"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        prepare=_to_step_3_with_an_action,
        data=lambda w, s: {"action": s.group.plan_actions.get().pk, "reason": "Niet nodig",
                           "version": v(s.group)}),
    "POST groups:action deelnemer": obj(
        _group("deelnemer"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"organisation": _other(w, s).organisation.pk, "access": "uitvoerend",
                           "version": v(s.group)}),
    "POST groups:action bulkactie": obj(
        _group("bulkactie"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"tiers": ["red"], "task_type": TaskType.objects.get(code="overig").pk,
                           "organisation": s.organisation.pk, "instruction": "Overlastbrief",
                           "version": v(s.group)}),
    "POST groups:action lid": obj(
        _group("lid"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {**_new_youth_fields(), "role": GroupRole.objects.get(code="kern").pk,
                           "tier": "yellow", "reason": "Vaak bij de groep",
                           "version": v(s.group)}),
    "GET groups:member": obj(
        lambda w, s: reverse("groups:member", args=[s.member.pk]),
        own=    "ok     ok     ok     hidden hidden hidden hidden hidden login",
        foreign="ok     ok     hidden ok     hidden hidden hidden hidden login"),
    "POST groups:member-action kleur": obj(
        _member("kleur"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"tier": "orange", "reason": "Schoolverzuim", "version": v(s.member)}),
    "POST groups:member-action doorverwijzen": obj(
        _member("doorverwijzen"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"category": SignalCategory.objects.filter(is_active=True).first().pk,
                           "description": "Zorgen", "version": v(s.member)}),
    "POST groups:member-action vertrek": obj(
        _member("vertrek"),
        own=    "ok     denied denied hidden hidden hidden hidden hidden login",
        foreign="ok     denied hidden denied hidden hidden hidden hidden login",
        data=lambda w, s: {"reason": "Verhuisd", "version": v(s.member)}),
}
# fmt: on


#: The case-only variants (tests/access_world.CASE_VARIANTS) of the rows about one case and its
#: task page: ``closed`` — the partner's own case, closed longer than the grace period ago (out
#: of its sight; its own completed task is not); ``glass`` — the foreign organisation's case,
#: which the partner opened by breaking the glass (it sees the case, may do nothing on it).
_CLOSED_MOVE = "ok     denied hidden hidden hidden hidden hidden hidden login"
_GLASS_MOVE = "ok     denied denied denied hidden hidden hidden hidden login"
CASE_ROWS: dict[str, dict[str, str]] = {
    "GET casebook:case-detail": {
        "closed": "ok     ok     hidden hidden hidden hidden hidden hidden login",
        "glass": "ok     ok     ok     ok     hidden hidden hidden hidden login",
    },
    "GET casebook:case-summary-pdf": {
        "closed": "ok     ok     hidden hidden hidden hidden hidden hidden login",
        "glass": "ok     ok     denied denied hidden hidden hidden hidden login",
    },
    **{
        key: {"closed": _CLOSED_MOVE, "glass": _GLASS_MOVE}
        for key in (
            "POST casebook:case-transition opschalen",
            "POST casebook:case-transition afschalen",
            "POST casebook:case-transition afsluiten",
            "POST casebook:case-details",
            "POST casebook:case-family-add",
            "POST casebook:case-plan-goal",
            "POST casebook:case-plan-intervention",
            "POST casebook:case-task-assign",
            "POST casebook:case-rio-track",
        )
    },
    "GET workflows:task-detail": {
        "closed": "ok     ok     ok     hidden hidden hidden hidden hidden login",
        "glass": "ok     ok     hidden ok     hidden hidden hidden hidden login",
    },
}
for _key, _variants in CASE_ROWS.items():
    MATRIX[_key].expect.update(_variants)


def _matching_cells(rows: tuple[str, ...], cells: str) -> list[tuple[str, str, str]]:
    """The (row, variant, role) cells of every row whose key matches one of ``rows``
    (fnmatch) and whose ``variant/role`` matches one of ``cells`` (``*`` for any)."""
    found = []
    for pattern in rows:
        keys = [key for key in MATRIX if fnmatch.fnmatchcase(key, pattern)]
        assert keys, pattern
        for key in keys:
            found += [
                (key, variant, role)
                for variant, role in MATRIX[key].expected()
                if any(fnmatch.fnmatchcase(f"{variant}/{role}", cell) for cell in cells.split())
            ]
    assert found, (rows, cells)
    return found


#: The other organisation's partner, the roles that never see a person and the user without
#: organisation: the cells of an object row that must answer 404.
_NOT_THEIRS = "own/partner_foreign foreign/partner */steering */admin */privacy */no_org"
_NO_PERSONS = "*/steering */admin */privacy"

#: Where today's code differs from the rule: (rows, cells, today's answer, what is wrong).
#: Delete an entry (or narrow it) when the policy makes its cells follow the rule: the matrix
#: test then says which cells did.
_KNOWN: list[tuple[tuple[str, ...], str, str, str]] = [
    # Empty: every cell follows the rule (casebook.policy). A mismatch found later goes here,
    # with today's answer and what is wrong, until the policy is fixed.
]

#: (row, variant, role) -> (today's answer, what is wrong).
KNOWN_MISMATCHES: dict[tuple[str, str, str], tuple[str, str]] = {
    cell: (today, reason)
    for rows, cells, today, reason in _KNOWN
    for cell in _matching_cells(rows, cells)
}


# --- Running the matrix ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world of tests/access_world.py with a logged-in client per role, built once per
    test process inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            Intervention.objects.create(
                name="Matrix-interventie",
                provider=built.sides["foreign"].organisation,
                min_age=8,
                max_age=27,
            )
            clients = {}
            for role in (*ROLES, "programme"):
                client = Client(raise_request_exception=False)
                if role != "anonymous":
                    client.force_login(built.users[role])
                clients[role] = client
            built.clients = clients
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _quiet_refusals():
    """Django logs every 403, 404 and 405 with its traceback; the matrix asks for a thousand."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def fast_pdf(monkeypatch):
    """The PDF step itself (WeasyPrint, a second per document) is not what the matrix tests:
    every view that renders a document gets the HTML back as its "PDF". The access decision and
    the HTML of the recipient's copy are the real ones."""
    import sys

    from casebook import documents

    real = documents.to_pdf
    for module in list(sys.modules.values()):
        if getattr(module, "to_pdf", None) is real:
            monkeypatch.setattr(module, "to_pdf", lambda html: html.encode())


@pytest.mark.parametrize("key", list(MATRIX))
def test_access_matrix(key, world, db, fast_pdf):
    problems = []
    expected_cells = MATRIX[key].expected()
    for variant, role, actual, changed, _body in ask_row(world, MATRIX[key], key.split()[0]):
        expected = expected_cells[(variant, role)]
        known = KNOWN_MISMATCHES.get((key, variant, role))
        cell = f"{key} | {variant} | {role}"
        if known is None:
            if actual != expected:
                problems.append(f"{cell}: expected {expected}, got {actual}")
        elif actual == expected:
            problems.append(
                f"{cell}: now answers {expected} as the rule says; delete it from KNOWN_MISMATCHES"
            )
        elif actual != known[0]:
            problems.append(f"{cell}: expected {expected}, known as {known[0]}, now {actual}")
        if actual in (HIDDEN, DENIED, LOGIN) and changed:
            problems.append(f"{cell}: refused ({actual}) but something changed")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_known_mismatches_name_cells_of_the_matrix_once():
    listed = [cell for rows, cells, _t, _r in _KNOWN for cell in _matching_cells(rows, cells)]
    assert len(listed) == len(set(listed)), "a cell is listed twice in _KNOWN"
    for key, variant, role in KNOWN_MISMATCHES:
        assert (variant, role) in MATRIX[key].expected(), (key, variant, role)
        assert KNOWN_MISMATCHES[(key, variant, role)][0] != MATRIX[key].expected()[(variant, role)]


def test_every_row_has_every_object_variant():
    """Adding an object variant to tests/access_world.py means a column in every object row."""
    for key, row in MATRIX.items():
        if NO_OBJECT in row.expect:
            continue
        wanted = set(VARIANTS) if key in CASE_ROWS else set(VARIANTS) - set(CASE_VARIANTS)
        assert set(row.expect) == wanted, key


def combinations() -> int:
    return sum(len(row.expected()) for row in MATRIX.values())


def test_the_matrix_counts_its_combinations(capsys):
    count = combinations()
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(MATRIX)} URL patterns and actions, {len(ROLES)} roles, "
            f"{len(VARIANTS)} object variants: {count} URL × role × object combinations; "
            f"{len(KNOWN_MISMATCHES)} known mismatches"
        )
    assert count >= 1000


# --- Every URL pattern has a row ---------------------------------------------------------------


def test_every_url_pattern_and_action_has_a_row():
    rows: dict[str, set[str]] = {}
    for key in MATRIX:
        _method, name, *action = key.split()
        rows.setdefault(name, set()).update(action)
    missing, slugs = [], []
    for name, pattern in url_patterns():
        if name in PUBLIC_URLS:
            continue
        if name not in rows:
            missing.append(name)
            continue
        accepted = accepted_slugs(pattern)
        if accepted is not None and accepted != rows[name]:
            slugs.append(f"{name}: the view accepts {sorted(accepted)}, rows {sorted(rows[name])}")
    assert not missing, "add rows to MATRIX for: " + ", ".join(missing)
    assert not slugs, "\n".join(slugs)
    known_names = {name for name, _pattern in url_patterns()}
    assert set(rows) <= known_names, set(rows) - known_names


def test_a_post_only_url_answers_no_get(world, db):
    """A URL with POST rows only refuses a GET (405): following a link changes nothing. The
    method is checked right after the log-in, before any role or object, so two roles say it
    all; an anonymous visitor is sent to the log-in first."""
    get_names = {key.split()[1] for key in MATRIX if key.startswith("GET ")}
    problems = []
    for key, row in MATRIX.items():
        if not key.startswith("POST ") or key.split()[1] in get_names:
            continue
        side = world.sides["own"] if NO_OBJECT not in row.expect else None
        for role in ("director", "anonymous"):
            with transaction.atomic():
                if row.prepare:
                    row.prepare(world, side)
                response = world.clients[role].get(row.url(world, side))
                transaction.set_rollback(True)
            expected = LOGIN if role == "anonymous" else "status 405"
            if answer(response, "GET") != expected:
                problems.append(f"GET {key} as {role}: {answer(response, 'GET')}")
    assert not problems, "\n".join(problems)


# --- Helpers of the no-person test -------------------------------------------------------------


def _youth_query(w: World) -> str:
    from urllib.parse import urlencode

    youth = w.sides["foreign"].case.youth
    return urlencode(
        {
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "date_of_birth": youth.date_of_birth.isoformat(),
        }
    )


# --- The admin (/beheer/) ------------------------------------------------------------------------

#: The models the admin may offer: configuration only, never a person or case content. A model
#: registered in the admin that is not here fails: decide first whether it shows persons.
CONFIGURATION_MODELS = {
    "casebook.organisation",
    "casebook.role",
    "casebook.user",  # accounts of professionals, not youths
    "casebook.district",
    "casebook.neighbourhood",
    "casebook.areateam",
    "casebook.signalcategory",
    "casebook.closurereason",
    "casebook.levelcriterion",
    "casebook.intervention",
    "casebook.rolegrant",  # who asked which role for which professional (four eyes)
    # Failed log-ins per user name and address (django-axes), read-only, to lift a lockout
    # (audited); professionals' user names, never a youth, never what was typed.
    "axes.accessattempt",
    "casebook.grouprole",
    "casebook.processingactivity",  # the register of processing activities: no person in it
    "workflows.levelsetting",
    "workflows.meetingseries",
    "workflows.attendancerule",
    "workflows.tasktype",
    "reports.kpi",  # the plan's targets and how they are measured: no person in them
}
#: Models the libraries register; the functioneel beheerder has no permission on them (403):
#: viewflow's processes and tasks name cases and tasks, the job queue holds job arguments.
FRAMEWORK_MODELS = {
    "auth.group",
    "procrastinate.procrastinatejob",
    "viewflow.process",
    "viewflow.task",
}


def _admin_changelists() -> dict[str, str]:
    """Every changelist of the admin: URL -> model label."""
    from django.contrib import admin

    return {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"): (
            model._meta.label_lower
        )
        for model in admin.site._registry
    }


def test_the_admin_offers_configuration_only():
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}
    unknown = registered - CONFIGURATION_MODELS - FRAMEWORK_MODELS
    assert not unknown, unknown


def test_the_admin_is_for_the_functioneel_beheerder_only(world, db):
    """The admin's own check (its internals are not in the matrix): the index and every
    configuration changelist answer the functioneel beheerder, the libraries' models refuse
    him; every other role is sent to the admin's log-in, where only staff get in."""
    problems = []
    pages = {reverse("admin:index"): "index", **_admin_changelists()}
    for url, label in pages.items():
        for role in ROLES:
            got = answer(world.clients[role].get(url), "GET")
            expected = OK if role == "admin" else LOGIN
            if role == "admin" and label in FRAMEWORK_MODELS:
                expected = DENIED
            if got != expected:
                problems.append(f"{url} as {role}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


# --- The stuurgroep and the functioneel beheerder reach no person ------------------------------


def _no_person_urls(w: World, role: str) -> list[tuple[str, dict]]:
    """Every page either role can ask for: each GET of the matrix for every object, as a page
    and as an htmx fragment, the searches, the duplicate check, the task of their own
    organisation, and (for the beheerder) the admin with its searches."""
    headers = ({}, {"HTTP_HX_REQUEST": "true"})
    urls = []
    for key, row in MATRIX.items():
        if key.startswith("GET "):
            for variant in row.expect:
                urls += [(row.url(w, w.sides.get(variant)), h) for h in headers]
    youth = w.sides["own"].case.youth
    urls += [
        (reverse("casebook:case-list") + f"?q={youth.last_name}&status=all", headers[1]),
        (reverse("casebook:case-list") + f"?q={w.sides['own'].case.reference}", {}),
        (reverse("casebook:signal-duplicates") + "?" + _youth_query(w), headers[1]),
        (reverse("workflows:task-detail", args=[w.municipality_task.pk]), {}),
        (reverse("workflows:inbox") + "?state=all", {}),
        (reverse("notifications:list"), {}),
        (reverse("groups:list") + "?stap=", {}),
    ]
    if role == "admin":
        urls.append((reverse("admin:index"), {}))
        urls += [(url, {}) for url in _admin_changelists()]
        urls += [(url + f"?q={youth.last_name}", {}) for url in _admin_changelists()]
    return urls


@pytest.mark.parametrize("role", ["steering", "admin"])
def test_the_stuurgroep_and_the_beheerder_reach_no_person(role, world, db, fast_pdf):
    """Whatever they open, follow or search, no youth of the world shows: not its name, not its
    birth date. Their organisation (the municipality) holds a task on the own case, takes part
    in the own group and is invited to the sitting whose agenda is sent now: still nothing
    reaches them, not as a notification (so not as an e-mail) either."""
    w = world
    own = w.sides["own"]
    meetings.agenda_publish(meeting=own.meeting, actor=w.director)
    me = w.users[role]
    assert not Notification.objects.filter(recipient=me).exists()

    traces = person_traces(w)
    # The traces are real: the procesregisseur's case page shows them.
    director_page = w.clients["director"].get(reverse("casebook:case-detail", args=[own.case.pk]))
    html = director_page.content.decode()
    assert own.case.youth.last_name in html
    with translation.override("nl"):
        assert dateformat.format(own.case.youth.date_of_birth, "j F Y") in html

    leaks = []
    youth = own.case.youth
    client = w.clients[role]
    for url, headers in _no_person_urls(w, role):
        response = client.get(url, follow=True, **headers)
        is_pdf = response.get("Content-Type", "").startswith("application/pdf")
        # The stuurgroep's report PDF is aggregates (``fast_pdf`` hands its HTML back): read
        # it for traces like a page; any other document is a leak by itself.
        if is_pdf and not url.startswith(reverse("reports:overview-pdf")):
            leaks.append(f"{url}: a document ({response.status_code})")
            continue
        html = response.content.decode(errors="replace")
        if youth.last_name in url:  # a search shows what was searched for; a hit shows more
            html = html.replace(youth.last_name, "")
        found = sorted({trace for trace in traces if trace in html})
        if found:
            leaks.append(f"{url} ({response.status_code}): {', '.join(found)}")
    assert not leaks, "\n".join(leaks)
