# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may see and do what: IJAM's one access policy (ADR 0013; the table is ``docs/access.md``).

Roles decide, organisations only scope. A role grants permissions (``casebook.permissions``);
this module turns them into decisions about every kind of object and every action on it, and
into the querysets of what a user may see. Views, htmx fragments, PDFs, consumers, selectors and
management commands ask here; none decides on its own.

- ``RULES`` is the table of roles × objects × actions: which capability an action needs. A view
  calls ``require(user, Act.X, Subject.Y)``: a role that may never do it gets a 403 with a Dutch
  message.
- The scopes (``cases``, ``tasks``, ``groups``, ``signals``, ``involved_cases``) say which
  objects a user may see; an object outside them answers 404, so its existence is not
  confirmed. ``casebook.middleware.DeniedAccessMiddleware`` logs both as denied access.
- Access ends: an involvement has an end, and a grace period after it
  (``IJAM_INVOLVEMENT_GRACE_DAYS``) the organisation no longer sees the case; its own tasks
  stay readable to its task workers. Emergency access (break the glass) opens one case to one
  user for ``IJAM_EMERGENCY_ACCESS_HOURS``, reviewed by the privacy officer.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casebook.models import Case, CaseInvolvement, EmergencyAccess, Group, Signal, User, Youth
from casebook.permissions import (
    APPROVE_ROLE_GRANT,
    ASSIGN_TASK,
    BREAK_THE_GLASS,
    RECORD_KPI_VALUE,
    RECORD_MINUTES,
    REGISTER_SIGNAL,
    REVIEW_EMERGENCY_ACCESS,
    RUN_GROUP_APPROACH,
    TRANSITION_CASE,
    VIEW_AGGREGATE_REPORTS,
    VIEW_ALL_CASES,
    VIEW_PROCESSING_LOG,
    WORK_ON_TASK,
)


class Subject(enum.StrEnum):
    YOUTH = "jongere"
    CASE = "casus"
    SIGNAL = "signaal"
    TASK = "taak"
    WORKLOAD = "werkvoorraad"
    GROUP = "groepsaanpak"
    GROUP_MEMBER = "groepslid"
    MEETING = "zitting"
    AGENDA_ITEM = "agendapunt"
    MINUTES = "verslag"
    DOCUMENT = "document"
    CASE_SUMMARY = "casusoverzicht (pdf)"
    NOTIFICATION = "melding"
    REPORT = "rapportage"
    AUDIT = "audittrail"
    ACCESS_OVERVIEW = "toegangsoverzicht"
    EMERGENCY_ACCESS = "doorbraak"
    CONFIGURATION = "configuratie"


class Act(enum.StrEnum):
    VIEW = "inzien"
    REGISTER = "melden"
    MOVE = "op- en afschalen, afsluiten"
    CHANGE = "wijzigen"
    ASSIGN = "toewijzen"
    WORK = "uitvoeren"
    RECORD = "vastleggen"
    RUN = "voeren"
    OPEN = "openen"
    REVIEW = "beoordelen"
    APPROVE = "goedkeuren"


# --- Capabilities: what a role's permissions make a user ---------------------------------------


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_zvh_staff(user) -> bool:
    """Procesregisseur and procesondersteuner: every case, signal and group of the ZVH."""
    return _active(user) and user.has_perm(VIEW_ALL_CASES)


def is_partner(user) -> bool:
    """A partner professional: reports signals and sees what its organisation is involved in.
    Without an organisation there is nothing to scope by: nothing."""
    return _active(user) and bool(user.organisation_id) and user.has_perm(REGISTER_SIGNAL)


def is_task_worker(user) -> bool:
    """Works the tasks of its own organisation (never a stuurgroep member or a beheerder of the
    same organisation: roles decide)."""
    return _active(user) and bool(user.organisation_id) and user.has_perm(WORK_ON_TASK)


def _perm(permission: str) -> Callable[[User], bool]:
    def check(user) -> bool:
        return _active(user) and user.has_perm(permission)

    check.__doc__ = permission
    return check


def _any(*checks: Callable[[User], bool]) -> Callable[[User], bool]:
    def check(user) -> bool:
        return any(c(user) for c in checks)

    return check


@dataclass(frozen=True)
class Rule:
    """Who may do an action (``who``, for the table in the docs) and the check for it; the
    objects are then cut by the scopes below."""

    who: str
    check: Callable[[User], bool]


_STAFF = "ZVH (procesregisseur, procesondersteuner)"
_PARTNER_INVOLVED = "partner: waar de eigen organisatie betrokken is"

#: roles × objects × actions. Absent: nobody (a 403). The stuurgroep, the functioneel beheerder
#: and the privacy officer reach no person through any of these.
RULES: dict[tuple[Subject, Act], Rule] = {
    # A youth is reached only through its case, and a document only through the object it is
    # about (its view asks that object's rule and scope): these two rows say so for the table.
    (Subject.YOUTH, Act.VIEW): Rule(
        f"{_STAFF}; {_PARTNER_INVOLVED} (via de casus)", _any(is_zvh_staff, is_partner)
    ),
    (Subject.CASE, Act.VIEW): Rule(
        f"{_STAFF}; {_PARTNER_INVOLVED}, tot 30 dagen (instelbaar) na het einde van de "
        "betrokkenheid; bij een doorbraak de ene casus, tijdelijk",
        _any(is_zvh_staff, is_partner),
    ),
    (Subject.CASE, Act.MOVE): Rule("procesregisseur", _perm(TRANSITION_CASE)),
    (Subject.CASE, Act.CHANGE): Rule(
        "procesregisseur (gegevens, familie, plan van aanpak, betrokkenheid)",
        _perm(TRANSITION_CASE),
    ),
    (Subject.CASE, Act.ASSIGN): Rule("procesregisseur", _perm(ASSIGN_TASK)),
    (Subject.SIGNAL, Act.REGISTER): Rule(
        "ZVH en partners (met een organisatie)", _any(is_partner, is_zvh_staff)
    ),
    (Subject.SIGNAL, Act.VIEW): Rule(
        f"{_STAFF}: alle; partner: de signalen van de eigen organisatie",
        _any(is_zvh_staff, is_partner),
    ),
    (Subject.SIGNAL, Act.MOVE): Rule(
        "procesregisseur (oppakken, niet oppakken, koppelen)", _perm(TRANSITION_CASE)
    ),
    (Subject.TASK, Act.VIEW): Rule(
        f"{_STAFF}: alle; takenbehandelaar: de taken van de eigen organisatie",
        _any(is_zvh_staff, is_task_worker),
    ),
    (Subject.TASK, Act.WORK): Rule("takenbehandelaar van de eigen organisatie", is_task_worker),
    (Subject.WORKLOAD, Act.VIEW): Rule(
        "ZVH (de open taken per organisatie, met wat over de deadline is)", is_zvh_staff
    ),
    (Subject.TASK, Act.ASSIGN): Rule(
        "procesregisseur (toewijzen, verplaatsen, doorsturen, annuleren)", _perm(ASSIGN_TASK)
    ),
    (Subject.GROUP, Act.VIEW): Rule(
        f"{_STAFF}; partner: de groepsaanpakken waaraan de eigen organisatie deelneemt",
        _any(is_zvh_staff, is_partner),
    ),
    (Subject.GROUP, Act.REGISTER): Rule(
        "ZVH en partners (groepssignaal)", _any(is_partner, _perm(RUN_GROUP_APPROACH))
    ),
    (Subject.GROUP, Act.CHANGE): Rule(
        "procesregisseur en deelnemende partners (informatie toevoegen); de procesondersteuner "
        "leest alleen",
        lambda user: (
            _perm(RUN_GROUP_APPROACH)(user) or (is_partner(user) and not is_zvh_staff(user))
        ),
    ),
    (Subject.GROUP, Act.RUN): Rule(
        "procesregisseur (stappen, leden, plan, deelnemers)", _perm(RUN_GROUP_APPROACH)
    ),
    (Subject.GROUP_MEMBER, Act.VIEW): Rule(
        f"{_STAFF}; partner: alleen als kernpartner of voor de eigen acties",
        _any(is_zvh_staff, is_partner),
    ),
    (Subject.MEETING, Act.VIEW): Rule(
        f"{_STAFF}; takenbehandelaar: de zittingen, met alleen de eigen casussen",
        _any(is_zvh_staff, is_task_worker),
    ),
    (Subject.MEETING, Act.CHANGE): Rule(
        "procesregisseur (plannen, verplaatsen, versturen, voorstellen agenderen)",
        _perm(ASSIGN_TASK),
    ),
    (Subject.AGENDA_ITEM, Act.CHANGE): Rule(
        "ZVH (agenda voorbereiden: opbouwen, casussen toevoegen, verwijderen, ordenen)",
        _perm(RECORD_MINUTES),
    ),
    (Subject.AGENDA_ITEM, Act.VIEW): Rule(
        f"{_STAFF}; takenbehandelaar: de casussen van de eigen organisatie",
        _any(is_zvh_staff, is_task_worker),
    ),
    (Subject.MINUTES, Act.VIEW): Rule(
        f"{_STAFF}; takenbehandelaar: de punten van de eigen casussen",
        _any(is_zvh_staff, is_task_worker),
    ),
    (Subject.MINUTES, Act.RECORD): Rule(
        "ZVH (verslag en concept-besluiten)", _perm(RECORD_MINUTES)
    ),
    (Subject.MINUTES, Act.APPROVE): Rule("procesregisseur (vaststellen)", _perm(ASSIGN_TASK)),
    (Subject.DOCUMENT, Act.VIEW): Rule(
        "wie het onderliggende object mag inzien, in de versie voor de eigen organisatie",
        _any(is_zvh_staff, is_partner, is_task_worker),
    ),
    (Subject.CASE_SUMMARY, Act.VIEW): Rule(
        "ZVH (het volledige overzicht; partners zien de casus op de pagina)", is_zvh_staff
    ),
    (Subject.NOTIFICATION, Act.VIEW): Rule("iedere gebruiker: alleen de eigen meldingen", _active),
    (Subject.REPORT, Act.VIEW): Rule(
        "stuurgroep en procesregisseur: alleen geaggregeerde cijfers",
        _perm(VIEW_AGGREGATE_REPORTS),
    ),
    (Subject.REPORT, Act.RECORD): Rule(
        "programmamanager (handmatige KPI-waarden, met bron en peildatum)",
        _perm(RECORD_KPI_VALUE),
    ),
    (Subject.AUDIT, Act.VIEW): Rule(
        "privacy officer (audittrail, verwerkingenlogboek)",
        _perm(VIEW_PROCESSING_LOG),
    ),
    (Subject.ACCESS_OVERVIEW, Act.VIEW): Rule(
        "privacy officer (elke jongere; namen van medewerkers alleen als zij dat kiest); "
        "procesregisseur: de jongeren van de casussen die de eigen organisatie regisseert, "
        "zonder namen",
        _any(_perm(VIEW_PROCESSING_LOG), _perm(TRANSITION_CASE)),
    ),
    (Subject.EMERGENCY_ACCESS, Act.OPEN): Rule(
        "partner met spoed: één casus, met reden, tijdelijk",
        lambda user: is_partner(user) and user.has_perm(BREAK_THE_GLASS),
    ),
    (Subject.EMERGENCY_ACCESS, Act.REVIEW): Rule(
        "privacy officer (nooit de eigen doorbraak)", _perm(REVIEW_EMERGENCY_ACCESS)
    ),
    (Subject.CONFIGURATION, Act.CHANGE): Rule(
        "functioneel beheerder (in /beheer/; nooit casusinhoud)",
        lambda user: _active(user) and user.is_staff,
    ),
    (Subject.CONFIGURATION, Act.APPROVE): Rule(
        "privacy officer of een tweede beheerder (roltoekenning, vier ogen)",
        _perm(APPROVE_ROLE_GRANT),
    ),
}

#: The message of a 403 for each kind of object (Dutch, actionable).
DENIED = {
    Subject.CASE: "Uw rol geeft geen toegang tot casussen.",
    Subject.TASK: "Uw rol geeft geen toegang tot taken.",
    Subject.MEETING: "Uw rol geeft geen toegang tot de casustafels.",
    Subject.MINUTES: "Uw rol geeft geen toegang tot verslagen.",
    Subject.GROUP: "Uw rol geeft geen toegang tot groepsaanpakken.",
    Subject.SIGNAL: "Uw rol geeft geen toegang tot signalen.",
    Subject.REPORT: "Alleen de stuurgroep en de procesregisseur zien rapportages.",
    Subject.AUDIT: "Alleen de privacy officer ziet de audittrail en het verwerkingenlogboek.",
    Subject.ACCESS_OVERVIEW: "Alleen de privacy officer en de procesregisseur zien het "
    "toegangsoverzicht van een jongere.",
    Subject.EMERGENCY_ACCESS: "Uw rol geeft geen recht op spoedtoegang of de beoordeling ervan.",
}


def may(user, act: Act, subject: Subject) -> bool:
    """Whether ``user``'s roles allow ``act`` on ``subject`` at all (the objects are then cut
    by the scopes). An action not in the table is allowed to nobody."""
    rule = RULES.get((subject, act))
    return rule is not None and rule.check(user)


def require(user, act: Act, subject: Subject) -> None:
    """403 with a Dutch message unless ``may``."""
    if may(user, act, subject):
        return
    if (subject, act) not in RULES:
        raise PermissionDenied("U heeft geen rechten voor deze handeling.")
    message = DENIED.get(subject, "U heeft geen rechten voor deze handeling.")
    if act is not Act.VIEW:
        message = f"U mag dit niet doen ({subject.value}: {act.value}). {message}"
    raise PermissionDenied(message)


# --- Scopes: which objects a user may see ------------------------------------------------------


def grace_period() -> dt.timedelta:
    return dt.timedelta(days=settings.IJAM_INVOLVEMENT_GRACE_DAYS)


def live_involvements(*, now: dt.datetime | None = None) -> QuerySet[CaseInvolvement]:
    """Involvements that still give sight: not ended, or ended within the grace period."""
    since = (now or timezone.now()) - grace_period()
    return CaseInvolvement.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=since))


def involved_cases(organisation_id: int | None) -> QuerySet:
    """The ids of the cases ``organisation_id`` is (still) involved in, for ``case__in``."""
    if not organisation_id:
        return Case.objects.none().values("pk")
    return live_involvements().filter(organisation_id=organisation_id).values("case")


def _emergency_for(user) -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.filter(user_id=user.pk, expires_at__gt=timezone.now())


def cases(user) -> QuerySet[Case]:
    """The cases ``user`` may open: all for ZVH staff; for a partner those its organisation is
    involved in (until the grace period after the involvement ended) and the ones it opened
    with an unexpired emergency access; none for every other role."""
    if is_zvh_staff(user):
        return Case.objects.all()
    if not is_partner(user):
        return Case.objects.none()
    involved = live_involvements().filter(case=OuterRef("pk"), organisation_id=user.organisation_id)
    # Emergency access is rare and short: its few case ids first (one index-only lookup), so
    # that the usual list is one EXISTS the planner turns into a semi-join; an OR of two
    # subqueries made it scan every case for the paginator's count (0.4 s at 100,000 cases).
    emergency = list(_emergency_for(user).values_list("case_id", flat=True))
    if emergency:
        return Case.objects.filter(Exists(involved) | Q(pk__in=emergency))
    return Case.objects.filter(Exists(involved))


class Basis(enum.StrEnum):
    """Why a user sees a case (logged with every read)."""

    ZVH = "zvh"
    INVOLVED = "betrokken"
    EMERGENCY = "doorbraak"


def case_basis(user, case: Case) -> tuple[Basis, EmergencyAccess | None]:
    """On what ground ``user`` sees ``case`` (which is in ``cases(user)``): an emergency access
    only when nothing else gives sight, so that every page seen under it is logged as such."""
    if is_zvh_staff(user):
        return Basis.ZVH, None
    if live_involvements().filter(case=case, organisation_id=user.organisation_id).exists():
        return Basis.INVOLVED, None
    return Basis.EMERGENCY, _emergency_for(user).filter(case=case).order_by("-expires_at").first()


def access_overview_youths(user, queryset: QuerySet[Youth]) -> QuerySet[Youth]:
    """The youths in ``queryset`` whose access overview ``user`` may open: every one for the
    privacy officer; for a procesregisseur those with a case its organisation directs
    (``coordinator_organisation``); none for anyone else. A youth outside answers as not
    found, so a search does not confirm that a person is known."""
    if _perm(VIEW_PROCESSING_LOG)(user):
        return queryset
    if _perm(TRANSITION_CASE)(user) and user.organisation_id:
        directed = Case.objects.filter(
            youth=OuterRef("pk"), coordinator_organisation_id=user.organisation_id
        )
        return queryset.filter(Exists(directed))
    return queryset.none()


def may_show_staff_names(user) -> bool:
    """Only the privacy officer may have an access overview name the staff who acted (and
    her choice is audited); everyone else sees organisations and roles."""
    return _perm(VIEW_PROCESSING_LOG)(user)


def works_on(user, task) -> bool:
    """Whether ``user`` may claim, complete or return ``task``: a task worker of the task's
    organisation."""
    return is_task_worker(user) and task.organisation_id == user.organisation_id


def signals(user, queryset: QuerySet[Signal] | None = None) -> QuerySet[Signal]:
    """Signals ``user`` may read: all for ZVH staff, a partner only its own organisation's."""
    queryset = Signal.objects.all() if queryset is None else queryset
    if is_zvh_staff(user):
        return queryset
    if is_partner(user):
        return queryset.filter(reporter_organisation_id=user.organisation_id)
    return queryset.none()


def tasks(user, queryset: QuerySet) -> QuerySet:
    """The tasks in ``queryset`` ``user`` may see: all for ZVH staff, a task worker its own
    organisation's (also after the case went out of sight: its own work stays readable), none
    for anyone else of the organisation."""
    if is_zvh_staff(user):
        return queryset
    if is_task_worker(user):
        return queryset.filter(organisation_id=user.organisation_id)
    return queryset.none()


def groups(user) -> QuerySet[Group]:
    """All groups for ZVH staff; for a partner the approaches its organisation takes part in;
    none for the steering group, the beheerder and the privacy officer."""
    if is_zvh_staff(user):
        return Group.objects.all()
    if is_partner(user):
        return Group.objects.filter(participants__organisation_id=user.organisation_id)
    return Group.objects.none()


def cut_to_organisation(items: QuerySet, organisation_id: int | None) -> QuerySet:
    """Items with a ``case`` (agenda and minutes items) cut to the cases an organisation is
    still involved in; ``None``: the ZVH's own, full copy."""
    if organisation_id is None:
        return items
    return items.filter(case__in=involved_cases(organisation_id))


def case_items_for(user, items: QuerySet) -> QuerySet:
    """Agenda or minutes items as ``user`` may see them."""
    if is_zvh_staff(user):
        return items
    if not is_task_worker(user):
        return items.none()
    return cut_to_organisation(items, user.organisation_id)


def rules_table() -> str:
    """``RULES`` as a Markdown table of roles × objects × actions, each cell computed by asking
    the rule with the permissions the standard roles have in the database (``manage.py
    access_table``; ``docs/access.md`` holds it, and a test keeps the two the same). "✓" means
    allowed, cut to the objects the scopes give; "—" means never."""
    from casebook.models import Role

    roles = list(Role.objects.prefetch_related("permissions__content_type").order_by("pk"))
    people = []
    for role in roles:
        person = User(is_active=True, organisation_id=1, is_staff=role.code == "functional_admin")
        person._perm_cache = {
            f"{perm.content_type.app_label}.{perm.codename}" for perm in role.permissions.all()
        }
        people.append(person)
    lines = [
        "| object | handeling | " + " | ".join(role.name for role in roles) + " | wie precies |",
        "|---|---|" + "---|" * len(roles) + "---|",
    ]
    for (subject, act), rule in RULES.items():
        cells = " | ".join("✓" if rule.check(person) else "—" for person in people)
        lines.append(f"| {subject.value} | {act.value} | {cells} | {rule.who} |")
    return "\n".join(lines) + "\n"
