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


def partner_work(period: Period) -> Table:
    result = fetch(
        """
        SELECT o.name,
               count(*) FILTER (WHERE p.created >= %(start)s AND p.created < %(end)s),
               count(*) FILTER (WHERE t.state = 'done' AND t.closed_at >= %(start)s
                                  AND t.closed_at < %(end)s AND t.closed_at <= t.deadline),
               count(*) FILTER (WHERE t.state = 'done' AND t.closed_at >= %(start)s
                                  AND t.closed_at < %(end)s AND t.closed_at > t.deadline),
               count(*) FILTER (WHERE t.deadline >= %(start)s AND t.deadline < %(end)s
                                  AND t.deadline < now()
                                  AND (t.closed_at IS NULL OR t.closed_at > t.deadline)),
               count(*) FILTER (WHERE t.state = 'returned' AND t.closed_at >= %(start)s
                                  AND t.closed_at < %(end)s),
               count(*) FILTER (WHERE t.regie_escalated_at >= %(start)s
                                  AND t.regie_escalated_at < %(end)s),
               count(*) FILTER (WHERE p.created < %(end)s
                                  AND (t.closed_at IS NULL OR t.closed_at >= %(end)s))
          FROM workflows_partnertask t
          JOIN viewflow_process p ON p.id = t.process_ptr_id
          JOIN casebook_organisation o ON o.id = t.organisation_id
         WHERE p.created < %(end)s
           AND (t.closed_at IS NULL OR t.closed_at >= %(start)s
                OR t.deadline >= %(start)s OR t.regie_escalated_at >= %(start)s)
         GROUP BY o.name
         ORDER BY o.name
        """,
        {"start": period.start, "end": period.end},
    )
    rows = [count_row(name, values) for name, *values in result if any(values)]
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


def compared(period: Period) -> Table:
    return compare(partner_work, period)
