# SPDX-License-Identifier: AGPL-3.0-or-later
"""The figures that have a place, per area of the scheme the reader chooses: CBS wijk or
buurt, the Heuvelland municipalities, or the social-domain or LWA area teams (DESIGN §3:
area schemes are configuration: ``District``, ``Neighbourhood`` and ``AreaTeam`` rows).

A case, a signal and a youth have the place of the youth's buurt. The municipality of a buurt
is configuration too: the Heuvelland municipalities are buurten of their own in the district
``HEUVELLAND`` (migration 0016); every other buurt lies in Maastricht. A buurt without an area
team counts under "Geen gebiedsteam".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.figures.base import STAYS, compare, count_row, fetch, ladder_stays, with_total
from reports.periods import Period
from reports.tables import Table
from workflows.ladder.machine import CLOSED

HEUVELLAND = "HEUVELLAND"

#: scheme → (how it reads, SQL for the area's name over buurt n, wijk d, teams sa and lwa)
SCHEMES: dict[str, tuple[str, str]] = {
    "wijk": ("Wijk", "d.name"),
    "buurt": ("Buurt", "n.name"),
    "gemeente": (
        "Gemeente",
        f"CASE WHEN d.code = '{HEUVELLAND}' THEN n.name ELSE 'Gemeente Maastricht' END",
    ),
    "gebiedsteam": ("Gebiedsteam sociaal domein", "coalesce(sa.name, 'Geen gebiedsteam')"),
    "lwa": ("LWA-gebiedsteam", "coalesce(lwa.name, 'Geen gebiedsteam')"),
}
DEFAULT_SCHEME = "wijk"
COLUMNS = (
    "Nieuwe casussen",
    "Signalen ontvangen",
    "Afgesloten",
    "Open aan eind",
)
_PLACE = """
    JOIN casebook_youth y ON y.id = c.youth_id
    JOIN casebook_neighbourhood n ON n.id = y.neighbourhood_id
    JOIN casebook_district d ON d.id = n.district_id
    LEFT JOIN casebook_areateam sa ON sa.id = n.social_area_team_id
    LEFT JOIN casebook_areateam lwa ON lwa.id = n.lwa_area_team_id
"""


def per_area(period: Period, scheme: str = DEFAULT_SCHEME) -> Table:
    with ladder_stays():
        return _per_area(period, scheme)


def _per_area(period: Period, scheme: str) -> Table:
    label, area = SCHEMES.get(scheme, SCHEMES[DEFAULT_SCHEME])
    result = fetch(
        f"""
        WITH last AS (
            SELECT case_id, level AS dst FROM {STAYS}
             WHERE entered_at < %(end)s AND (left_at IS NULL OR left_at >= %(end)s)
        ),
        sig AS (
            SELECT case_id, count(*) AS n FROM casebook_signal
             WHERE received_at >= %(start)s AND received_at < %(end)s GROUP BY case_id
        )
        SELECT {area},
               count(*) FILTER (WHERE c.opened_at >= %(start)s),
               coalesce(sum(sig.n), 0)::bigint,
               count(*) FILTER (WHERE c.closed_at >= %(start)s AND c.closed_at < %(end)s),
               count(*) FILTER (WHERE coalesce(last.dst, 'open') <> %(closed)s)
          FROM casebook_case c
          {_PLACE}
          LEFT JOIN last ON last.case_id = c.id
          LEFT JOIN sig ON sig.case_id = c.id
         WHERE c.opened_at < %(end)s
           AND (c.closed_at IS NULL OR c.closed_at >= %(start)s OR sig.n IS NOT NULL
                OR c.opened_at >= %(start)s)
         GROUP BY 1
         ORDER BY 1
        """,  # noqa: S608 - the area expressions are constants of this module
        {"start": period.start, "end": period.end, "closed": CLOSED},
    )
    rows = [count_row(name, values) for name, *values in result if any(values)]
    return Table(
        key="per-gebied",
        title=_("Casussen en signalen per gebied (%s)") % label.lower(),
        row_header=label,
        columns=COLUMNS,
        rows=tuple(with_total(rows, len(COLUMNS))),
        description=_(
            "Naar de buurt van de jongere. Open aan eind: op de ladder of wachtend op "
            "screening aan het eind van de periode."
        ),
        meta={"scheme": scheme},
    )


def compared(period: Period, scheme: str = DEFAULT_SCHEME) -> Table:
    return compare(lambda p: per_area(p, scheme), period)
