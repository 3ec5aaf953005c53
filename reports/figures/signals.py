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


def _counts(period: Period, by: str) -> list[tuple]:
    days, deadlines = norm_calendar(period.first_day, period.last_day)
    return fetch(
        f"""
        WITH norm AS (
            SELECT unnest(%(days)s::date[]) AS day, unnest(%(deadlines)s::date[]) AS last_day
        ),
        s AS (
            SELECT s.*,
                   s.received_at = min(s.received_at) OVER (PARTITION BY s.case_id)
                     AND s.id = min(s.id) OVER (PARTITION BY s.case_id, s.received_at) AS opened
              FROM casebook_signal s
             WHERE s.case_id IN (SELECT case_id FROM casebook_signal
                                  WHERE received_at >= %(start)s AND received_at < %(end)s)
        )
        SELECT {BY[by][0]},
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
         WHERE s.received_at >= %(start)s AND s.received_at < %(end)s
         GROUP BY 1
         ORDER BY 1
        """,  # noqa: S608 - constants of this module; values are parameters
        {"days": days, "deadlines": deadlines, "start": period.start, "end": period.end},
    )


def _table(period: Period, by: str, key: str, title: str) -> Table:
    labels = dict(OrganisationKind.choices) if by == "kind" else {}
    rows = [
        count_row(str(labels.get(label, label)), values) for label, *values in _counts(period, by)
    ]
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


def by_kind(period: Period) -> Table:
    return _table(period, "kind", "signalen-per-soort-melder", _("Signalen per soort organisatie"))


def by_organisation(period: Period) -> Table:
    return _table(period, "organisation", "signalen-per-organisatie", _("Signalen per organisatie"))


def by_category(period: Period) -> Table:
    return _table(period, "category", "signalen-per-categorie", _("Signalen per categorie"))


def compared(period: Period) -> list[Table]:
    return [
        compare(by_kind, period),
        compare(by_organisation, period),
        compare(by_category, period),
    ]
