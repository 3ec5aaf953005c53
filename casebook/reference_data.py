# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reference data for IJAM, taken from the municipal plan *Preventie met Gezag* (Maastricht, 2023).

Every figure and name below comes from ``domain/seed-preventie-met-gezag-maastricht.txt`` (the
seed; ``L<n>`` are its line numbers) unless a comment says "assumption" or "seed gap". The
English brief ``domain/seed-brief.md`` indexes the same lines. Main sources:

- CBS wijken and buurten: L6182-6240 (7 wijken numbered 00-06, 44 buurten); neighbourhood
  profiles (bijlage 6.1): L9026-9663; population per wijk (1 Jan 2022): L6248-6448.
- Social-domain area teams (gebiedsteams), a different grouping of the same buurten: L8100-8122.
  Four LWA area teams exist (L2195-2198) but the seed gives neither names nor buurten.
- Share of high-risk youth 8-23 (Zicht op Ondermijning, peiljaar 2019): L6455-6592 (also
  L1470-1528); Halt referrals per buurt L6778-6788; 13b drug-premises closures per buurt
  L7063-7077.
- Partner organisations: appendix "Betrokken organisaties" L3563-3610, the pillar-3 text
  L2595-3160 and the governance chapter L3249-3282.
- Interventions: L2187-2192, L2316-2334, L2721-2810, L2878-2891, L3032-3076, L6914-6932,
  L6994-7010.
- Signal categories: nuisance types L1322-1327 / L6860-6866, police and undermining categories
  L6646-6717, youth voices L1253-1262 / L4780-4825, school absence L8801-8892, survey causes
  L9712-9718, online risks L2418-2426 / L8900-9025.

Plain constants only (no Django imports) so data migrations and the demo generator can both use
them. Records with extra provenance fields are frozen dataclasses; the small lists whose keys
match a model one-to-one (level criteria, closure reasons, age bands) are plain dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# ---------------------------------------------------------------------------------------------
# Record types
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Buurt:
    """A CBS buurt (neighbourhood)."""

    name: str  # spelling as in the CBS list L6182-6240
    slug: str  # stable key; use it where ``code`` is None
    code: str | None  # CBS buurt code (BU0935xxxx): not in the seed, so None throughout
    district: str  # code of the CBS wijk it belongs to, e.g. "WK093502"
    social_area_team: str  # name of the social-domain gebiedsteam (L8104-8120)
    lwa_area_team: str | None  # seed gap: the 4 LWA teams are not named or mapped (L2195-2198)
    population: int | None  # total inhabitants, only where the profile states it; else None
    risk_share_pct: Decimal  # % high-risk youth 8-23 used for the weight (see RISK WEIGHT below)
    risk_share_basis: str  # "buurt" (published), "wijk" (district figure) or "stad" (city figure)
    risk_weight: Decimal  # expected number of high-risk youth 8-23 here (see RISK WEIGHT below)
    halt_referrals_2019_2022: int | None  # L6778-6788; only the buurten the seed names
    drug_premises_closed_2019_2022: int | None  # 13b Opiumwet, L7063-7077; only those named
    profile: str  # one-line Dutch summary of the profile in bijlage 6.1
    profile_line: int  # first line of that profile in the seed


@dataclass(frozen=True)
class District:
    """A CBS wijk (the seed calls them wijken, L6207-6240)."""

    code: str  # CBS wijk code; the seed gives the numbers 00-06 of gemeente 0935 (Maastricht)
    number: str  # the seed's own number, "00".."06"
    name: str  # short name as used in the seed's tables ("Maastricht West" -> "West")
    cbs_name: str  # full CBS name as in L6207-6240
    population_total: int  # 1 Jan 2022, L6248-6276
    population_0_14: int  # "0 tot 15 jaar", L6340-6368
    population_15_24: int  # "15 tot 25 jaar", L6372-6400
    households_with_children: int  # L6404-6446
    risk_share_pct: Decimal | None  # % high-risk youth 8-23, L6502-6592; None = suppressed
    risk_youths_8_23: int | None  # number of high-risk youth 8-23, same lines; None = suppressed
    buurten: tuple[Buurt, ...] = field(default=())


@dataclass(frozen=True)
class AreaTeam:
    code: str
    name: str
    kind: str  # "sociaal_domein" or "lwa" (AreaTeam.Kind)
    buurten: tuple[str, ...]  # buurt names
    source_lines: str


@dataclass(frozen=True)
class Organisation:
    short_name: str
    name: str
    kind: str  # OrganisationKind value
    source_lines: str
    note: str = ""


@dataclass(frozen=True)
class SignalCategory:
    code: str
    name: str
    group: str  # overlast | criminaliteit | ondermijning | school | zorg | online
    is_school_signal: bool
    source_lines: str


@dataclass(frozen=True)
class Intervention:
    name: str
    provider: str | None  # Organisation.short_name, or None when the seed names no provider
    min_age: int
    max_age: int
    default_duration_days: int
    cost_eur: str | None  # Decimal-compatible string
    cost_unit: str
    description: str  # one Dutch sentence
    pillar: int  # 2 = preventie, 3 = gezag
    source_lines: str
    note: str = ""  # what is assumed rather than taken from the seed


# ---------------------------------------------------------------------------------------------
# 1. Districts (CBS wijken) and their buurten
# ---------------------------------------------------------------------------------------------
#
# CBS wijk codes: the seed numbers the wijken 00-06 (L6207-6240); CBS wijk codes are
# "WK" + gemeentecode 0935 (Maastricht) + that number, so WK093500 .. WK093506.
# CBS buurt codes (BU0935....) are not in the seed and are left as None; use ``slug``.
#
# RISK WEIGHT (used to spread demo youths over buurten)
# Source: Zicht op Ondermijning, share of high-risk youth aged 8-23, peiljaar 2019, city total
# 4.1% = about 1,080 youths (L6455-6467), per wijk and per buurt in L6502-6592:
#   Centrum 2.3% (130), West 5.3% (410), Oost 4.4% (320), Zuid-Oost 4.8% (180), Zuid-West 2% (30);
#   Noord-West and Noord-Oost are suppressed (small numbers, L6496-6500).
# Derivation, per wijk d with N_d high-risk youths:
#   risk_weight(b) = N_d * s_b * h_b / sum over buurten b' in d of (s_b' * h_b')
#   s_b  = the buurt's published share; if the seed gives none, the wijk's share
#          (risk_share_basis "wijk"); for Noord-West and Noord-Oost, which have no published
#          wijk share, the city share 4.1% (basis "stad").
#          Note: the dashboard suppresses buurten with small shares, so the wijk figure
#          overstates the unlisted buurten somewhat (e.g. Amby, Scharn in Oost).
#   h_b  = 0.05 for buurten whose profile says (almost) nobody lives there: Beatrixhaven (15
#          inhabitants), Meerssenhoven (25), Bosscherveld (40), Lanakerveld (~70), Sint Pieter
#          (145), Belvédère (10 households), Frontenkwartier ("weinig mensen"); else 1.
#   N_d  = the seed's count per wijk; for Noord-West + Noord-Oost the remainder
#          1,080 - (130+410+320+180+30) = 10, split by their youth population 0-24
#          (NW 215+300 = 515, NO 280+270 = 550, L6340-6400): NW 4.84, NO 5.16.
# The weights therefore add up to about 1,080 (the seed's number of high-risk youths) and read
# as "expected number of high-risk youths 8-23 in this buurt". Within a wijk the seed gives no
# buurt populations, so buurten are treated as equally large (a simplification).
# Halt referrals and 13b closures are kept as separate fields and are not part of the weight.

_CENTRUM = "WK093500"
_ZUID_WEST = "WK093501"
_WEST = "WK093502"
_NOORD_WEST = "WK093503"
_OOST = "WK093504"
_NOORD_OEST = "WK093505"
_ZUID_OOST = "WK093506"

# Social-domain area team names (L8104-8120). They reuse compass names but group buurten
# differently from the CBS wijken: e.g. team "Noord-West" serves Caberg, Malpertuis, Pottenberg
# and Brusselsepoort, which CBS puts in wijk West.
_SD_CENTRUM_ZUID = "Centrum-Zuid"
_SD_ZUID_WEST = "Zuid-West"
_SD_WEST = "West"
_SD_NOORD_WEST = "Noord-West"
_SD_NOORD_OOST = "Noord-Oost"
_SD_OOST = "Oost"
_SD_ZUID_OOST = "Zuid-Oost"


def _b(
    name: str,
    slug: str,
    district: str,
    team: str,
    share: str,
    basis: str,
    weight: str,
    profile: str,
    line: int,
    *,
    population: int | None = None,
    halt: int | None = None,
    closures: int | None = None,
) -> Buurt:
    return Buurt(
        name=name,
        slug=slug,
        code=None,
        district=district,
        social_area_team=team,
        lwa_area_team=None,
        population=population,
        risk_share_pct=Decimal(share),
        risk_share_basis=basis,
        risk_weight=Decimal(weight),
        halt_referrals_2019_2022=halt,
        drug_premises_closed_2019_2022=closures,
        profile=profile,
        profile_line=line,
    )


# fmt: off
DISTRICTS: tuple[District, ...] = (
    District(
        code=_CENTRUM,
        number="00",
        name="Centrum",
        cbs_name="Centrum",
        population_total=20235,
        population_0_14=830,
        population_15_24=6685,
        households_with_children=890,
        risk_share_pct=Decimal("2.3"),
        risk_youths_8_23=130,
        buurten=(
            _b("Binnenstad", "binnenstad", _CENTRUM, _SD_CENTRUM_ZUID, "2.3", "wijk", "16.519",
               "Centrumbuurt: evenementen, geluidsoverlast, veel tijdelijke bewoners", 9075),
            _b("Boschstraatkwartier", "boschstraatkwartier", _CENTRUM, _SD_CENTRUM_ZUID, "2.3",
               "wijk", "16.519",
               "Noordelijk centrum: woonwijk, industrie rond het Bassin, grote ontwikkelingen",
               9118),
            _b("Jekerkwartier", "jekerkwartier", _CENTRUM, _SD_CENTRUM_ZUID, "2.3", "wijk",
               "16.519", "Centrumbuurt met universiteit, evenementen en tijdelijke bewoners",
               9294),
            _b("Kommelkwartier", "kommelkwartier", _CENTRUM, _SD_CENTRUM_ZUID, "2.3", "wijk",
               "16.519", "Centrumbuurt: evenementen en commerciële druk op het wonen", 9306),
            _b("Sint Maartenspoort", "sint-maartenspoort", _CENTRUM, _SD_CENTRUM_ZUID, "3.3",
               "buurt", "23.702",
               "Woonbuurt in het centrum, ingesloten tussen spoor, Maas en drukke wegen", 9539),
            _b("Statenkwartier", "statenkwartier", _CENTRUM, _SD_CENTRUM_ZUID, "3.3", "buurt",
               "23.702", "Noordwestelijk centrum met het herontwikkelde Sphinxkwartier", 9562),
            _b("Wyck", "wyck", _CENTRUM, _SD_CENTRUM_ZUID, "2.3", "wijk", "16.519",
               "Oostelijk centrum met station en Céramique; druk en intensief gebruikt", 9631),
        ),
    ),
    District(
        code=_ZUID_WEST,
        number="01",
        name="Zuid-West",
        cbs_name="Buitenwijk Zuid-West",
        population_total=9105,
        population_0_14=1200,
        population_15_24=1275,
        households_with_children=1105,
        risk_share_pct=Decimal("2.0"),
        risk_youths_8_23=30,
        buurten=(
            _b("Biesland", "biesland", _ZUID_WEST, _SD_CENTRUM_ZUID, "2.0", "wijk", "5.941",
               "Kleine buurt met bovengemiddeld inkomen en vooral koopwoningen", 9067,
               population=1910),
            _b("Campagne", "campagne", _ZUID_WEST, _SD_ZUID_WEST, "2.0", "wijk", "5.941",
               "Welvarende woonwijk ('goudkust') met actief buurtnetwerk", 9169),
            _b("Jekerdal", "jekerdal", _ZUID_WEST, _SD_CENTRUM_ZUID, "2.0", "wijk", "5.941",
               "Deel van de Pieterbuurt; vrijstaande woningen uit de jaren '50-'60", 9281),
            _b("Sint Pieter", "sint-pieter", _ZUID_WEST, _SD_CENTRUM_ZUID, "2.0", "wijk",
               "0.297", "Vooral natuurgebied, zeer dunbevolkt", 9549, population=145),
            _b("Villapark", "villapark", _ZUID_WEST, _SD_CENTRUM_ZUID, "2.0", "wijk", "5.941",
               "Welvarende buurt met villa's; deel van de Pieterbuurt", 9573),
            _b("Wolder", "wolder", _ZUID_WEST, _SD_ZUID_WEST, "2.0", "wijk", "5.941",
               "Dorps karakter met sterk verenigingsleven", 9615),
        ),
    ),
    District(
        code=_WEST,
        number="02",
        name="West",
        cbs_name="Buitenwijk West",
        population_total=35940,
        population_0_14=4095,
        population_15_24=6045,
        households_with_children=4530,
        risk_share_pct=Decimal("5.3"),
        risk_youths_8_23=410,
        buurten=(
            _b("Belfort", "belfort", _WEST, _SD_ZUID_WEST, "5.3", "wijk", "33.328",
               "Rustige woonbuurt (jaren '60-'80) met een beschermd-wonengroep", 9049),
            _b("Brusselsepoort", "brusselsepoort", _WEST, _SD_NOORD_WEST, "5.3", "wijk",
               "33.328", "Gemengd: studenten, jonge gezinnen en ouderen", 9143),
            _b("Caberg", "caberg", _WEST, _SD_NOORD_WEST, "6.8", "buurt", "42.761",
               "Ruim 60% huur (Servatius, Woonpunt); veel overlast en onveiligheid; "
               "huiskamer voor jongeren", 9150, halt=27, closures=10),
            _b("Daalhof", "daalhof", _WEST, _SD_ZUID_WEST, "5.9", "buurt", "37.101",
               "Groene woonbuurt, gemengd huur en koop, actief buurtnetwerk", 9180, closures=9),
            _b("Dousberg-Hazendans", "dousberg-hazendans", _WEST, _SD_ZUID_WEST, "5.3", "wijk",
               "33.328", "Jonge buurt met koopwoningen en veel sociale controle; grensligging",
               9208),
            _b("Malberg", "malberg", _WEST, _SD_WEST, "14.3", "buurt", "89.923",
               "Naoorlogse wijk (1964-1970) met vestiging van Trajekt; hoogste risicoaandeel",
               9368, halt=38, closures=7),
            _b("Malpertuis", "malpertuis", _WEST, _SD_NOORD_WEST, "7.6", "buurt", "47.791",
               "Kwetsbare bewoners, eenzaamheid, weinig sociale cohesie, veel overlast", 9391,
               halt=26, closures=7),
            _b("Mariaberg", "mariaberg", _WEST, _SD_ZUID_WEST, "5.4", "buurt", "33.957",
               "Oude arbeidersbuurt (Blauwdorp); armoede, gezondheid en veiligheid", 9415,
               halt=25, closures=12),
            _b("Oud-Caberg", "oud-caberg", _WEST, _SD_WEST, "4.2", "buurt", "26.411",
               "Oud dorp aan de Belgische grens met relatief veel 65-plussers", 9479),
            _b("Pottenberg", "pottenberg", _WEST, _SD_NOORD_WEST, "5.1", "buurt", "32.071",
               "Stapeling van sociale problematiek; aanpak 'Positief Pottenberg'", 9492),
        ),
    ),
    District(
        code=_NOORD_WEST,
        number="03",
        name="Noord-West",
        cbs_name="Buitenwijk Noord-West",
        population_total=2130,
        population_0_14=215,
        population_15_24=300,
        households_with_children=245,
        risk_share_pct=None,  # suppressed in the dashboard (L6496-6500)
        risk_youths_8_23=None,
        buurten=(
            _b("Belvédère", "belvedere", _NOORD_WEST, _SD_WEST, "4.1", "stad", "0.201",
               "Vooral winkels en bedrijven; 10 huishoudens", 9058),
            _b("Boschpoort", "boschpoort", _NOORD_WEST, _SD_WEST, "4.1", "stad", "4.030",
               "Dorpsbuurt aan de Maas; drugs- en studentenoverlast, sterk sociaal netwerk",
               9102),
            _b("Bosscherveld", "bosscherveld", _NOORD_WEST, _SD_WEST, "4.1", "stad", "0.201",
               "Vooral industriegebied", 9126, population=40),
            _b("Frontenkwartier", "frontenkwartier", _NOORD_WEST, _SD_WEST, "4.1", "stad",
               "0.201", "Natuurgebied Hoge en Lage Fronten; weinig bewoners", 9219),
            _b("Lanakerveld", "lanakerveld", _NOORD_WEST, _SD_WEST, "4.1", "stad", "0.201",
               "Grensgebied, vooral koopwoningen", 9316, population=70),
        ),
    ),
    District(
        code=_OOST,
        number="04",
        name="Oost",
        cbs_name="Buitenwijk Oost",
        population_total=30235,
        population_0_14=3560,
        population_15_24=6090,
        households_with_children=3639,
        risk_share_pct=Decimal("4.4"),
        risk_youths_8_23=320,
        buurten=(
            _b("Amby", "amby", _OOST, _SD_OOST, "4.4", "wijk", "39.111",
               "Dorpse buurt aan de rand; veel koopwoningen en senioren", 9028),
            _b("Heugemerveld", "heugemerveld", _OOST, _SD_ZUID_OOST, "4.8", "buurt", "42.667",
               "Geherstructureerde naoorlogse buurt met goede sociale samenhang", 9251),
            _b("Limmel", "limmel", _OOST, _SD_NOORD_OOST, "5.1", "buurt", "45.333",
               "Ca. 20% studenten, 70% sociale huur; armoede en multiproblematiek", 9343),
            _b("Nazareth", "nazareth", _OOST, _SD_NOORD_OOST, "5.7", "buurt", "50.667",
               "Armoede en multiproblematiek achter de voordeur; crisisnoodopvang", 9443,
               closures=12),
            _b("Scharn", "scharn", _OOST, _SD_OOST, "4.4", "wijk", "39.111",
               "Relatief welvarend voormalig dorp met lage criminaliteitscijfers", 9523),
            _b("Wittevrouwenveld", "wittevrouwenveld", _OOST, _SD_OOST, "7.2", "buurt",
               "64.000", "Volksbuurt met veel sociale huur; sterk buurtnetwerk", 9599,
               halt=30, closures=8),
            _b("Wyckerpoort", "wyckerpoort", _OOST, _SD_OOST, "4.4", "wijk", "39.111",
               "Stapeling van problemen in het noordelijke deel (sociale huur)", 9648),
        ),
    ),
    District(
        code=_NOORD_OEST,
        number="05",
        name="Noord-Oost",
        cbs_name="Buitenwijk Noord-Oost",
        population_total=2690,
        population_0_14=280,
        population_15_24=270,
        households_with_children=345,
        risk_share_pct=None,  # suppressed in the dashboard (L6496-6500)
        risk_youths_8_23=None,
        buurten=(
            _b("Beatrixhaven", "beatrixhaven", _NOORD_OEST, _SD_NOORD_OOST, "4.1", "stad",
               "0.123", "Haven- en bedrijventerrein", 9047, population=15),
            _b("Borgharen", "borgharen", _NOORD_OEST, _SD_NOORD_OOST, "4.1", "stad", "2.459",
               "Dorpskern met hecht buurtnetwerk; project whatthehackonline.nl", 9088,
               closures=7),
            _b("Itteren", "itteren", _NOORD_OEST, _SD_NOORD_OOST, "4.1", "stad", "2.459",
               "Kleine hechte dorpskern met sterke verenigingen", 9269),
            _b("Meerssenhoven", "meerssenhoven", _NOORD_OEST, _SD_NOORD_OOST, "4.1", "stad",
               "0.123", "Zeer kleine buurt", 9441, population=25),
        ),
    ),
    District(
        code=_ZUID_OOST,
        number="06",
        name="Zuid-Oost",
        cbs_name="Buitenwijk Zuid-Oost",
        population_total=20815,
        population_0_14=2345,
        population_15_24=2930,
        households_with_children=2620,
        risk_share_pct=Decimal("4.8"),
        risk_youths_8_23=180,
        buurten=(
            _b("De Heeg", "de-heeg", _ZUID_OOST, _SD_ZUID_OOST, "8.1", "buurt", "53.407",
               "Weinig sociale binding, problematische huurcomplexen, leegstand", 9190),
            _b("Heer", "heer", _ZUID_OOST, _SD_ZUID_OOST, "4.8", "buurt", "31.648",
               "Voormalig dorp met groot winkelcentrum en actief verenigingsleven", 9223,
               halt=30, closures=9),
            _b("Heugem", "heugem", _ZUID_OOST, _SD_ZUID_OOST, "4.8", "wijk", "31.648",
               "Voormalig dorp met rijk verenigingsleven", 9239),
            _b("Randwyck", "randwyck", _ZUID_OOST, _SD_ZUID_OOST, "4.8", "wijk", "31.648",
               "Woonwijk en bedrijventerrein met health campus en woonwagenkamp", 9510),
            _b("Vroendaal", "vroendaal", _ZUID_OOST, _SD_ZUID_OOST, "4.8", "wijk", "31.648",
               "Groene randbuurt met het Porta Mosana College", 9586),
        ),
    ),
)
# fmt: on

#: All 44 buurten, flat.
BUURTEN: tuple[Buurt, ...] = tuple(b for d in DISTRICTS for b in d.buurten)

# ---------------------------------------------------------------------------------------------
# 2. Area teams
# ---------------------------------------------------------------------------------------------
# Social-domain gebiedsteams: L8100-8122 ("Deze gebiedsindeling wijkt af van de CBS-indeling").
# Seed inconsistency: the top-5 list at L8250-8258 labels Wittevrouwenveld "(NO)", while the
# team list puts it in Oost (L8120); we follow the team list.
# LWA area teams: the seed says there are four (L2195-2198) but names neither the teams nor
# their buurten (seed gap), so none are listed and Buurt.lwa_area_team is None.

AREA_TEAMS: tuple[AreaTeam, ...] = tuple(
    AreaTeam(
        code="sd-" + name.lower(),
        name=name,
        kind="sociaal_domein",
        buurten=tuple(b.name for b in BUURTEN if b.social_area_team == name),
        source_lines="L8100-8122",
    )
    for name in (
        _SD_CENTRUM_ZUID,
        _SD_ZUID_WEST,
        _SD_WEST,
        _SD_NOORD_WEST,
        _SD_NOORD_OOST,
        _SD_OOST,
        _SD_ZUID_OOST,
    )
)

# ---------------------------------------------------------------------------------------------
# 3. Organisations
# ---------------------------------------------------------------------------------------------
# Only organisations the seed names. Appendix "Betrokken organisaties": L3563-3610.

ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "ZVH",
        "Zorg- en Veiligheidshuis Maastricht-Heuvelland",
        "zvh",
        "L2628-2629, L2671-2677, L3035, L3583",
        "Procesregie over IJAM; host of the PGA. The appendix calls it "
        "'Zorg- en Veiligheidshuis Zuid Limburg' (L3583).",
    ),
    Organisation(
        "Gemeente",
        "Gemeente Maastricht, team Veiligheid",
        "gemeente",
        "L518-524, L829-837",
        "Programme owner: team Veiligheid in afdeling Veiligheid & Leefbaarheid.",
    ),
    Organisation(
        "Team Jeugd",
        "Gemeente Maastricht, Team Jeugd",
        "gemeente",
        "L2294-2295, L3581",
    ),
    Organisation(
        "Handhaving",
        "Gemeente Maastricht, Team Handhaving Openbare Ruimte (jeugdboa's)",
        "handhaving",
        "L526-534, L2222-2250, L3585",
    ),
    Organisation(
        "Leerplicht",
        "Sociale Zaken Maastricht Heuvelland, Leerplicht en RMC",
        "gemeente",
        "L3582, L8783, L8868-8874",
        "Leerplicht/RMC for the Heuvelland municipalities, run by the gemeente Maastricht "
        "(SZMH in the appendix).",
    ),
    Organisation(
        "RIO",
        "Re-integratieofficier (RIO), gemeente Maastricht",
        "rio",
        "L3037-3046, L3139-3143, L10636-10641",
        "Assumption: placed at the gemeente. The seed only says the programme funds the RIO "
        "('Vanuit PMG zetten wij in op een RIO') to strengthen the probation organisations.",
    ),
    Organisation(
        "Politie",
        "Politie eenheid Limburg, basisteam Maastricht",
        "politie",
        "L2195-2198, L2788-2815, L3609",
        "The seed says 'Politie' and 'basisteam Maastricht'; 'eenheid Limburg' is added.",
    ),
    Organisation(
        "OM",
        "Openbaar Ministerie Limburg",
        "om",
        "L2817-2989, L3608",
    ),
    Organisation(
        "Halt",
        "Bureau Halt",
        "halt",
        "L2316-2334, L3606, L6723-6813",
    ),
    Organisation(
        "RvdK",
        "Raad voor de Kinderbescherming",
        "rvdk",
        "L3047-3076, L3607",
    ),
    Organisation(
        "Jeugdreclassering",
        "Jeugdreclassering",
        "jeugdreclassering",
        "L2187-2192, L2731-2738, L3253, L3280",
        "Named as a partner and as provider of Straatkracht and KansRIJK; the seed does not "
        "say which GI carries it out.",
    ),
    Organisation(
        "BJZ Limburg",
        "Bureau Jeugdzorg Limburg",
        "gi",
        "L2631, L3252, L3602",
    ),
    Organisation(
        "WSG",
        "William Schrikkergroep",
        "gi",
        "L958, L2632, L3601",
    ),
    Organisation(
        "Nidos",
        "Nidos",
        "gi",
        "L958, L3574",
        "Guardianship of unaccompanied minors (AMV's); AMA outreach L2206-2208.",
    ),
    Organisation(
        "RN",
        "Reclassering Nederland",
        "reclassering",
        "L2632, L3605",
        "The seed lists it among the GI's of pillar 3 (L2631-2632).",
    ),
    Organisation(
        "LdH Reclassering",
        "Reclassering Leger des Heils",
        "reclassering",
        "L3603",
    ),
    Organisation(
        "Mondriaan Reclassering",
        "Reclassering Mondriaan",
        "reclassering",
        "L3604",
    ),
    Organisation(
        "Trajekt",
        "Stichting Trajekt",
        "jongerenwerk",
        "L3252, L3280, L3591, L9388",
        "Welfare organisation in the regiegroep and PIT; the seed does not literally call it "
        "the youth-work provider (assumption).",
    ),
    Organisation(
        "VMBO Maastricht",
        "VMBO Maastricht",
        "school",
        "L2310-2312, L2343, L3570",
        "Brugfunctionaris +5 h/week; Halt consultation hours.",
    ),
    Organisation(
        "Terra Nigra",
        "Terra Nigra",
        "school",
        "L2310-2312, L2343, L3568",
        "Brugfunctionaris +5 h/week; Halt consultation hours.",
    ),
    Organisation(
        "Bonnefantencollege",
        "Bonnefantencollege",
        "school",
        "L2310-2312, L2539",
        "Brugfunctionaris +5 h/week.",
    ),
    Organisation(
        "Vista College",
        "Vista College (MBO)",
        "school",
        "L3569, L5420-5423",
        "MBO Knooppunt at all main locations.",
    ),
    Organisation(
        "St. Maartenscollege",
        "St. Maartenscollege",
        "school",
        "L3566",
    ),
    Organisation(
        "Porta Mosana",
        "Porta Mosana College",
        "school",
        "L3573, L9591",
    ),
    Organisation(
        "Columbus",
        "Columbus: ontdek jezelf (Beek)",
        "jeugdzorg",
        "L2740-2745, L10549",
        "Care institution in Beek; guidance for ages 12-27.",
    ),
    Organisation(
        "Youz",
        "Jeugd GGZ - Youz",
        "jeugdzorg",
        "L3597",
    ),
    Organisation(
        "Xonar",
        "Xonar",
        "jeugdzorg",
        "L3593",
    ),
    Organisation(
        "Mondriaan",
        "Mondriaan GGZ",
        "overig",
        "L3589, L5500-5505",
        "Mental-health and addiction care; no closer kind in OrganisationKind.",
    ),
    Organisation(
        "GGD ZL",
        "GGD Zuid Limburg",
        "overig",
        "L3590",
    ),
    Organisation(
        "RIEC",
        "RIEC Limburg",
        "overig",
        "L989-992, L1630-1635, L2740, L3587",
    ),
    Organisation(
        "Rechtbank",
        "Rechtbank Limburg (Huis van het Recht)",
        "overig",
        "L959, L2991-3030, L3608",
    ),
    Organisation(
        "Servatius",
        "Servatius",
        "woningcorporatie",
        "L3577, L9155, L9602",
    ),
    Organisation(
        "Woonpunt",
        "Woonpunt",
        "woningcorporatie",
        "L3578, L9155, L9602",
    ),
    Organisation(
        "Maasvallei",
        "Maasvallei",
        "woningcorporatie",
        "L3579",
    ),
)

# ---------------------------------------------------------------------------------------------
# 4. Signal categories
# ---------------------------------------------------------------------------------------------

# fmt: off
SIGNAL_CATEGORIES: tuple[SignalCategory, ...] = (
    # overlast: nuisance types from the youth-group paragraph (L1322-1327, L6860-6866)
    SignalCategory(
        "overlast_groep",
        "Overlast of intimiderend gedrag (ook in groepsverband of op scooters)",
        "overlast", False, "L1322-1327, L6860-6866",
    ),
    SignalCategory(
        "vuurwerk", "Afsteken van vuurwerk", "overlast", False, "L1326, L6772",
    ),
    SignalCategory(
        "middelengebruik", "Gebruik van (soft)drugs of alcohol", "overlast", False,
        "L1326, L6772-6773",
    ),
    # criminaliteit: police top-3 and RIEC categories (L6646-6717)
    SignalCategory(
        "diefstal", "(Winkel)diefstal", "criminaliteit", False, "L1327, L6650-6652, L6772",
    ),
    SignalCategory("heling", "Heling", "criminaliteit", False, "L1326, L6650"),
    SignalCategory(
        "geweld", "Geweld tegen personen of goederen", "criminaliteit", False,
        "L1327, L6674-6680, L6699",
    ),
    SignalCategory(
        "wapenbezit", "Wapenbezit (o.a. messen)", "criminaliteit", False,
        "L6690-6696, L4982-4987",
    ),
    SignalCategory(
        "hic", "Inbraak, overval of straatroof (high impact crime)", "criminaliteit", False,
        "L6682-6688, L6701",
    ),
    # ondermijning: drugs, 'klusjes', recruitment, criminal networks, money mules
    SignalCategory(
        "drugshandel", "Drugshandel of dealen", "ondermijning", False,
        "L6664-6670, L7004-7008",
    ),
    SignalCategory(
        "klusjes",
        "Klusjes voor criminelen (pakketjes rondbrengen, op de uitkijk staan, drugs bewaren)",
        "ondermijning", False, "L1253-1256, L4800-4812",
    ),
    SignalCategory(
        "ronselen", "Signalen van ronselen of verleiding", "ondermijning", False,
        "L1257-1262, L2366-2371",
    ),
    SignalCategory(
        "crimineel_netwerk", "Contact met crimineel netwerk of criminele familie",
        "ondermijning", False, "L1346-1357, L7141-7146, L9714-9715",
    ),
    SignalCategory(
        "geldezel", "Geldezel of witwassen", "ondermijning", False,
        "L2423-2425, L2803-2807, L6101-6103",
    ),
    # school: compulsory-education and school signals
    SignalCategory(
        "relatief_verzuim",
        "Relatief schoolverzuim (meer dan 16 uur ongeoorloofd in 4 opeenvolgende lesweken)",
        "school", True, "L8850-8852",
    ),
    SignalCategory(
        "vsv", "(Dreigend) voortijdig schoolverlaten", "school", True, "L8801-8829",
    ),
    SignalCategory(
        "zorg_op_school", "Zorgelijk gedrag op of rond school (snel geld, dure spullen)",
        "school", True, "L2366-2374, L8625-8629, L9717",
    ),
    # zorg: vulnerability and debts (survey causes, risk factors)
    SignalCategory(
        "kwetsbaarheid", "Kwetsbaarheid (lvb, gezinsproblematiek, psychische problemen)",
        "zorg", False, "L1389-1393, L9716",
    ),
    SignalCategory(
        "schulden", "Schulden of financiële problemen", "zorg", False,
        "L2757-2762, L7165-7168",
    ),
    # online
    SignalCategory(
        "online_criminaliteit", "Online criminaliteit (hacken, phishing, oplichting)",
        "online", False, "L2420-2426, L8900-9025",
    ),
    SignalCategory(
        "online_grensoverschrijdend", "Online pesten, bedreiging, sexting of doxing",
        "online", False, "L2420-2424, L4994-4995, L8928",
    ),
)
# fmt: on

# ---------------------------------------------------------------------------------------------
# 5. Interventions (productencatalogus)
# ---------------------------------------------------------------------------------------------
# The seed gives costs and durations only for Straatkracht, KansRIJK and the KansRIJK consult,
# and ages only for Halt (12-17), Columbus (12-27), the money-mule information (12-23), the RIO
# (young adults) and KansRIJK (the preventive field below 18, L2188-2191). Everything else in
# min/max age and duration is an assumption, named in ``note``.

# fmt: off
INTERVENTIONS: tuple[Intervention, ...] = (
    Intervention(
        "Halt-afdoening", "Halt", 12, 17, 90, None, "",
        "Leerstraf voor jongeren van 12 tot en met 17 jaar die een licht strafbaar feit plegen, "
        "na verwijzing door politie, boa, leerplichtambtenaar of officier van justitie.",
        2, "L2316-2325, L6730-6734",
        "Duration assumed.",
    ),
    Intervention(
        "Preventief naar Halt", "Halt", 8, 11, 60, None, "",
        "Preventieve Halt-interventie voor 12-minners over wie zorgen zijn of die beginnend "
        "grensoverschrijdend gedrag laten zien, waar geen strafrechtelijk kader geldt.",
        2, "L2329-2334",
        "8 = programme minimum; duration assumed.",
    ),
    Intervention(
        "Politiereprimande", "Politie", 12, 17, 14, None, "",
        "Reprimande door de politie als lichtere reactie in plaats van een Halt-verwijzing.",
        2, "L6809-6813",
        "Ages follow the Halt window; duration assumed.",
    ),
    Intervention(
        "KansRIJK", "Jeugdreclassering", 8, 17, 182, "6325.00", "per traject (half jaar)",
        "Preventieve inzet van de jeugdreclassering: een individueel traject van een half jaar "
        "met forensische expertise in het voorliggend veld.",
        2, "L2187-2192",
        "Ages: below 18, since 18-27 gets probation expertise instead (L2190-2191).",
    ),
    Intervention(
        "KansRIJK-consult", "Jeugdreclassering", 8, 17, 7, "122.00", "per uur",
        "Los consult of advies van de jeugdreclassering aan professionals over een jeugdige "
        "in het preventieve veld.",
        2, "L2187-2192",
        "Duration assumed.",
    ),
    Intervention(
        "Straatkracht", "Jeugdreclassering", 12, 22, 365, "29586.00", "per traject (jaar)",
        "Intensieve aanpak van de jeugdreclassering die een jongere helpt los te komen uit een "
        "(georganiseerde) criminele, gewelddadige context, samen met zijn sociale netwerk.",
        3, "L161, L2731-2738, L10543-10547",
        "Ages assumed (youth probation incl. adolescentenstrafrecht up to 22).",
    ),
    Intervention(
        "Columbus: ontdek jezelf", "Columbus", 12, 27, 180, None, "",
        "Opbouwende begeleiding in verschillende vormen voor jongeren van 12 tot 27 jaar, "
        "afgestemd op hun behoefte.",
        3, "L2740-2745",
        "Duration assumed; the seed says the option is being explored on RIEC advice.",
    ),
    Intervention(
        "JIM-aanpak (Jouw Ingebrachte Mentor)", None, 12, 23, 365, None, "",
        "Een informele mentor uit het eigen netwerk van de jongere is positief rolmodel, zo "
        "nodig ondersteund door een professional, als alternatief voor uithuisplaatsing.",
        3, "L2747-2756",
        "Provider not named (seed gap); ages and duration assumed.",
    ),
    Intervention(
        "Jongeren Schuldenvrije Start (JSS)", "Gemeente", 18, 27, 365, None, "",
        "Schulden van de jongere worden vroegtijdig opgepakt zodat hij perspectief op "
        "opleiding en werk houdt.",
        3, "L2757-2762",
        "Maastricht's own approach; ages and duration assumed.",
    ),
    Intervention(
        "Arbeidsperspectief (publiek-private samenwerking)", None, 16, 27, 180, None, "",
        "Een passend arbeidsperspectief via publiek-private samenwerking, mogelijk gekoppeld "
        "aan begeleiding vanuit de IJAM.",
        3, "L2764-2768",
        "Still to be explored in the seed; provider, ages and duration assumed.",
    ),
    Intervention(
        "Hack_Right", "OM", 12, 23, 90, None, "",
        "Interventie van het OM voor jonge daders van cybercriminaliteit om hun digitale "
        "vaardigheden legaal in te zetten.",
        3, "L2771-2773, L2801, L2809",
        "Ages and duration assumed.",
    ),
    Intervention(
        "Re_B00TCMP", "Politie", 12, 23, 60, None, "",
        "Programma van de politie voor jongeren die digitaal over de grens gaan, gericht op "
        "het positief inzetten van hun digitale talent.",
        3, "L2771-2773, L2802, L2810",
        "Ages and duration assumed.",
    ),
    Intervention(
        "Aanpak geldezels", None, 12, 23, 60, None, "",
        "Voorlichting, een first-offenderaanpak met jongere en ouders en een veelplegeraanpak "
        "voor geldezels, eventueel via de persoonsgerichte aanpak.",
        3, "L2773, L2803-2807",
        "Provider: 'in afstemming met RIEC, politie en OM' (no single provider); duration "
        "assumed.",
    ),
    Intervention(
        "Snelrecht (ZSM)", "OM", 12, 27, 30, None, "",
        "Snelle afdoening via (super)snelrecht zodat de consequentie direct op het strafbare "
        "feit volgt, met procesafspraken tussen de ketenpartners.",
        3, "L2846-2848, L2877-2881",
        "Duration assumed.",
    ),
    Intervention(
        "Procesafspraken / vonnisvoorstel", "OM", 12, 27, 90, None, "",
        "Maatwerkafdoening van het OM voor verdachte jongeren met multiproblematiek en een "
        "relatief licht delict, met zorg en voorwaarden op maat.",
        3, "L2883-2891",
        "Duration assumed.",
    ),
    Intervention(
        "Modulaire werkstraf", "RvdK", 12, 22, 90, None, "",
        "Werkstraf op maat gecombineerd met modules over onderliggende risicofactoren, zoals "
        "herstelgericht werken en motiverende gespreksvoering.",
        3, "L3065-3076, L10652-10654",
        "Pilot; ages (youth criminal law incl. adolescents) and duration assumed.",
    ),
    Intervention(
        "Taak- of leerstraf in de eigen wijk", "RvdK", 12, 22, 60, None, "",
        "Taak- of leerstraf die zoveel mogelijk in de eigen buurt wordt uitgevoerd, met een "
        "coördinator die daar zichtbaar en aanspreekbaar is.",
        3, "L3057-3062",
        "Ages and duration assumed.",
    ),
    Intervention(
        "RIO-traject", "RIO", 18, 27, 365, None, "",
        "De re-integratieofficier begeleidt een zeer complexe jongvolwassene na detentie naar "
        "re-integratie met perspectief en regisseert de aanvullende hulp.",
        3, "L3037-3046",
        "Duration assumed. The seed budgets the RIO function (€55,000 in 2025, L3143), not a "
        "price per trajectory.",
    ),
    Intervention(
        "Nazorg ex-gedetineerden", "ZVH", 18, 27, 180, None, "",
        "Het Zorg- en Veiligheidshuis voert regie op het op orde brengen van de "
        "basisvoorwaarden voor een stabiele basis na detentie.",
        3, "L3032-3036",
        "Ages limited to adults and the programme maximum; duration assumed.",
    ),
    Intervention(
        "Overlastbrief (groepsaanpak)", "Gemeente", 12, 27, 14, None, "",
        "Brief van gemeente en politie aan het thuisadres van ieder lid van een "
        "overlastgevende jeugdgroep.",
        3, "L6914-6918",
        "Mosae Forum example (ages 13-19, L6910); range and duration assumed.",
    ),
    Intervention(
        "Last onder dwangsom straathandel drugs", "Gemeente", 16, 27, 180, None, "",
        "Last onder dwangsom van de gemeente voor kopers en verkopers na een aanhouding in de "
        "straathandel in drugs.",
        3, "L6994-7008",
        "Ages from '30% of sellers are 16-27' (L7008); duration assumed.",
    ),
)
# fmt: on

# ---------------------------------------------------------------------------------------------
# 6. Criteria per ladder level
# ---------------------------------------------------------------------------------------------
# Semantics: criteria with an empty any_of_group must all be met; of the criteria sharing a
# non-empty any_of_group at least one must be met.
# PGA: the national ZVH criteria for complex cases, as DESIGN.md quotes them.
# netwerkoverleg and jonge_aanwas: SEED GAP. The seed defers these criteria to the yearly action
# plan (L2641-2646; brief §12.1-2). The texts below are derived from the seed's descriptions of
# risk youth / serious nuisance (L1322-1327, L2601-2602, L2619-2626) and of jonge aanwas /
# doorgroeiers (L1253-1262, L1359-1379, L5843-5873, L7141-7146). Replace them when the plan is set.

LEVEL_CRITERIA: dict[str, tuple[dict[str, str], ...]] = {
    "netwerkoverleg": (
        {
            "code": "nw_doelgroep",
            "text": "De jongere is 8 tot en met 27 jaar en woont, leert of werkt in Maastricht.",
            "any_of_group": "",
        },
        {
            "code": "nw_risicogedrag",
            "text": "Er zijn zorgelijke signalen over beginnend grensoverschrijdend of "
            "crimineel gedrag (bijvoorbeeld politie- of Halt-contacten).",
            "any_of_group": "zorg",
        },
        {
            "code": "nw_overlast",
            "text": "De jongere veroorzaakt, alleen of in een groep, ernstige overlast zoals "
            "intimidatie, vernieling, geweld of drugsgebruik op straat.",
            "any_of_group": "zorg",
        },
        {
            "code": "nw_afstemming",
            "text": "Afstemming tussen preventie- en gezagspartners is nodig; de reguliere "
            "zorgstructuur (Knooppunt, gebiedsteam) volstaat niet alleen.",
            "any_of_group": "",
        },
    ),
    "jonge_aanwas": (
        {
            "code": "ja_klusjes",
            "text": "Er zijn concrete signalen dat de jongere wordt benaderd of ingezet voor "
            "klusjes voor de (georganiseerde) criminaliteit, zoals pakketjes rondbrengen, "
            "drugs bewaren, op de uitkijk staan of als geldezel.",
            "any_of_group": "aanwas",
        },
        {
            "code": "ja_doorgroeier",
            "text": "De jongere laat een beginnende criminele carrière zien of groeit door: "
            "herhaalde verdenkingen of een (informele) leidersrol in een problematische "
            "jeugdgroep.",
            "any_of_group": "aanwas",
        },
        {
            "code": "ja_crimineel_netwerk",
            "text": "De jongere vertoont zelf risicogedrag en heeft familie, vrienden of "
            "kennissen die actief zijn in de (georganiseerde) criminaliteit.",
            "any_of_group": "aanwas",
        },
        {
            "code": "ja_begrenzing",
            "text": "Naast zorg en perspectief is begrenzing door gezagspartners (politie, OM, "
            "jeugdreclassering of Halt) nodig.",
            "any_of_group": "",
        },
    ),
    "pga": (
        {
            "code": "pga_meerdere_leefgebieden",
            "text": "Er is sprake van problematiek op meer dan één leefgebied die leidt of kan "
            "leiden tot crimineel of overlastgevend gedrag of tot verdere achteruitgang.",
            "any_of_group": "",
        },
        {
            "code": "pga_ketensamenwerking",
            "text": "Samenwerking tussen meerdere ketens is nodig (ten minste dwang en drang).",
            "any_of_group": "",
        },
        {
            "code": "pga_systeem",
            "text": "Er is sprake van impact op of vanuit het gezinssysteem of de directe "
            "sociale omgeving.",
            "any_of_group": "impact",
        },
        {
            "code": "pga_veiligheid",
            "text": "Er is sprake van ernstige lokale veiligheidsproblematiek die een "
            "ketenoverstijgende aanpak vraagt.",
            "any_of_group": "impact",
        },
    ),
}

# ---------------------------------------------------------------------------------------------
# 7. Closure reasons
# ---------------------------------------------------------------------------------------------
# Seed gap: the seed gives no closure criteria (brief §3.1). The list follows DESIGN.md §2.
# allowed_from_screening: only the reasons that fit a signal that is not taken up after
# screening. "elders_belegd" is an addition: screening often routes a youth to the regular
# structure (Knooppunt, gebiedsteam, Halt) instead of the IJAM tables (brief §11, signal routing).

CLOSURE_REASONS: tuple[dict[str, str | bool], ...] = (
    {"code": "doel_bereikt", "name": "Doel bereikt", "allowed_from_screening": False},
    {"code": "verhuisd", "name": "Verhuisd buiten Maastricht", "allowed_from_screening": False},
    {
        "code": "leeftijdsgrens",
        "name": "Leeftijdsgrens (27 jaar) bereikt",
        "allowed_from_screening": False,
    },
    {"code": "detentie", "name": "Detentie", "allowed_from_screening": False},
    {
        "code": "reguliere_zorg",
        "name": "Overgedragen aan reguliere zorg",
        "allowed_from_screening": False,
    },
    {"code": "overleden", "name": "Overleden", "allowed_from_screening": False},
    {
        "code": "geen_grond",
        "name": "Geen instemming of geen grond voor een aanpak",
        "allowed_from_screening": True,
    },
    {
        "code": "niet_in_doelgroep",
        "name": "Niet in doelgroep / niet opgepakt na screening",
        "allowed_from_screening": True,
    },
    {
        "code": "elders_belegd",
        "name": "Na screening elders belegd (Knooppunt, gebiedsteam of Halt)",
        "allowed_from_screening": True,
    },
)

# ---------------------------------------------------------------------------------------------
# 8. Age bands
# ---------------------------------------------------------------------------------------------
# The seed's bands overlap: the plan says kinderen up to 12, jongeren 13-18, jongvolwassenen 18+
# (L2133-2136), so 18 sits in two bands; the survey and population tables use 8-12 / 13-18 /
# 19-27 (L9689-9691, L6283-6293). IJAM needs one band per age, so we use 8-12 / 13-17 / 18-27:
# 18 is an adult (meerderjarig), matching the 18-27 probation group (L2190-2191) and the Halt
# window 12-17 (L6730). Same codes as casebook.age_bands.AGE_BANDS.

AGE_BANDS: tuple[dict[str, str | int], ...] = (
    {"code": "8-12", "label": "kinderen", "min_age": 8, "max_age": 12},
    {"code": "13-17", "label": "jongeren", "min_age": 13, "max_age": 17},
    {"code": "18-27", "label": "jongvolwassenen", "min_age": 18, "max_age": 27},
)

# ---------------------------------------------------------------------------------------------
# 9. Seed figures for realistic demo data
# ---------------------------------------------------------------------------------------------
# Only figures stated in the seed. Note the different windows: the population is 8-27, the
# Zicht op Ondermijning and police figures are 8-23, and the population age bands are 8-12 /
# 13-18 / 19-27 (not the IJAM bands above).

DEMO_FIGURES: dict[str, dict[str, object]] = {
    "population_total_2022": {"value": 121151, "lines": "L6248"},
    "population_8_27_2022": {"value": 35644, "share_pct": "29.4", "lines": "L6280-6282"},
    "population_by_band_2022": {
        "value": {"8-12": 4281, "13-18": 6548, "19-27": 24815},
        "share_pct": {"8-12": "12.0", "13-18": "18.3", "19-27": "69.6"},
        "lines": "L6283-6309",
        "note": "19-27 is large because Maastricht is a student city (L6320-6336).",
    },
    "high_risk_youth_8_23": {
        "value": 1080,
        "share_pct": "4.1",
        "lines": "L6455-6467",
        "note": "Zicht op Ondermijning, peiljaar 2019; NL 5%, Limburg 4.9%.",
    },
    "target_youths_in_approach_end_2025": {
        "value": 30,
        "lines": "L2641-2644",
        "note": "At least 30 youths meeting the jonge aanwas / doorgroeier criteria.",
    },
    "target_signals_2026": {"value": 300, "lines": "L2141-2146"},
    "target_interpretation_sessions_2026": {"value": 20, "lines": "L1881-1885"},
    "target_youths_spoken_per_year": {"value": 200, "lines": "L1975-1980"},
    "police_youth_incidents_2021_2022": {
        "value": 4600,
        "share_of_all_registrations_pct": "30",
        "lines": "L6626-6628",
        "note": "Ages 8-23; largest group 18-23.",
    },
    "police_youth_share_crime_pct": {
        "value": {"2021": "15.7", "2022": "22.5", "2023-jan-mei": "21.4"},
        "lines": "L6634-6638",
    },
    "halt_referrals": {
        "value": {"2019": 129, "2022": 65},
        "per_1000_youth_2022": 12,
        "boys_girls_2022": (46, 20),
        "lines": "L6752-6767",
        "note": "Most referrals at 15-17; reasons: vuurwerk, diefstal, leerplicht, alcohol.",
    },
    "zvh_youth_registrations_2022": {
        "value": 20,
        "system_approach": 7,
        "individual_approach": 13,
        "share_under_23_pct": {"2020": 12, "2021": 10, "2022": 38},
        "lines": "L6938-6954",
    },
    "jeugdreclassering_2022": {"value": 55, "share_pct": "0.3", "lines": "L8090"},
    "jeugdzorg_2022": {"value": 2780, "share_pct": "9", "lines": "L8078"},
    "street_dealing_arrests_until_may_2023": {
        "value": 97,
        "share_sellers_16_27_pct": "30",
        "lines": "L7004-7008",
    },
    "drug_premises_closures": {
        "value": 178,
        "period": "10 jaar",
        "per_year_2019_2022": (25, 35),
        "lines": "L7033, L7063",
    },
    "early_school_leavers_2021_2022": {
        "value": 185,
        "monitored": 52,
        "unreachable": 8,
        "lines": "L8823-8830",
    },
    "absence_reports_heuvelland_2021_2022": {
        "value": 1318,
        "pupils": 775,
        "lines": "L8890-8892",
    },
    "mosae_forum_group_2022": {
        "value": 90,
        "ages": (13, 19),
        "tiers": ("rood", "oranje", "geel"),
        "lines": "L6894-6932",
    },
}
