# SPDX-License-Identifier: AGPL-3.0-or-later
"""The RIO track at PGA level: re-integration of an ex-detainee by the re-integration officer.

Starting it gives the RIO a re-integration plan, the five basic conditions and an aftercare
(nazorg) review, each a partner task; everything before the release is due the working day
before it. The RIO organisation is one whose staff work tasks when there is one; when nobody
there may pick the work up, the track is refused with a message naming it (``task_start``)
and nothing starts.
One transaction, audited through the task engine.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casebook.errors import NotAllowed, TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import Case, Organisation, OrganisationKind, User
from casebook.permissions import ASSIGN_TASK
from workflows.ladder.level_flows import start_case_work
from workflows.ladder.machine import PGA
from workflows.tasks import calendar
from workflows.tasks.models import OPEN_TASK_STATES, PartnerTask, TaskTypeCode
from workflows.tasks.services import staffed_first

RIO_BASIC_CONDITIONS = [
    ("ID-bewijs", "Regel een geldig identiteitsbewijs."),
    ("Inkomen", "Regel inkomen: werk, uitkering of studiefinanciering."),
    ("Huisvesting", "Regel een woonplek vanaf de dag van vrijlating."),
    ("Schulden", "Breng de schulden in kaart en regel schuldhulp."),
    ("Zorg", "Regel zorg en een zorgverzekering waar nodig."),
]


def rio_track_start(
    *, case: Case, actor: User, release_on: dt.date, expected_version: int | None = None
) -> list[PartnerTask]:
    """The RIO track for an ex-detainee at PGA level: a re-integration plan, the five basic
    conditions, each a task for the re-integration officer, and an aftercare (nazorg) review
    after release."""
    if not actor.has_perm(ASSIGN_TASK):
        raise NotAllowed("Alleen de procesregisseur start het RIO-traject.")
    rio = staffed_first(Organisation.objects.filter(kind=OrganisationKind.RIO))
    if rio is None:
        raise ValidationFailed("Er is geen re-integratieofficier (RIO) ingericht.")
    with transaction.atomic():
        case = for_update(Case).select_related("youth").get(pk=case.pk)
        check_version(case, expected_version, "Deze casus")
        if case.level != PGA:
            raise TransitionRefused("Het RIO-traject hoort bij casussen op PGA-niveau.")
        if PartnerTask.objects.filter(
            case=case, task_type__code=TaskTypeCode.REINTEGRATION_PLAN, state__in=OPEN_TASK_STATES
        ).exists():
            raise ValidationFailed("Er loopt al een RIO-traject voor deze casus.")
        before_release = calendar.end_of_day(calendar.add_working_days(release_on, -1))
        if before_release <= timezone.now():
            before_release = None  # already released: the task norms apply
        tasks = [
            start_case_work(
                case=case,
                actor=actor,
                code=TaskTypeCode.REINTEGRATION_PLAN,
                organisation=rio,
                deadline=before_release,
                instruction="Stel het re-integratieplan op, samen met de jongere en de inrichting.",
            )
        ]
        for name, instruction in RIO_BASIC_CONDITIONS:
            tasks.append(
                start_case_work(
                    case=case,
                    actor=actor,
                    code=TaskTypeCode.BASIC_CONDITIONS,
                    organisation=rio,
                    deadline=before_release,
                    instruction=f"{name}: {instruction}",
                )
            )
        review_day = calendar.add_working_days(release_on, 20)
        tasks.append(
            start_case_work(
                case=case,
                actor=actor,
                code=TaskTypeCode.AFTERCARE,
                organisation=rio,
                deadline=calendar.end_of_day(review_day),
                instruction="Beoordeel vier weken na vrijlating hoe de nazorg loopt.",
            )
        )
        bump(case)
    return tasks
