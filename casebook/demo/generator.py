# SPDX-License-Identifier: AGPL-3.0-or-later
"""Demo data: a year of IJAM in Maastricht, made through the real services.

Every youth, signal, screening, escalation and closure is created by the same service functions
a user's click calls, with the clock set back to when it "happened" (time-machine), so the
audit trail, the notifications and the case history are genuine. The configuration
(organisations, buurten, categories, criteria, catalogue) comes from the data migration.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import time_machine
from django.db import transaction
from django.utils import timezone

from casebook.demo.logins import DEMO_PASSWORD, DEMO_USERS
from casebook.models import (
    Case,
    ClosureReason,
    FamilyLink,
    GroupRole,
    LevelCriterion,
    Neighbourhood,
    Organisation,
    Role,
    SignalCategory,
    User,
    Youth,
)
from casebook.services.cases import case_update_details, family_link_add
from casebook.services.signals import signal_register, signal_start_screening
from casebook.services.youths import YouthData
from notifications.models import Notification
from workflows.ladder import CLOSED, JONGE_AANWAS, NETWERKOVERLEG, PGA
from workflows.models import PartnerTask, TaskType
from workflows.services import groups as group_services
from workflows.services import ladder
from workflows.services import tasks as task_services
from workflows.services.deadlines import sweep_deadlines
from workflows.services.level_flows import intake_request_information

LEVELS = (NETWERKOVERLEG, JONGE_AANWAS, PGA)
ENTRY_WEIGHTS = {NETWERKOVERLEG: 60, JONGE_AANWAS: 28, PGA: 12}

# Limburg and Maastricht family names next to Faker's general Dutch ones.
LOCAL_SURNAMES = [
    "Janssen",
    "Hermans",
    "Smeets",
    "Peeters",
    "Coenen",
    "Ramakers",
    "Lemmens",
    "Frissen",
    "Dassen",
    "Vliegen",
    "Bemelmans",
    "Schreurs",
    "Willems",
    "Claessens",
    "Pieters",
    "Brouwers",
    "Gulpen",
    "Keulen",
    "Habets",
    "Wetzels",
    "Souren",
    "Kleijnen",
    "Bastiaens",
    "Meijers",
    "El Amrani",
    "Yilmaz",
    "Kaya",
    "Ahmadi",
    "Bouzid",
    "Demir",
    "Haddou",
    "Tahiri",
]

SIGNAL_TEXTS = [
    "Hangt 's avonds met een groep rond bij het winkelcentrum; bewoners voelen zich geïntimideerd.",
    "Verzuimt al weken structureel; school krijgt geen contact met ouders.",
    "Aangehouden na winkeldiefstal samen met oudere jongens uit de buurt.",
    "Wordt gezien als loopjongen bij een drugspand; heeft ineens dure kleding en een scooter.",
    "Betrokken bij een vechtpartij na het uitgaan; droeg een mes bij zich.",
    "Vertelt op school dat hij €100 kreeg voor het bewaren van een pakketje.",
    "Ouders melden dat hij 's nachts wegblijft en geld heeft waarvan de herkomst onduidelijk is.",
    "Online bedreigingen naar klasgenoten; filmpjes van een vechtpartij gedeeld.",
    "Opgepakt voor heling van gestolen telefoons.",
    "Jongerenwerk ziet dat hij steeds vaker met een bekende doorgroeier optrekt.",
    "Na detentie terug in de wijk; geen woning, geen inkomen en schulden.",
    "Veroorzaakt overlast met brommers rond het speelveld; eerder Halt-traject gehad.",
]
REASONS = {
    "screen_in": [
        "Meerdere signalen uit verschillende domeinen; afstemming tussen partners nodig.",
        "Zorgen over ronselen voor klusjes; politie en school zien dezelfde ontwikkeling.",
        "Complexe casus met gezinsproblematiek en strafrechtelijke component.",
    ],
    "escalate": [
        "Ondanks afspraken nieuwe antecedenten; dwang en drang nodig.",
        "Signalen van betrokkenheid bij georganiseerde criminaliteit nemen toe.",
        "Gezinssysteem raakt ernstig betrokken; ketenoverstijgende aanpak nodig.",
    ],
    "deescalate": [
        "Plan van aanpak loopt; school en jongerenwerk zien verbetering.",
        "Geen nieuwe politiecontacten sinds drie maanden; netwerk is stabiel.",
    ],
    "close": [
        "Doelen uit het plan van aanpak zijn behaald.",
        "Jongere is verhuisd buiten de regio; overdracht aan de nieuwe gemeente.",
        "Overgedragen aan reguliere zorg; geen rol meer voor de IJAM-tafels.",
    ],
    "screen_out": [
        "Eenmalig incident; school pakt dit zelf op met ouders.",
        "Geen grond voor een IJAM-aanpak; doorverwezen naar het gebiedsteam.",
    ],
}


#: (task type, demo user whose organisation does it)
TASKS = [
    ("informatie", "politie"),
    ("informatie", "school"),
    ("schoolgesprek", "halt"),
    ("voortgang", "jeugdreclassering"),
    ("informatie", "jongerenwerk"),
]
TASK_INSTRUCTIONS = {
    "informatie": [
        "Lever de politie-informatie aan voor het casusoverleg (antecedenten, contacten).",
        "Beschrijf schoolverzuim, gedrag en contact met ouders voor het overleg.",
        "Geef aan wat jongerenwerk ziet in de buurt en met welke groep de jongere optrekt.",
    ],
    "schoolgesprek": ["Voer een Halt-schoolgesprek met de jongere en de mentor."],
    "voortgang": ["Lever een voortgangsrapportage over het toezicht aan."],
}
TASK_RESULTS = [
    "Informatie aangeleverd; zie het verslag in het eigen systeem.",
    "Gesprek gevoerd; jongere en ouders werken mee. Afspraken vastgelegd.",
    "Rapportage geleverd: naleving van afspraken wisselend, school gaat beter.",
]


@dataclass(order=True)
class Step:
    at: dt.datetime
    order: int
    run: Callable[[], None] = field(compare=False)


@dataclass
class Story:
    youth: Youth | None = None
    case: Case | None = None
    sibling_of: Story | None = None


class DemoWorld:
    def __init__(self, *, seed: int = 2026, youths: int = 150, log=print):
        from faker import Faker

        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.youth_count = youths
        self.log = log
        self.now = timezone.now()
        self.steps: list[Step] = []
        self.counter = 0

    # --- set-up ----------------------------------------------------------------------------------

    def create_users(self) -> dict[str, User]:
        users = {}
        for username, role, short_name, first, last, is_staff in DEMO_USERS:
            organisation = Organisation.objects.get(short_name=short_name)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "organisation": organisation,
                    "email": f"{username}@demo.ijam.invalid",
                    "is_staff": is_staff,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                user.roles.add(Role.objects.get(code=role))
            users[username] = user
        return users

    # --- the year --------------------------------------------------------------------------------

    def schedule(self, at: dt.datetime, run: Callable[[], None]) -> None:
        if at < self.now - dt.timedelta(minutes=5):
            self.counter += 1
            heapq.heappush(self.steps, Step(at, self.counter, run))

    def run(self) -> None:
        users = self.users = self.create_users()
        self.director = users["regisseur"]
        self.reporters = [
            users[u] for u in ("politie", "halt", "jeugdreclassering", "school", "jongerenwerk")
        ]
        self.neighbourhoods = list(Neighbourhood.objects.all())
        self.weights = [float(n.risk_weight) or 0.1 for n in self.neighbourhoods]
        self.categories = list(SignalCategory.objects.filter(is_active=True))
        self.closing = list(
            ClosureReason.objects.filter(is_active=True, allowed_from_screening=False)
        )
        self.screening_out = list(
            ClosureReason.objects.filter(is_active=True, allowed_from_screening=True)
        )
        stories = []
        for i in range(self.youth_count):
            story = Story()
            if stories and i % 15 == 0:
                story.sibling_of = self.rng.choice(stories)
            stories.append(story)
            start = self.now - dt.timedelta(
                days=self.rng.uniform(1, 365), hours=self.rng.uniform(-3, 3)
            )
            start = start.replace(hour=self.rng.randint(8, 16))
            self.schedule(start, self._first_signal(story))
        done = 0
        while self.steps:
            step = heapq.heappop(self.steps)
            with time_machine.travel(step.at, tick=False):
                step.run()
            done += 1
            if done % 100 == 0:
                self.log(f"  {done} gebeurtenissen…")
        self.create_groups()
        sweep_deadlines()  # what the worker would have chased by now
        # The demo's past needs no e-mails; keep a few recent notifications unread in the app.
        Notification.objects.update(emailed_at=self.now)
        recent = Notification.objects.order_by("-created_at").values_list("pk", flat=True)[:8]
        Notification.objects.exclude(pk__in=list(recent)).update(read_at=self.now)

    def create_groups(self) -> None:
        """A Mosae Forum-like group (about 90 youths of 13-19, most from Maastricht, split into
        red, orange and yellow) and smaller groups in the neighbourhoods the brief names, at
        different steps of the 7-stappenmodel."""
        rng = self.rng
        roles = {r.code: r for r in GroupRole.objects.all()}
        by_name = {n.name: n for n in self.neighbourhoods}
        plans = [
            (
                "Mosae Forum",
                "fluid",
                "Mosae Forum, Markt, Maasboulevard; Snapchat-groep",
                ["Binnenstad", "Wyck", "Boschpoort"],
                90,
                6,
            ),
            ("Groep Caberg", "loose_fixed", "Winkelcentrum Caberg", ["Caberg", "Malpertuis"], 9, 3),
            ("Groep Pottenberg", "fixed", "Speelveld Pottenberg", ["Pottenberg"], 6, 2),
            (
                "Online groep Wittevrouwenveld",
                "online",
                "TikTok en Telegram",
                ["Wittevrouwenveld", "Wyckerpoort"],
                5,
                1,
            ),
        ]
        tiers = ["red"] * 15 + ["orange"] * 30 + ["yellow"] * 55
        for name, kind, hotspots, buurten, size, steps in plans:
            group = group_services.group_create(
                actor=self.director,
                name=name,
                kind=kind,
                hotspots=hotspots,
                neighbourhoods=[by_name[b] for b in buurten if b in by_name],
            )
            homes = [by_name[b] for b in buurten if b in by_name] or self.neighbourhoods
            for i in range(size):
                local = rng.random() < 0.85  # some come from nearby municipalities
                role = (
                    roles["leider"]
                    if i == 0
                    else roles[rng.choice(["kern", "meeloper", "meeloper", "periferie"])]
                )
                group_services.group_member_add(
                    group=group,
                    actor=self.director,
                    role=role,
                    tier=rng.choice(tiers),
                    reason="Genoemd in de groepsscan van de politie",
                    new_youth=YouthData(
                        first_name=self.fake.first_name_male()
                        if rng.random() < 0.85
                        else self.fake.first_name_female(),
                        last_name=rng.choice(LOCAL_SURNAMES)
                        if rng.random() < 0.5
                        else self.fake.last_name(),
                        date_of_birth=timezone.localdate()
                        - dt.timedelta(days=rng.randint(13 * 365 + 10, 19 * 365 + 300)),
                        neighbourhood=rng.choice(homes)
                        if local
                        else rng.choice(self.neighbourhoods),
                    ),
                )
            for _ in range(steps):
                group_services.group_step_move(
                    group=group,
                    actor=self.director,
                    move="advance",
                    reason="Besluit in het groepsoverleg (driehoek waar nodig).",
                )

    def _first_signal(self, story: Story) -> Callable[[], None]:
        def run():
            rng = self.rng
            if story.sibling_of and story.sibling_of.youth:
                sibling = story.sibling_of.youth
                last_name, neighbourhood = sibling.last_name, sibling.neighbourhood
            else:
                last_name = (
                    rng.choice(LOCAL_SURNAMES) if rng.random() < 0.5 else self.fake.last_name()
                )
                neighbourhood = rng.choices(self.neighbourhoods, weights=self.weights)[0]
            age = rng.choices(
                range(8, 28), weights=[1, 1, 2, 2, 3, 4, 5, 6, 6, 6, 5, 4, 3, 3, 2, 2, 2, 1, 1, 1]
            )[0]
            today = timezone.localdate()
            born = today - dt.timedelta(days=age * 365 + rng.randint(10, 350))
            signal = signal_register(
                reporter=rng.choice(self.reporters),
                category=rng.choice(self.categories),
                description=rng.choice(SIGNAL_TEXTS),
                new_youth=YouthData(
                    first_name=self.fake.first_name_male()
                    if rng.random() < 0.8
                    else self.fake.first_name_female(),
                    last_name=last_name,
                    date_of_birth=born,
                    neighbourhood=neighbourhood,
                ),
                observed_on=today - dt.timedelta(days=rng.randint(0, 5)),
            )
            story.youth, story.case = signal.youth, signal.case
            if story.sibling_of and story.sibling_of.youth:
                family_link_add(
                    actor=self.director,
                    youth=story.youth,
                    relation=FamilyLink.Relation.SIBLING,
                    related_youth=story.sibling_of.youth,
                )
            now = timezone.now()
            if rng.random() < 0.35:
                self.schedule(
                    now + dt.timedelta(days=rng.uniform(1, 20)), self._extra_signal(story)
                )
            self.schedule(
                now + dt.timedelta(days=rng.uniform(0.2, 1.5)), self._start_screening(signal)
            )
            self.schedule(now + dt.timedelta(days=rng.uniform(2, 8)), self._screen(story))

        return run

    def _extra_signal(self, story: Story) -> Callable[[], None]:
        def run():
            signal_register(
                reporter=self.rng.choice(self.reporters),
                category=self.rng.choice(self.categories),
                description=self.rng.choice(SIGNAL_TEXTS),
                youth=story.youth,
            )

        return run

    def _start_screening(self, signal) -> Callable[[], None]:
        def run():
            signal.refresh_from_db()
            if signal.status == "received":
                signal_start_screening(signal=signal, actor=self.director)

        return run

    def _criteria(self, level: str) -> list[str]:
        criteria = list(LevelCriterion.objects.filter(level=level, is_active=True))
        chosen = [c.code for c in criteria if not c.any_of_group]
        groups: dict[str, list[str]] = {}
        for c in criteria:
            if c.any_of_group:
                groups.setdefault(c.any_of_group, []).append(c.code)
        chosen += [self.rng.choice(codes) for codes in groups.values()]
        return chosen

    def _screen(self, story: Story) -> Callable[[], None]:
        def run():
            rng = self.rng
            case = Case.objects.get(pk=story.case.pk)
            if rng.random() < 0.12 and self.screening_out:
                ladder.case_close(
                    case=case,
                    actor=self.director,
                    closure_reason=rng.choice(self.screening_out),
                    reason=rng.choice(REASONS["screen_out"]),
                )
                return
            level = rng.choices(list(ENTRY_WEIGHTS), weights=list(ENTRY_WEIGHTS.values()))[0]
            case = ladder.case_screen_in(
                case=case,
                actor=self.director,
                target_level=level,
                reason=rng.choice(REASONS["screen_in"]),
                criteria=self._criteria(level),
            )
            system = story.sibling_of is not None
            criminal = level != NETWERKOVERLEG and rng.random() < 0.5
            if system or criminal:
                case_update_details(
                    case=case,
                    actor=self.director,
                    approach=Case.Approach.SYSTEM if system else Case.Approach.INDIVIDUAL,
                    criminal_law_component=criminal,
                    reason="Broer/zus in beeld: systeemaanpak."
                    if system
                    else "Lopend strafrechtelijk traject; OM sluit aan.",
                )
            self.schedule(timezone.now() + dt.timedelta(hours=1), self._intake(story))
            if rng.random() < 0.75:
                self.schedule(timezone.now() + dt.timedelta(hours=2), self._assign_task(story))
            self.schedule(
                timezone.now() + dt.timedelta(weeks=rng.uniform(4, 12)), self._review(story)
            )

        return run

    def _intake(self, story: Story) -> Callable[[], None]:
        """The procesregisseur does the level's intake: information from one or two partners,
        due in a week; the evaluations that follow come due later."""

        def run():
            intake = (
                PartnerTask.objects.filter(
                    case_id=story.case.pk, task_type__code="intake", state="open"
                )
                .order_by("-pk")
                .first()
            )
            if intake is None:
                return
            partners = self.rng.sample(self.reporters, k=self.rng.choice((1, 2)))
            intake_request_information(
                task=intake,
                actor=self.director,
                organisations=[p.organisation for p in partners],
                deadline=timezone.now() + dt.timedelta(days=7),
                instruction="Wat weet u over school, vrienden en thuis?",
            )

        return run

    def _assign_task(self, story: Story) -> Callable[[], None]:
        def run():
            rng = self.rng
            case = Case.objects.get(pk=story.case.pk)
            if case.level == CLOSED:
                return
            code, worker = rng.choice(TASKS)
            reporter = self.users[worker]
            task = task_services.task_assign(
                case=case,
                actor=self.director,
                task_type=TaskType.objects.get(code=code),
                organisation=reporter.organisation,
                instruction=rng.choice(TASK_INSTRUCTIONS[code]),
            )
            roll = rng.random()
            later = timezone.now() + dt.timedelta(days=rng.uniform(1, 9))
            if roll < 0.55:
                self.schedule(later, self._work_task(task, reporter, finish=True))
            elif roll < 0.7:
                self.schedule(later, self._work_task(task, reporter, finish=False))
            # the rest stays open: some of it will be overdue by now

        return run

    def _work_task(self, task, worker: User, *, finish: bool) -> Callable[[], None]:
        def run():
            task.refresh_from_db()
            if task.state != "open":
                return
            claimed = task_services.task_claim(task=task, actor=worker)
            if finish:
                task_services.task_complete(
                    task=claimed, actor=worker, result=self.rng.choice(TASK_RESULTS)
                )

        return run

    def _review(self, story: Story) -> Callable[[], None]:
        def run():
            rng = self.rng
            case = Case.objects.get(pk=story.case.pk)
            if case.level == CLOSED:
                return
            roll = rng.random()
            index = LEVELS.index(case.level)
            if roll < 0.15 and index < 2:
                target = LEVELS[index + 1]
                ladder.case_escalate(
                    case=case,
                    actor=self.director,
                    target_level=target,
                    reason=rng.choice(REASONS["escalate"]),
                    criteria=self._criteria(target),
                )
            elif roll < 0.25 and index > 0:
                target = LEVELS[index - 1]
                ladder.case_deescalate(
                    case=case,
                    actor=self.director,
                    target_level=target,
                    reason=rng.choice(REASONS["deescalate"]),
                    criteria=self._criteria(target),
                )
            elif roll < 0.35:
                ladder.case_close(
                    case=case,
                    actor=self.director,
                    closure_reason=rng.choice(self.closing),
                    reason=rng.choice(REASONS["close"]),
                )
                return
            self.schedule(
                timezone.now() + dt.timedelta(weeks=rng.uniform(4, 12)), self._review(story)
            )

        return run


def seed_demo(*, youths: int = 150, seed: int = 2026, log=print) -> bool:
    """Load the demo year once. Returns False (and changes nothing) if data already exists."""
    if Youth.objects.exists():
        return False
    with transaction.atomic():
        DemoWorld(seed=seed, youths=youths, log=log).run()
    return True
