# SPDX-License-Identifier: AGPL-3.0-or-later
"""Demo data: a year and a half of IJAM in Maastricht, made through the real services.

Every youth, signal, screening, escalation and closure is created by the same service functions
a user's click calls, with the clock set back to when it "happened" (time-machine), so the
audit trail, the notifications and the case history are genuine. The configuration
(organisations, buurten, categories, criteria, catalogue) comes from the data migration.

The stories start over ``SPAN_DAYS`` (six quarters, so a quarter can be set beside the same
quarter a year earlier), more of them lately than at first (signalling grows as partners join),
and two more schools start signalling partway (the KPI dashboard's K10 moves). The same number of
stories as before, spread thinner: the demo takes about as long to load.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import time_machine
from django.db import transaction
from django.utils import timezone

from casebook.models import (
    Case,
    ClosureReason,
    FamilyLink,
    Group,
    GroupMember,
    GroupRole,
    LevelCriterion,
    Neighbourhood,
    Organisation,
    Role,
    Signal,
    SignalCategory,
    User,
    Youth,
)
from casebook.permissions import WORK_ON_TASK
from casebook.services.cases import case_update_details, family_link_add
from casebook.services.signals import signal_register, signal_start_screening
from casebook.services.youths import YouthData
from ijam.demo.logins import DEMO_COLLEAGUES, DEMO_PASSWORD, DEMO_USERS
from notifications.models import EmailState, Notification
from reports.models import Kpi
from reports.services_dashboard import kpi_manual_value_record
from workflows.groups.services.bulk import group_bulk_action
from workflows.groups.services.members import (
    group_member_add,
    group_member_leave,
    group_member_tier,
)
from workflows.groups.services.participants import group_note_add, group_participant_set
from workflows.groups.services.plan import group_interpretation_update, group_plan_action_add
from workflows.groups.services.signals import group_member_spin_off, group_signal_register
from workflows.groups.services.steps import group_create, group_step_move
from workflows.groups.steps import ORDER
from workflows.ladder import services as ladder
from workflows.ladder.level_flows import intake_request_information
from workflows.ladder.machine import AWAITING, CLOSED, JONGE_AANWAS, NETWERKOVERLEG, PGA
from workflows.meetings.services import sittings_plan_ahead
from workflows.tasks import services as task_services
from workflows.tasks.deadlines import sweep_deadlines
from workflows.tasks.models import PartnerTask, TaskType, TaskTypeCode

LEVELS = (NETWERKOVERLEG, JONGE_AANWAS, PGA)
#: The programme manager's values of the targets IJAM cannot measure (demo; no persons):
#: (KPI, days ago, value or None, stand van zaken, bron).
MANUAL_KPI_VALUES = (
    (
        "K2",
        700,
        None,
        "Actieplan 2025 vastgesteld, met criteria voor de informatiepositie",
        "Besluit stuurgroep december 2024",
    ),
    (
        "K11",
        690,
        None,
        "Afspraken gemaakt met 5 van de 6 VO-scholen over trainingen",
        "Verslag regiegroep december 2024",
    ),
    (
        "K1",
        120,
        None,
        "Convenant ZVH door 14 partners ondertekend; informatie via IJAM",
        "Jaarverslag ZVH 2025",
    ),
    (
        "K4",
        45,
        None,
        "Netwerkoverleg preventie en justitie: 11 van de 12 keer doorgegaan",
        "Presentielijsten regiegroep 2026",
    ),
    (
        "K12",
        300,
        "18",
        "18% van de docenten getraind, gemiddeld over de scholen",
        "Registratie RIEC-trainingen voorjaar 2026",
    ),
    (
        "K12",
        20,
        "41",
        "41% van de docenten getraind; op 2 scholen al meer dan de helft",
        "Registratie RIEC-trainingen najaar 2026",
    ),
    (
        "K3",
        15,
        "7.2",
        "Partners waarderen de samenwerking gemiddeld met een 7,2",
        "Partnerenquête najaar 2026",
    ),
)
#: How far back the first signals go: 18 months, six quarters.
SPAN_DAYS = 548
#: Schools whose brugfunctionaris starts signalling partway: (username, days ago).
LATE_REPORTERS = (("terranigra", 400), ("bonnefanten", 170))
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
    (TaskTypeCode.INFORMATION, "politie"),
    (TaskTypeCode.INFORMATION, "school"),
    ("schoolgesprek", "halt"),
    ("voortgang", "jeugdreclassering"),
    (TaskTypeCode.INFORMATION, "jongerenwerk"),
]
TASK_INSTRUCTIONS = {
    TaskTypeCode.INFORMATION: [
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


# --- Youth groups (7-stappenmodel) ------------------------------------------------------------


@dataclass(frozen=True)
class PlannedAction:
    """An action of a group's plan of approach, drawn up in step 3 (concept) or step 5."""

    track: str  # groep, individu, gezin, domein
    organisation: tuple[str, str]  # (organisation kind, preferred short name)
    description: str
    task_type: str = TaskTypeCode.GROUP_ACTION
    tier: str = ""  # individu/gezin: the member's tier (another tier if none is left)
    max_age: int = 99  # individu/gezin: e.g. Halt is for minors
    due_in: int = 30  # days after the demo's "now"
    concept: bool = False  # already in the concept plan of step 3
    claimed_after: float | None = None  # days after the plan's adoption a partner takes it on
    done_after: float | None = None  # … and finishes it, with ``result``
    result: str = ""


@dataclass(frozen=True)
class GroupPlan:
    """One demo group: where it is now (``step``) and when it got there.

    ``days`` holds how many days ago the group was created and entered each later step, up to
    ``step``; ``reasons`` the gate decisions in between. Each gate gets what it asks for from
    the rest: the member list and group scan (2), the duiding with the plan's aims (3), the
    driehoek's priority (4) and the planned actions (5)."""

    name: str
    kind: str
    hotspots: str
    buurten: tuple[str, ...]
    size: int
    step: str
    days: tuple[float, ...]
    reasons: tuple[str, ...]
    signals: tuple[tuple[str, str], ...]  # (demo user, signal about the group's behaviour)
    scan: str = ""  # the police group scan (task result and note), once it is done
    duiding: dict = field(default_factory=dict)
    advice: str = ""  # the police advice to the driehoek (step 4)
    priority: str = ""
    actions: tuple[PlannedAction, ...] = ()
    notes: tuple[tuple[float, str, str, str], ...] = ()  # (days ago, user, kind, text)
    existing_youths: int = 0  # members who are already on the IJAM ladder
    members: tuple[tuple[str, str], ...] = ()  # (role, tier) as the scan describes; else drawn


GROEP, INDIVIDU, GEZIN, DOMEIN = "groep", "individu", "gezin", "domein"

GROUP_PLANS = [
    GroupPlan(
        name="Mosae Forum",
        kind="fluid",
        hotspots="Mosae Forum (ingang parkeergarage, roltrappen), Markt, Maasboulevard; "
        "Snapchat-groep",
        buurten=("Binnenstad", "Wyck", "Boschpoort"),
        size=90,
        step="6_uitvoeren",
        days=(236, 229, 205, 191, 177, 163),
        existing_youths=2,
        reasons=(
            "Signalen van politie, jongerenwerk, school en ondernemers wijzen op een grote groep "
            "rond Mosae Forum; informatie verzamelen en de groepsscan aanvragen.",
            "Ledenlijst voldoet aan de definitie en de groepsscan van de politie is binnen: het "
            "groepsgedrag is problematisch.",
            "Groepsduiding en concept plan van aanpak gereed; voorleggen aan de driehoek.",
            "De driehoek (burgemeester, politie, OM) geeft prioriteit hoog: overlast en "
            "intimidatie in het kernwinkelgebied en signalen van ronselen.",
            "Integraal plan van aanpak vastgesteld in het groepsoverleg; de acties gaan naar de "
            "partners en de maandelijkse monitoring start.",
        ),
        signals=(
            (
                "politie",
                "Ondernemers en beveiliging van Mosae Forum melden bijna dagelijks groepen van 20 "
                "tot 40 jongeren bij de ingang van de parkeergarage en de roltrappen. Winkelend "
                "publiek wordt uitgescholden en geïntimideerd; vorige week is een toegangspoort "
                "van de parkeergarage vernield.",
            ),
            (
                "jongerenwerk",
                "Jongerenwerk ziet op woensdag-, vrijdag- en zaterdagmiddag een grote, wisselende "
                "groep jongeren uit de hele stad bij Mosae Forum en op de Markt. Oudere jongens "
                "sturen jongere meelopers aan; er gaan verhalen rond over 'klusjes' voor geld.",
            ),
            (
                "school",
                "Leerlingen spijbelen om naar Mosae Forum te gaan. Een vechtpartij op de Markt "
                "is gefilmd en in een Snapchat-groep gedeeld; ouders maken zich zorgen.",
            ),
        ),
        scan="Groepsscan afgerond. Fluïde netwerk: een kern van ongeveer vijftien jongens met een "
        "wisselende schil van meelopers uit heel Maastricht en enkele Heuvelland-gemeenten. Feiten "
        "afgelopen half jaar: vernielingen, winkeldiefstal, bedreiging van beveiligers, enkele "
        "mishandelingen en twee aanhoudingen voor drugsbezit (handelshoeveelheid). Signalen dat "
        "kernleden jongere jongens ronselen voor het bewaren van pakketjes en uitkijken. "
        "Advies aan gemeente en OM: groepsaanpak starten, prioriteit hoog.",
        duiding={
            "problem_types": ["overlast", "criminaliteit", "ondermijning"],
            "dynamics": "Fluïde netwerk. Een vaste kern van oudere jongens trekt via Snapchat "
            "wisselende groepen jongere meelopers aan. Samenscholing vooral op woensdagmiddag, "
            "vrijdag en zaterdag rond Mosae Forum; bij handhaving verplaatst de groep zich naar "
            "de Markt en de Maasboulevard. Status, merkkleding en snel geld spelen een grote rol.",
            "roles_description": "Leider en kern (rood): sturen de groep, dealen kleine "
            "hoeveelheden en ronselen jongere jongens voor 'klusjes' (pakketjes bewaren, "
            "uitkijken). Meelopers (oranje): veroorzaken de meeste overlast en intimideren "
            "winkelend publiek en personeel. Periferie (geel): jonge tieners die erbij willen "
            "horen.",
            "context": "Mosae Forum is het overdekte winkelcentrum in de binnenstad, met "
            "parkeergarage, het stadhuisplein en de Markt ernaast: veel winkelend publiek, "
            "particuliere beveiliging en cameratoezicht in de openbare ruimte. De jongeren komen "
            "uit de binnenstad, Wyck, Boschpoort en Noordoost, een deel uit Heuvelland-gemeenten.",
            "plan_goals": "1. Overlast en intimidatie rond Mosae Forum en de Markt binnen drie "
            "maanden merkbaar omlaag (minder meldingen van ondernemers en politie).\n"
            "2. De kern losweken van de groep: persoonsgerichte aanpak van de rode leden; het "
            "ronselen van jongere meelopers stopt.\n"
            "3. Meelopers en periferie perspectief bieden via school, jongerenwerk en gezin.\n"
            "4. Ondernemers, corporatie en gemeente verkleinen de gelegenheid (hangplekken, "
            "verlichting, winkelverboden).",
            "monitoring_weeks": 4,
        },
        advice="Advies politie aan de driehoek: prioriteit hoog. Structurele overlast in het "
        "kernwinkelgebied, intimidatie van publiek en personeel en concrete signalen van ronselen "
        "voor drugshandel. Inzet: samenscholingsverbod handhaven, persoonsgerichte aanpak van de "
        "kern, stopgesprekken en huisbezoeken bij meelopers.",
        priority="hoog",
        actions=(
            PlannedAction(
                GROEP,
                ("handhaving", "Handhaving"),
                "Samenscholingsverbod (APV) en gebiedsverboden rond Mosae Forum en de Markt "
                "handhaven: jeugdboa's op woensdag-, vrijdag- en zaterdagmiddag; bij overtreding "
                "proces-verbaal en melding aan de procesregisseur.",
                due_in=60,
                concept=True,
            ),
            PlannedAction(
                GROEP,
                ("jongerenwerk", "Trajekt"),
                "Outreachend jongerenwerk bij Mosae Forum: twee middagen per week op straat, "
                "contact leggen met meelopers en periferie en hen toeleiden naar sport en het "
                "jongerencentrum.",
                due_in=45,
                concept=True,
                claimed_after=4,
            ),
            PlannedAction(
                GROEP,
                ("gemeente", "Gemeente"),
                "Cameratoezicht Mosae Forum en Markt: aanwijzingsbesluit van de burgemeester "
                "verlengen en op vrijdag en zaterdag live uitkijken vanuit de meldkamer.",
                due_in=30,
                concept=True,
            ),
            PlannedAction(
                GROEP,
                ("politie", "Politie"),
                "Gerichte surveillance door wijkagenten en stopgesprekken bij samenscholing; "
                "signalen van ronselen en drugshandel doorzetten naar de recherche.",
                due_in=40,
                claimed_after=2,
            ),
            PlannedAction(
                INDIVIDU,
                ("halt", "Halt"),
                "Halt-afdoening na de vernieling van de toegangspoort van de parkeergarage; "
                "herstelgesprek met de centrummanager van Mosae Forum.",
                task_type=TaskTypeCode.INTERVENTION,
                tier="red",
                max_age=17,
                due_in=20,
                claimed_after=3,
                done_after=38,
                result="Halt-afdoening afgerond: excuses aangeboden aan de centrummanager, schade "
                "deels vergoed met een werkstraf van 12 uur; ouders waren bij het eindgesprek.",
            ),
            PlannedAction(
                INDIVIDU,
                ("jeugdreclassering", "Jeugdreclassering"),
                "Toezicht jeugdreclassering: het gebiedsverbod Mosae Forum als bijzondere "
                "voorwaarde bewaken, wekelijks contact en voortgang terugkoppelen aan de "
                "groepsaanpak.",
                task_type="voortgang",
                tier="red",
                max_age=17,
                due_in=50,
                claimed_after=1,
            ),
            PlannedAction(
                INDIVIDU,
                ("politie", "Politie"),
                "Stopgesprek door de wijkagent over het ronselen van jongere meelopers; bij nieuwe "
                "signalen doorverwijzen naar de IJAM-ladder.",
                tier="red",
                due_in=15,
                claimed_after=2,
                done_after=9,
                result="Stopgesprek gevoerd in het bijzijn van vader. Jongere ontkent ronselen, "
                "maar weet dat hij in beeld is; afspraak om de Snapchat-groep te verlaten.",
            ),
            PlannedAction(
                INDIVIDU,
                ("school", "Porta Mosana"),
                "Verzuim aanpakken met de brugfunctionaris en leerplicht: dagelijkse "
                "aanwezigheidscontrole en een gesprek met mentor en ouders.",
                tier="orange",
                max_age=17,
                due_in=30,
                claimed_after=3,
            ),
            PlannedAction(
                GEZIN,
                ("politie", "Politie"),
                "Huisbezoek bij de ouders door wijkagent en procesregisseur: zorgen over het "
                "groepsgedrag delen en afspraken maken over thuiskomtijden.",
                tier="red",
                due_in=10,
                claimed_after=1,
                done_after=6,
                result="Huisbezoek afgelegd. Ouders schrokken van de signalen en werken mee; "
                "afspraken over thuiskomen en telefoongebruik vastgelegd.",
            ),
            PlannedAction(
                GEZIN,
                ("gemeente", "Team Jeugd"),
                "Gezinscoach van het wijkteam inzetten: moeder ondersteunen bij grenzen stellen en "
                "toezicht in de avond; afstemming met schuldhulpverlening.",
                task_type=TaskTypeCode.INTERVENTION,
                tier="orange",
                due_in=75,
            ),
            PlannedAction(
                DOMEIN,
                ("woningcorporatie", "Servatius"),
                "Met Servatius, de VvE en de ondernemers van Mosae Forum de hangplek bij de ingang "
                "van de parkeergarage onaantrekkelijk maken (verlichting, geen zitranden) en "
                "overlast centraal laten melden.",
                due_in=55,
            ),
            PlannedAction(
                DOMEIN,
                ("gemeente", "Gemeente"),
                "Afspraken met centrummanagement en ondernemers van Mosae Forum: collectief "
                "winkelverbod bij intimidatie of diefstal, meldingen via één meldpunt en "
                "terugkoppeling in het groepsoverleg.",
                due_in=35,
                concept=True,
            ),
        ),
        notes=(
            (
                101,
                "jongerenwerk",
                TaskTypeCode.INFORMATION,
                "Sinds de uitbreiding van het cameratoezicht verplaatst een deel van de groep zich "
                "naar de Maasboulevard en het Stadspark. Meelopers komen goed naar het "
                "jongerencentrum; vijf jongens doen op dinsdag mee met zaalvoetbal.",
            ),
            (
                68,
                "school",
                TaskTypeCode.INFORMATION,
                "Het verzuim van de aangemelde leerling is gedaald. Rond de toetsweek weer onrust "
                "door berichten in de Snapchat-groep.",
            ),
            (
                40,
                "regisseur",
                "advies",
                "Advies OM uit het driehoeksoverleg: bij nieuwe feiten van kernleden afdoen via "
                "ZSM en een gebiedsverbod als voorwaarde meenemen. Prioriteit blijft hoog; "
                "evaluatie na de zomer.",
            ),
            (
                17,
                "politie",
                "signaal",
                "Weer meer overlast bij de roltrappen op zaterdag. Twee nieuwe, jonge meelopers "
                "gezien; mogelijk via Snapchat benaderd door een kernlid.",
            ),
        ),
    ),
    GroupPlan(
        name="Groep Caberg",
        kind="loose_fixed",
        hotspots="Winkelcentrum Caberg (overdekte hoek bij de bushalte), speelveld Malpertuis",
        buurten=("Caberg", "Malpertuis"),
        size=9,
        members=(
            ("leider", "red"),
            ("kern", "red"),
            ("kern", "orange"),
            ("kern", "orange"),
            ("kern", "orange"),
            ("meeloper", "yellow"),
            ("meeloper", "yellow"),
            ("meeloper", "yellow"),
            ("periferie", "yellow"),
        ),
        step="4_adviseren",
        days=(78, 72, 51, 23),
        reasons=(
            "Signalen van wijkagent en jongerenwerk over overlast en vernielingen bij "
            "winkelcentrum Caberg; informatie verzamelen.",
            "Ledenlijst compleet en voldoet aan de definitie; groepsscan van de politie ontvangen.",
            "Groepsduiding en concept plan gereed; agenderen voor de driehoek.",
        ),
        signals=(
            (
                "politie",
                "Wijkagent Caberg: een groep van acht à tien jongeren hangt 's avonds bij "
                "winkelcentrum Caberg en de snackbar. Scooters rijden hard over het plein, "
                "winkelpersoneel wordt uitgescholden en er worden fietsen vernield.",
            ),
            (
                "jongerenwerk",
                "Jongerenwerk ziet dezelfde jongens overdag bij het speelveld in Malpertuis; twee "
                "van hen gaan niet meer naar school.",
            ),
        ),
        scan="Groepsscan: los-vaste groep van negen jongeren uit Caberg en Malpertuis, twee met "
        "antecedenten voor vernieling en winkeldiefstal. Geen signalen van ondermijning. Advies: "
        "groepsaanpak met accent op overlast en perspectief (school, werk).",
        duiding={
            "problem_types": ["overlast", "criminaliteit"],
            "dynamics": "Los-vaste groep die elkaar kent van school en de voetbalclub. Eén "
            "oudere jongen met scooter is het middelpunt; de overlast neemt toe als hij er is. "
            "Verveling en weinig dagbesteding.",
            "roles_description": "Leider met scooter; vier kernleden die meedoen aan "
            "vernielingen; meelopers die vooral aanwezig zijn.",
            "context": "Winkelcentrum Caberg met snackbar en supermarkt; de overdekte hoek bij de "
            "bushalte is de hangplek. Bewoners van de seniorenflat voelen zich onveilig.",
            "plan_goals": "Overlast bij winkelcentrum Caberg terugdringen; de twee schoolverlaters "
            "terug naar school of werk; ouders betrekken; de hangplek minder aantrekkelijk maken.",
            "monitoring_weeks": 6,
        },
        advice="Advies politie aan de driehoek: prioriteit midden. Overlast en vernielingen, geen "
        "ondermijning; met de voorgestelde inzet van jongerenwerk en handhaving is de groep goed "
        "te beïnvloeden.",
        actions=(
            PlannedAction(
                GROEP,
                ("handhaving", "Handhaving"),
                "Jeugdboa's 's avonds aanwezig bij winkelcentrum Caberg; scooters samen met de "
                "politie controleren.",
                due_in=50,
                concept=True,
            ),
            PlannedAction(
                GROEP,
                ("jongerenwerk", "Trajekt"),
                "Jongerenwerk organiseert een vaste avondactiviteit in het buurthuis van Caberg en "
                "legt contact met de leider.",
                due_in=45,
                concept=True,
            ),
            PlannedAction(
                INDIVIDU,
                ("gemeente", "Leerplicht"),
                "Leerplicht/RMC: schoolverlater terug naar school of naar een werkleertraject bij "
                "Vista College.",
                tier="orange",
                due_in=40,
                concept=True,
            ),
            PlannedAction(
                DOMEIN,
                ("woningcorporatie", "Woonpunt"),
                "Met de woningcorporatie en de winkeliers: verlichting en een camera bij de "
                "overdekte hoek naast de bushalte.",
                due_in=60,
                concept=True,
            ),
        ),
    ),
    GroupPlan(
        name="Groep Pottenberg",
        kind="fixed",
        hotspots="Speelveld Pottenberg, jeu-de-boulesbaan",
        buurten=("Pottenberg",),
        size=6,
        members=(  # no clear leader
            ("kern", "red"),
            ("kern", "orange"),
            ("kern", "orange"),
            ("meeloper", "yellow"),
            ("meeloper", "yellow"),
            ("periferie", "yellow"),
        ),
        step="3_duiding",
        days=(47, 41, 16),
        reasons=(
            "Meerdere meldingen van buurtbewoners via de politie en signalen van jongerenwerk; "
            "informatie verzamelen.",
            "Ledenlijst voldoet aan de definitie; groepsscan van de politie ontvangen.",
        ),
        signals=(
            (
                "politie",
                "Buurtbewoners van Pottenberg melden een vaste groep jongeren op het speelveld tot "
                "na middernacht: harde muziek, lachgas, vuurwerk en vernielde speeltoestellen.",
            ),
            (
                "jongerenwerk",
                "Jongerenwerk kent de groep: jongens uit de buurt die al jaren samen optrekken. "
                "Sinds kort komt 's avonds een oudere jongen met een auto langs.",
            ),
        ),
        scan="Groepsscan: vaste groep van zes jongeren uit Pottenberg. Overlast (lachgas, geluid, "
        "vernieling van speeltoestellen); één jongen verdacht van vernieling. Zorg over de oudere "
        "bezoeker met auto: de politie onderzoekt of er gedeald wordt.",
        # The duiding is under way: the gate of step 3 still misses the plan's aims.
        duiding={
            "problem_types": ["overlast"],
            "dynamics": "Vaste vriendengroep uit de buurt die elkaar van de basisschool kent; geen "
            "duidelijke leider. Overlast vooral in het weekend en in de zomer.",
            "context": "Speelveld met jeu-de-boulesbaan naast seniorenwoningen; bewoners bellen "
            "vaak de politie en de groep voelt zich weggejaagd.",
        },
        notes=(
            (
                9,
                "jongerenwerk",
                TaskTypeCode.INFORMATION,
                "Gesprek met de groep op het speelveld: de jongens willen een eigen plek "
                "(voetbalkooi) en denken mee over afspraken met de bewoners.",
            ),
        ),
    ),
    GroupPlan(
        name="Online groep Wittevrouwenveld",
        kind="online",
        hotspots="TikTok en een Telegram-groep",
        buurten=("Wittevrouwenveld", "Wyckerpoort"),
        size=5,
        members=(
            ("leider", "red"),
            ("kern", "orange"),
            ("kern", "orange"),
            ("meeloper", "yellow"),
            ("meeloper", "yellow"),
        ),
        step="2_beoordelen",
        days=(19, 12),
        reasons=(
            "Signalen van jongerenwerk en school over online intimidatie via TikTok en Telegram; "
            "informatie verzamelen en de groepsscan (ook online) aanvragen.",
        ),
        signals=(
            (
                "jongerenwerk",
                "Jongeren uit Wittevrouwenveld en Wyckerpoort worden in een Telegram-groep en via "
                "TikTok-filmpjes bedreigd en vernederd. Filmpjes van 'fights' worden gedeeld en er "
                "wordt opgeroepen om af te spreken om te vechten.",
            ),
            (
                "school",
                "Leerlingen durven niet naar school na dreigberichten in een Telegram-groep; de "
                "namen van vijf jongeren uit Wittevrouwenveld worden genoemd. Een foto van een "
                "leerlinge wordt zonder toestemming rondgestuurd.",
            ),
        ),
    ),
]

#: Role → tier weights (red, orange, yellow): the kern is mostly red, the periferie yellow.
TIER_WEIGHTS = {
    "leider": (1, 0, 0),
    "kern": (55, 45, 0),
    "meeloper": (4, 38, 58),
    "periferie": (0, 10, 90),
}
MONITORING_RESULTS = [
    "Alle acties opgepakt behalve het cameratoezicht (besluit in voorbereiding). Meldingen van "
    "ondernemers gehalveerd ten opzichte van de maand ervoor.",
    "Overlastbrieven bezorgd; de groep verplaatst zich deels naar de Maasboulevard. Kleuren "
    "bijgesteld en twee nieuwe meelopers op de ledenlijst.",
    "Meldingen rond Mosae Forum stabiel laag; Halt-afdoening afgerond. Jongerenwerk stuurt bij "
    "op de verplaatsing naar het Stadspark.",
    "De kern blijft online actief; het plan is bijgesteld met een online actie van de politie.",
    "Voortgang op schema; school meldt minder verzuim. Twee leden uit de groep (verhuisd, werk).",
    "Nieuwe jonge meelopers gezien; extra stopgesprekken afgesproken. Prioriteit blijft hoog.",
]
LETTER_RESULTS = [
    "Brief persoonlijk overhandigd aan de ouders; gesprek aan de deur gevoerd.",
    "Brief overhandigd aan moeder; zij wist niet dat haar zoon bij de groep hoorde.",
    "Niemand thuis getroffen; brief in de bus gedaan en ouders later telefonisch gesproken.",
    "Brief overhandigd aan de jongere en vader; afspraak gemaakt voor een vervolggesprek.",
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
        for username, short_name, first, last in DEMO_COLLEAGUES:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "organisation": Organisation.objects.get(short_name=short_name),
                    "email": f"{username}@demo.ijam.invalid",
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.roles.add(Role.objects.get(code=Role.PARTNER))
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
        self.late_reporters = [
            (self.now - dt.timedelta(days=days), users[u]) for u, days in LATE_REPORTERS
        ]
        # Maastricht's buurten; the Heuvelland municipalities only for some group members.
        self.neighbourhoods = list(Neighbourhood.objects.exclude(district__code="HEUVELLAND"))
        self.surroundings = list(Neighbourhood.objects.filter(district__code="HEUVELLAND"))
        self.weights = [float(n.risk_weight) or 0.1 for n in self.neighbourhoods]
        self.categories = list(SignalCategory.objects.filter(is_active=True))
        # "Dubbele registratie" is given by linking a duplicate (ADR 0012), not by a story.
        self.closing = list(
            ClosureReason.objects.filter(is_active=True, allowed_from_screening=False).exclude(
                code=ClosureReason.DUPLICATE_REGISTRATION
            )
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
            # Density rising linearly towards now: twice as many first signals lately as at
            # the start of the span (inverse transform of a linear density).
            share = math.sqrt(1 + 3 * self.rng.random()) - 1  # 0..1, denser near 1
            start = self.now - dt.timedelta(
                days=1 + (SPAN_DAYS - 1) * (1 - share), hours=self.rng.uniform(-3, 3)
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
        self.seed_kpis()
        sweep_deadlines()  # what the worker would have chased by now
        # The demo's past needs no e-mails; keep a few recent notifications unread in the app.
        Notification.objects.update(emailed_at=self.now, email_state=EmailState.SENT)
        recent = Notification.objects.order_by("-created_at").values_list("pk", flat=True)[:8]
        Notification.objects.exclude(pk__in=list(recent)).update(read_at=self.now)

    def seed_kpis(self) -> None:
        """The KPI dashboard's demo: K14's areas (the buurten with the most risk youth, where
        youth work was intensified in this story) and the programme manager's values of the
        targets IJAM cannot measure, recorded through the service at the moment they were."""
        k14 = Kpi.objects.filter(code="K14").first()
        if k14 is not None:
            riskiest = sorted(self.neighbourhoods, key=lambda n: -float(n.risk_weight))[:6]
            k14.neighbourhoods.set(riskiest)
        manager = self.users["programma"]
        kpis = dict(Kpi.objects.values_list("code", "pk"))
        for code, days_ago, value, summary, source in MANUAL_KPI_VALUES:
            if code not in kpis:
                continue
            with time_machine.travel(self._day(days_ago), tick=False):
                kpi_manual_value_record(
                    actor=manager,
                    kpi_id=kpis[code],
                    value=None if value is None else Decimal(value),
                    summary=summary,
                    source=source,
                    measured_on=timezone.localdate() - dt.timedelta(days=3),
                )

    def create_groups(self) -> None:
        """The group approaches of the demo year, each at its own step of the 7-stappenmodel
        (``GROUP_PLANS``): Mosae Forum (about 90 youths of 13-19, most from Maastricht, red,
        orange and yellow) in execution, Caberg awaiting the driehoek, Pottenberg in the duiding
        and an online group being assessed. Every group's story runs through the services under
        the travelling clock, interleaved in time like the ladder year above."""
        self.group_roles = {r.code: r for r in GroupRole.objects.all()}
        self.group_steps: list[Step] = []
        for plan in GROUP_PLANS:
            self._spawn(self._group_story(plan))
        while self.group_steps:
            step = heapq.heappop(self.group_steps)
            with time_machine.travel(step.at, tick=False):
                at = next(step.run, None)
            if at is not None:
                self._push(max(at, step.at + dt.timedelta(minutes=5)), step.run)

    # A story is a generator: it yields when its next part happens, and that part then runs
    # under the travelled clock. Nothing may be written before the first ``yield``.

    def _spawn(self, story: Iterator[dt.datetime]) -> None:
        at = next(story, None)
        if at is not None:
            self._push(at, story)

    def _push(self, at: dt.datetime, story: Iterator[dt.datetime]) -> None:
        self.counter += 1
        heapq.heappush(
            self.group_steps,
            Step(min(at, self.now - dt.timedelta(minutes=15)), self.counter, story),
        )

    def _day(self, days_ago: float, hour: int | None = None) -> dt.datetime:
        """A working-day moment ``days_ago`` before now, in office hours."""
        at = timezone.localtime(self.now - dt.timedelta(days=days_ago))
        while at.weekday() >= 5:
            at -= dt.timedelta(days=1)
        hour = self.rng.randint(9, 16) if hour is None else hour
        return at.replace(hour=hour, minute=self.rng.randrange(0, 60, 5), second=0, microsecond=0)

    def _reporters_now(self) -> list[User]:
        """The partners who signal at this moment of the story (the travelled clock)."""
        now = timezone.now()
        return self.reporters + [user for since, user in self.late_reporters if since <= now]

    def _organisation(self, kind: str, short_name: str) -> Organisation:
        found = Organisation.objects.filter(kind=kind, is_active=True)
        return found.filter(short_name=short_name).first() or found.order_by("name").first()

    def _worker(self, organisation: Organisation) -> User | None:
        """The demo user who works on the organisation's tasks, if there is one."""
        return next(
            (
                user
                for user in self.users.values()
                if user.organisation_id == organisation.pk and user.has_perm(WORK_ON_TASK)
            ),
            None,
        )

    def _work(self, task: PartnerTask, worker: User, result: str = "") -> None:
        task.refresh_from_db()
        if task.state == "open":
            task = task_services.task_claim(task=task, actor=worker)
        if result:
            task_services.task_complete(task=task, actor=worker, result=result)

    def _group_story(self, plan: GroupPlan) -> Iterator[dt.datetime]:
        """From the first signals to the plan's step, meeting every gate on the way."""
        director, rng = self.director, self.rng
        target = ORDER.index(plan.step)
        days = plan.days + (0,)  # the last step lasts until now

        def during(step: int, part: float) -> dt.datetime:
            return self._day(days[step] - (days[step] - days[step + 1]) * part)

        yield self._day(days[0])
        by_name = {n.name: n for n in self.neighbourhoods}
        group = group_create(
            actor=director,
            name=plan.name,
            kind=plan.kind,
            hotspots=plan.hotspots,
            neighbourhoods=[by_name[b] for b in plan.buurten if b in by_name],
        )
        for days_ago, username, kind, text in plan.notes:
            self._spawn(self._group_note(group, self._day(days_ago), username, kind, text))
        # 1. The procesregisseur brings in the partners who see the group (as executing
        # partners: need-to-know); they share what they see.
        for i, (username, text) in enumerate(plan.signals):
            yield during(0, (i + 0.1) / len(plan.signals))
            partner = self.users[username]
            if not group.participants.filter(organisation=partner.organisation).exists():
                group_participant_set(
                    group=group,
                    actor=director,
                    organisation=partner.organisation,
                    access="uitvoerend",
                )
            group_signal_register(actor=partner, text=text, group=group)
        group.refresh_from_db()

        def advance(step: int, **gate) -> Group:
            return group_step_move(
                group=group,
                actor=director,
                move="advance",
                reason=plan.reasons[step],
                # as the page would show it now (notes, members and tasks raise the version)
                expected_version=Group.objects.values_list("version", flat=True).get(pk=group.pk),
                **gate,
            )

        if target < 1:
            return
        yield self._day(days[1])
        group = advance(0)  # 2. the police are asked for the group scan
        yield during(1, 0.15)
        self._add_members(group, plan)
        scan = PartnerTask.objects.get(group=group, task_type__code=TaskTypeCode.GROUP_SCAN)
        police = self.users["politie"]
        if target < 2:
            yield during(1, 0.3)
            self._work(scan, police)  # the scan is being made
            return
        yield during(1, 0.6)
        self._work(scan, police, plan.scan)
        group_note_add(group=group, actor=police, kind="groepsscan", text=plan.scan)
        yield self._day(days[2])
        group = advance(1)
        # 3. The duiding and the concept plan.
        yield during(2, 0.3)
        group = group_interpretation_update(
            group=group,
            actor=director,
            expected_version=Group.objects.values_list("version", flat=True).get(pk=group.pk),
            **plan.duiding,
        )
        used: set[int] = set()
        if target >= 3 or any(a.concept for a in plan.actions):
            yield during(2, 0.6)
            for action in plan.actions:
                if action.concept:
                    self._plan_action(group, action, used)
        if target < 3:
            return
        yield self._day(days[3])
        group = advance(2)
        # 4. The police advise; the driehoek gives the priority.
        yield during(3, 0.5 if target > 3 else 0.4)
        group_note_add(group=group, actor=police, kind="advies", text=plan.advice)
        if target < 4:
            return
        yield self._day(days[4], hour=rng.choice((10, 14)))
        group = advance(3, priority=plan.priority)
        # 5. The integral plan: the other tracks.
        yield during(4, 0.5)
        for action in plan.actions:
            if not action.concept:
                self._plan_action(group, action, used)
        if target < 5:
            return
        yield self._day(days[5], hour=rng.choice((10, 14)))
        group = advance(4)  # 6. adopted: every action is a partner task, monitoring starts
        adopted = timezone.now()
        for action in group.plan_actions.select_related("task", "organisation"):
            spec = next(a for a in plan.actions if a.description == action.description)
            if spec.claimed_after is not None:
                self._spawn(self._partner_work(action.task, spec, adopted))
        self._spawn(self._monitoring(group))
        self._spawn(self._in_execution(group, used))

    def _add_members(self, group: Group, plan: GroupPlan) -> None:
        """The member list from the group scan: mostly new youths, plus a few already on the
        ladder (for the biggest group)."""
        rng = self.rng
        homes = [n for n in self.neighbourhoods if n.name in plan.buurten] or self.neighbourhoods
        today = timezone.localdate()
        known = list(
            Youth.objects.filter(
                registered_on__lt=today,
                date_of_birth__lte=today - dt.timedelta(days=14 * 365),
                date_of_birth__gt=today - dt.timedelta(days=20 * 365),
                cases__in=Case.objects.exclude(level__in=(CLOSED, AWAITING)),
            )
            .distinct()
            .order_by("pk")[: plan.existing_youths]
        )
        for i in range(plan.size):
            if i < len(plan.members):
                role, tier = plan.members[i]
            else:
                role = (
                    "leider"
                    if i == 0
                    else rng.choice(["kern", "meeloper", "meeloper", "periferie"])
                )
                tier = rng.choices(["red", "orange", "yellow"], weights=TIER_WEIGHTS[role])[0]
            if known and i in (1, 2):
                group_member_add(
                    group=group,
                    actor=self.director,
                    role=self.group_roles["kern"],
                    tier="red",
                    reason="Al in beeld op de IJAM-ladder; in de groepsscan genoemd als kernlid.",
                    youth=known.pop(),
                )
                continue
            # A city-centre network draws from the region: some members live in a Heuvelland
            # municipality; neighbourhood groups are local.
            local = group.kind != "fluid" or rng.random() < 0.85
            group_member_add(
                group=group,
                actor=self.director,
                role=self.group_roles[role],
                tier=tier,
                reason="Genoemd in de groepsscan van de politie"
                if group.kind != "online"
                else "Genoemd door school en jongerenwerk; de groepsscan loopt",
                new_youth=self._group_youth(rng.choice(homes) if local else None),
            )

    def _group_youth(self, home=None) -> YouthData:
        rng, fake = self.rng, self.fake
        return YouthData(
            first_name=fake.first_name_male() if rng.random() < 0.85 else fake.first_name_female(),
            last_name=rng.choice(LOCAL_SURNAMES) if rng.random() < 0.5 else fake.last_name(),
            date_of_birth=timezone.localdate()
            - dt.timedelta(days=rng.randint(13 * 365 + 10, 19 * 365 + 300)),
            neighbourhood=home or rng.choice(self.surroundings or self.neighbourhoods),
        )

    def _member(
        self, group: Group, tier: str, used: set[int], *, max_age: int = 99
    ) -> GroupMember | None:
        """A current member for a personal or family action, not yet used for another."""
        members = [
            m
            for m in group.members.filter(left_on__isnull=True)
            .exclude(pk__in=used)
            .select_related("youth")
            .order_by("pk")
            if m.youth.age() <= max_age
        ]
        chosen = [m for m in members if m.tier == tier] or members
        member = self.rng.choice(chosen) if chosen else None
        if member is not None:
            used.add(member.pk)
        return member

    def _plan_action(self, group: Group, action: PlannedAction, used: set[int]) -> None:
        member = None
        if action.track in (INDIVIDU, GEZIN):
            member = self._member(group, action.tier, used, max_age=action.max_age)
        group_plan_action_add(
            group=group,
            actor=self.director,
            track=action.track,
            task_type=TaskType.objects.get(code=action.task_type),
            organisation=self._organisation(*action.organisation),
            description=action.description,
            member=member,
            due_on=self.now.date() + dt.timedelta(days=action.due_in),
        )

    def _group_note(
        self, group: Group, at: dt.datetime, username: str, kind: str, text: str
    ) -> Iterator[dt.datetime]:
        yield at
        group_note_add(group=group, actor=self.users[username], kind=kind, text=text)

    def _partner_work(
        self, task: PartnerTask, spec: PlannedAction, adopted: dt.datetime
    ) -> Iterator[dt.datetime]:
        worker = self._worker(task.organisation)
        if worker is None:
            return
        yield adopted + dt.timedelta(days=spec.claimed_after, hours=self.rng.uniform(1, 5))
        self._work(task, worker)
        if spec.done_after is not None:
            yield adopted + dt.timedelta(days=spec.done_after, hours=self.rng.uniform(1, 5))
            self._work(task, worker, spec.result)

    def _monitoring(self, group: Group) -> Iterator[dt.datetime]:
        """The procesregisseur's monitoring rounds; finishing one schedules the next."""
        for result in MONITORING_RESULTS:
            task = PartnerTask.objects.filter(
                group=group, task_type__code=TaskTypeCode.GROUP_MONITORING, state="open"
            ).first()
            if task is None:
                return
            at = task.deadline - dt.timedelta(days=self.rng.uniform(1, 3))
            if at > self.now - dt.timedelta(days=2):
                return  # the current round is still running
            yield at
            self._work(task, self.director, result)

    def _in_execution(self, group: Group, used: set[int]) -> Iterator[dt.datetime]:
        """Step 6 of the Mosae Forum approach: need-to-know for handhaving, the nuisance letter,
        members and tiers that change, the plan adjusted, and one member to the ladder."""
        director, rng = self.director, self.rng
        police = self.users["politie"]
        yield timezone.now() + dt.timedelta(hours=2)
        # Handhaving enforces the area ban by name: it needs the whole picture (core partner);
        # jongerenwerk and the school stay executing partners and see only their own members.
        group_participant_set(
            group=group,
            actor=director,
            organisation=self._organisation("handhaving", "Handhaving"),
            access="kern",
        )
        yield self._day(160)
        letters = group_bulk_action(
            group=group,
            actor=director,
            tiers=["red", "orange"],
            task_type=TaskType.objects.get(code=TaskTypeCode.GROUP_ACTION),
            organisation=police.organisation,
            instruction="Overlastbrief van burgemeester en politie persoonlijk bezorgen op het "
            "huisadres en de ouders informeren over het groepsgedrag en het samenscholingsverbod.",
            deadline=timezone.now() + dt.timedelta(days=21),
        )
        self._spawn(self._deliver_letters(letters, police))
        yield self._day(118)
        current = group.members.filter(left_on__isnull=True).exclude(pk__in=used)
        for tier, to_tier, reason in (
            (
                "yellow",
                "orange",
                "Bij herhaling aangesproken door jeugdboa's; school meldt verzuim.",
            ),
            ("yellow", "orange", "Steeds vaker bij de kern gezien; ouders maken zich zorgen."),
            ("orange", "red", "Aangehouden voor bedreiging van een beveiliger van Mosae Forum."),
        ):
            member = rng.choice(list(current.filter(tier=tier)))
            used.add(member.pk)
            group_member_tier(member=member, actor=director, tier=to_tier, reason=reason)
        yield self._day(110)
        for _ in range(2):
            group_member_add(
                group=group,
                actor=director,
                role=self.group_roles["meeloper"],
                tier="yellow",
                reason="Nieuw in de groep gezien door jongerenwerk en jeugdboa's.",
                new_youth=self._group_youth(rng.choice(list(group.neighbourhoods.all()))),
            )
        yield self._day(80)
        for reason in (
            "Verhuisd naar Heerlen; overdracht aan de gemeente Heerlen.",
            "Niet meer bij de groep gezien; jongerenwerk bevestigt dat hij werk heeft gevonden.",
        ):
            member = rng.choice(list(current.filter(tier="yellow").exclude(pk__in=used)))
            used.add(member.pk)
            group_member_leave(member=member, actor=director, reason=reason)
        yield self._day(62)
        # Adjusting the plan in step 6: the action starts as a task at once.
        group_plan_action_add(
            group=group,
            actor=director,
            track=GROEP,
            task_type=TaskType.objects.get(code=TaskTypeCode.GROUP_ACTION),
            organisation=police.organisation,
            description="Online: de openbare berichten van de groep op Snapchat en TikTok volgen; "
            "ronselberichten en filmpjes van vechtpartijen melden en laten verwijderen.",
            due_on=self.now.date() + dt.timedelta(days=40),
        )
        yield self._day(50)
        member = rng.choice(list(current.filter(tier="red")))
        used.add(member.pk)
        group_member_tier(
            member=member,
            actor=director,
            tier="orange",
            reason="Drie maanden geen nieuwe feiten; houdt zich aan het gebiedsverbod.",
        )
        yield self._day(4)
        # A core member who recruits younger boys needs his own approach on the ladder too.
        member = next(
            (
                m
                for m in current.filter(tier="red")
                .select_related("youth")
                .order_by("role__order", "pk")
                if m.pk not in used and not m.youth.cases.exclude(level=CLOSED).exists()
            ),
            None,
        )
        if member is None:
            return
        category = (
            SignalCategory.objects.filter(code="ronselen", is_active=True).first()
            or self.categories[0]
        )
        member = group_member_spin_off(
            member=member,
            actor=director,
            category=category,
            description="Kernlid ronselt volgens politie en jongerenwerk jongere meelopers via "
            "Snapchat voor 'klusjes'; naast de groepsaanpak is een persoonsgerichte aanpak nodig.",
        )
        yield self._day(3)
        signal = Signal.objects.filter(case_id=member.spun_off_case_id).order_by("-pk").first()
        if signal is not None and signal.status == "received":
            signal_start_screening(signal=signal, actor=director)

    def _deliver_letters(self, letters: list[PartnerTask], police: User) -> Iterator[dt.datetime]:
        """The community officers deliver the letters within three weeks, a few a day."""
        at = timezone.localtime()
        for task in letters:
            at += dt.timedelta(hours=self.rng.uniform(2, 9))
            while at.weekday() >= 5 or not 9 <= at.hour < 20:
                at += dt.timedelta(hours=3)
            yield at
            self._work(task, police, self.rng.choice(LETTER_RESULTS))

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
                reporter=rng.choice(self._reporters_now()),
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
                reporter=self.rng.choice(self._reporters_now()),
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
                    case_id=story.case.pk, task_type__code=TaskTypeCode.INTAKE, state="open"
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
        # The case tables' sittings of the demo year and the weeks ahead, as the worker plans.
        sittings_plan_ahead()
    return True
