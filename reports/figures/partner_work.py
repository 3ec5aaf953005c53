# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partner work per organisation: the basis for the stuurgroep's talk with partner directors.

* Assigned: tasks given to the organisation in the period (the task's process was created).
* Completed within deadline / late: tasks completed in the period, on or before the
  deadline or after it.
* Became overdue: tasks whose deadline passed unfinished in the period (the deadline sweep
  marked them).
* Returned: tasks the organisation gave back in the period.
* Escalated to the regiegroep: tasks escalated in the period (``regie_escalated_at``).
* Open at the end: tasks assigned before the end of the period and not closed by then.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.figures.base import compare, count_row, fetch, with_total
from reports.periods import Period
from reports.tables import Table

COLUMNS = (
    "Toegewezen",
    "Afgerond binnen termijn",
    "Afgerond na termijn",
    "Te laat geworden",
    "Teruggegeven",
    "Geëscaleerd naar regiegroep",
    "Open aan eind",
)


_COUNTS = """
    count(*) FILTER (WHERE p.created >= {s} AND p.created < {e}),
    count(*) FILTER (WHERE t.state = 'done' AND t.closed_at >= {s} AND t.closed_at < {e}
                       AND t.closed_at <= t.deadline),
    count(*) FILTER (WHERE t.state = 'done' AND t.closed_at >= {s} AND t.closed_at < {e}
                       AND t.closed_at > t.deadline),
    count(*) FILTER (WHERE t.deadline >= {s} AND t.deadline < {e} AND t.deadline < now()
                       AND (t.closed_at IS NULL OR t.closed_at > t.deadline)),
    count(*) FILTER (WHERE t.state = 'returned' AND t.closed_at >= {s} AND t.closed_at < {e}),
    count(*) FILTER (WHERE t.regie_escalated_at >= {s} AND t.regie_escalated_at < {e}),
    count(*) FILTER (WHERE p.created < {e} AND (t.closed_at IS NULL OR t.closed_at >= {e}))
"""


def _counts(periods: list[Period]) -> list[dict[str, list[int]]]:
    """Per period, {organisation: the seven counts}: one scan of the tasks for all periods."""
    columns = ",\n".join(_COUNTS.format(s=f"%(s{i})s", e=f"%(e{i})s") for i in range(len(periods)))
    params = {}
    for i, period in enumerate(periods):
        params[f"s{i}"], params[f"e{i}"] = period.start, period.end
    params["first"] = min(p.start for p in periods)
    params["last"] = max(p.end for p in periods)
    result = fetch(
        f"""
        SELECT o.name, {columns}
          FROM workflows_partnertask t
          JOIN viewflow_process p ON p.id = t.process_ptr_id
          JOIN casebook_organisation o ON o.id = t.organisation_id
         WHERE p.created < %(last)s
           AND (t.closed_at IS NULL OR t.closed_at >= %(first)s
                OR t.deadline >= %(first)s OR t.regie_escalated_at >= %(first)s)
         GROUP BY o.name
         ORDER BY o.name
        """,  # noqa: S608 - the columns are this module's constants; values are parameters
        params,
    )
    width = len(COLUMNS)
    return [
        {name: list(values[i * width : (i + 1) * width]) for name, *values in result}
        for i in range(len(periods))
    ]


def _table(found: dict[str, list[int]]) -> Table:
    rows = [count_row(name, values) for name, values in found.items() if any(values)]
    return Table(
        key="partnerwerk-per-organisatie",
        title=_("Partnerwerk per organisatie"),
        row_header=_("Organisatie"),
        columns=COLUMNS,
        rows=tuple(with_total(rows, len(COLUMNS))),
        description=_(
            "Taken per organisatie in de periode: toegewezen, afgerond binnen of na de "
            "termijn, te laat geworden (de deadline verstreek zonder afronding), teruggegeven, "
            "geëscaleerd naar de regiegroep, en open aan het eind van de periode."
        ),
    )


def partner_work(period: Period) -> Table:
    return _table(_counts([period])[0])


def compared(period: Period) -> Table:
    periods = list(period.comparisons())
    found = dict(zip(periods, _counts(periods), strict=True))
    return compare(lambda p: _table(found[p]), period)
