# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signals received in the period: per kind of source organisation, per organisation (schools
are named as organisations, never a person), per category.

* New youth: the signal opened its case (the case's first signal); bundled: it joined a case
  that was already there.
* Taken up / not taken up / still open: the signal's status now.
* Feedback within norm: the reporter heard what happened (taken up or not) on or before the
  5th working day after the day the signal came in.

Relations disclosure control protects: signals = new + bundled = taken up + not taken up +
still open; the total row is the sum of the rows.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as lazy

from casebook.models import OrganisationKind
from reports.figures.base import compare, count_row, fetch, local_date, norm_calendar, with_total
from reports.periods import Period
from reports.tables import Table

COLUMNS = (
    "Signalen",
    "Nieuwe jongere",
    "Gebundeld",
    "Opgepakt",
    "Niet opgepakt",
    "Nog in behandeling",
    "Terugkoppeling binnen 5 werkdagen",
)
RELATIONS = ((0, 1, 2), (0, 3, 4, 5))  # (total, its parts…)

BY = {
    "kind": ("o.kind", "Soort organisatie melder"),
    "organisation": ("o.name", "Organisatie melder"),
    "category": ("cat.name", "Categorie"),
}


def _counts(periods: list[Period]) -> list[dict[str, list[tuple]]]:
    """Per period, per breakdown (kind, organisation, category): (label, *counts) rows. One
    statement for all periods and breakdowns (grouping sets)."""
    first = min(p.first_day for p in periods)
    last = max(p.last_day for p in periods)
    days, deadlines = norm_calendar(first, last)
    which = " ".join(
        f"WHEN s.received_at >= %(s{i})s AND s.received_at < %(e{i})s THEN {i}"
        for i in range(len(periods))
    )
    params = {"days": days, "deadlines": deadlines}
    for i, period in enumerate(periods):
        params[f"s{i}"], params[f"e{i}"] = period.start, period.end
    rows = fetch(
        f"""
        WITH norm AS (
            SELECT unnest(%(days)s::date[]) AS day, unnest(%(deadlines)s::date[]) AS last_day
        ),
        s AS (
            SELECT s.id, s.status, s.status_changed_at, s.received_at,
                   s.reporter_organisation_id, s.category_id, CASE {which} END AS pi,
                   row_number() OVER (PARTITION BY s.case_id ORDER BY s.received_at, s.id) = 1
                     AS opened
              FROM casebook_signal s
        )
        SELECT s.pi, GROUPING(o.kind), GROUPING(o.name),
               coalesce(o.kind, o.name, cat.name),
               count(*),
               count(*) FILTER (WHERE s.opened),
               count(*) FILTER (WHERE NOT s.opened),
               count(*) FILTER (WHERE s.status = 'taken_up'),
               count(*) FILTER (WHERE s.status = 'not_taken_up'),
               count(*) FILTER (WHERE s.status IN ('received', 'in_screening')),
               count(*) FILTER (WHERE s.status IN ('taken_up', 'not_taken_up')
                                  AND {local_date("s.status_changed_at")} <= norm.last_day)
          FROM s
          JOIN casebook_organisation o ON o.id = s.reporter_organisation_id
          JOIN casebook_signalcategory cat ON cat.id = s.category_id
          JOIN norm ON norm.day = {local_date("s.received_at")}
         WHERE s.pi IS NOT NULL
         GROUP BY GROUPING SETS ((s.pi, o.kind), (s.pi, o.name), (s.pi, cat.name))
         ORDER BY 4
        """,  # noqa: S608 - constants of this module; values are parameters
        params,
    )
    found: list[dict[str, list[tuple]]] = [
        {"kind": [], "organisation": [], "category": []} for _ in periods
    ]
    for pi, no_kind, no_name, label, *values in rows:
        by = "kind" if not no_kind else "organisation" if not no_name else "category"
        found[pi][by].append((label, *values))
    return found


def _table(found: list[tuple], by: str, key: str, title: str) -> Table:
    labels = dict(OrganisationKind.choices) if by == "kind" else {}
    rows = [count_row(str(labels.get(label, label)), values) for label, *values in found]
    title = str(title)
    if by == "kind":
        rows.sort(key=lambda row: row.label)
    rows = with_total(rows, len(COLUMNS))
    rels = []
    for r in range(len(rows)):
        for rel in RELATIONS:
            total, *parts = rel
            rels.append(((r, total, -1), *((r, c, 1) for c in parts)))
    for c in range(len(COLUMNS)):
        rels.append(tuple((r, c, 1) for r in range(len(rows) - 1)) + ((len(rows) - 1, c, -1),))
    return Table(
        key=key,
        title=title,
        row_header=BY[by][1],
        columns=COLUMNS,
        rows=tuple(rows),
        description=_(
            "Signalen ontvangen in de periode. Nieuwe jongere: het signaal opende de casus; "
            "gebundeld: het signaal kwam bij een bestaande casus. De status is die van nu."
        ),
        relations=tuple(rels),
    )


TABLES = {
    "kind": ("signalen-per-soort-melder", lazy("Signalen per soort organisatie")),
    "organisation": ("signalen-per-organisatie", lazy("Signalen per organisatie")),
    "category": ("signalen-per-categorie", lazy("Signalen per categorie")),
}


def _one(period: Period, by: str) -> Table:
    return _table(_counts([period])[0][by], by, *TABLES[by])


def by_kind(period: Period) -> Table:
    return _one(period, "kind")


def by_organisation(period: Period) -> Table:
    return _one(period, "organisation")


def by_category(period: Period) -> Table:
    return _one(period, "category")


def _overlap(periods: list[Period]) -> bool:
    spans = sorted((p.first_day, p.last_day) for p in periods)
    return any(a[1] >= b[0] for a, b in zip(spans, spans[1:], strict=False))


def compared(period: Period) -> list[Table]:
    periods = list(period.comparisons())
    if _overlap(periods):  # a long from–to range: a signal may lie in two of them
        found = {p: _counts([p])[0] for p in periods}
    else:
        found = dict(zip(periods, _counts(periods), strict=True))
    return [
        compare(lambda p, by=by: _table(found[p][by], by, *TABLES[by]), period)
        for by in ("kind", "organisation", "category")
    ]
