# SPDX-License-Identifier: AGPL-3.0-or-later
"""What every figure module shares: SQL over the record, working-day norms, and the comparison
of a period with the previous one and the same period a year earlier.

Every figure is one or a few set-based SQL statements with aggregates (``count(*) FILTER``,
``percentile_cont``) over casebook and workflows tables: no Python loop over cases, signals or
tasks. The only Python loops run over days of the calendar (a few hundred) and over the rows
of the result (levels, organisations, categories).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

from casebook.models.retention import LADDER_MOVE_ACTIONS
from reports.disclosure import relations
from reports.periods import Period
from reports.tables import Cell, Row, Table
from workflows.tasks import calendar

#: The ladder's moves (ADR 0022), the same list retention keeps the levels of (ADR 0020).
LADDER_ACTIONS = LADDER_MOVE_ACTIONS

#: The ZVH intake practice: the reporter hears back, and screening decides, within 5 working
#: days (DESIGN §2).
NORM_WORKING_DAYS = 5

LADDER_EVENTS_SQL = f"""
    SELECT e.id, e.case_id, e.occurred_at, e.action,
           coalesce(e.before ->> 'niveau', nullif(k.from_level, '')) AS src,
           coalesce(e.after ->> 'niveau', nullif(k.to_level, '')) AS dst
      FROM casebook_auditevent e
      -- A move whose payload the retention job removed keeps its levels there (ADR 0020).
      LEFT JOIN casebook_keptladdermove k ON k.event_id = e.id
     WHERE e.kind = 'write'
       AND e.action IN ({", ".join(f"'{a}'" for a in LADDER_ACTIONS)})
"""  # noqa: S608 - constants of this module; values are parameters


#: The stays of every case: one row per spell of a case in one state (awaiting screening, a
#: level, closed), from the move that entered it to the move that left it (none: it is still
#: there). Built once per report from the audit trail into a temporary table
#: (``ladder_stays``), so every ladder figure is one scan of it instead of a sort of the trail.
STAYS = "report_stays"
_STAYS_SQL = f"""
    CREATE TEMP TABLE {STAYS} ON COMMIT DROP AS
    WITH ev AS MATERIALIZED ({LADDER_EVENTS_SQL}),
    seq AS (
        SELECT ev.*,
               lead(ev.occurred_at) OVER w AS next_at,
               lead(ev.action) OVER w AS next_action,
               row_number() OVER w AS n
          FROM ev
        WINDOW w AS (PARTITION BY ev.case_id ORDER BY ev.occurred_at, ev.id)
    )
    SELECT case_id, dst AS level, occurred_at AS entered_at, action AS enter_action,
           next_at AS left_at, next_action AS left_action
      FROM seq
    UNION ALL
    SELECT c.id, 'awaiting_screening', c.opened_at, 'case.opened', f.occurred_at, f.action
      FROM casebook_case c
      LEFT JOIN seq f ON f.case_id = c.id AND f.n = 1
"""  # noqa: S608 - constants of this module


@contextmanager
def ladder_stays():
    """Inside: the temporary table ``report_stays`` exists (built once; nested uses share
    it). It lives in the surrounding transaction and is dropped at its end."""
    if _stays_ready.get():
        yield
        return
    token = _stays_ready.set(True)
    memo_token = _memo.set({})
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The report's few big scans and hash joins (a million tasks): memory enough to
            # join in one batch, and no JIT compilation (its start-up costs more than it saves
            # on these statements). Both end with the transaction.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"DROP TABLE IF EXISTS {STAYS}")
            cursor.execute(_STAYS_SQL)
            cursor.execute(f"ANALYZE {STAYS}")
            yield
            # Dropped at once: inside a longer transaction (a test's) it must not linger.
            cursor.execute(f"DROP TABLE IF EXISTS {STAYS}")
    finally:
        _memo.reset(memo_token)
        _stays_ready.reset(token)


_stays_ready: ContextVar[bool] = ContextVar("report_stays_ready", default=False)
_memo: ContextVar[dict | None] = ContextVar("report_memo", default=None)


def memoised(key: tuple, compute: Callable[[], object]):
    """``compute()`` once per report for ``key`` (inside ``ladder_stays``; outside, always)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def fetch(sql: str, params: dict | Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def norm_calendar(first_day: dt.date, last_day: dt.date) -> tuple[list[dt.date], list[dt.date]]:
    """For every day from ``first_day`` to ``last_day``: the last day within the norm of
    something that started that day (``add_working_days(day, 5)``; the start day never
    counts). Passed to SQL as two arrays, joined on the local start date."""
    days, deadlines = [], []
    day = first_day
    while day <= last_day:
        days.append(day)
        deadlines.append(calendar.add_working_days(day, NORM_WORKING_DAYS))
        day += dt.timedelta(days=1)
    return days, deadlines


def local_date(column: str) -> str:
    """SQL for the local calendar date of a timestamptz column (``settings.TIME_ZONE``)."""
    from django.conf import settings

    return f"({column} AT TIME ZONE '{settings.TIME_ZONE}')::date"


def count_row(label: str, values: Sequence[int], *, is_total: bool = False) -> Row:
    return Row(label=str(label), cells=tuple(Cell(int(v)) for v in values), is_total=is_total)


def with_total(rows: list[Row], width: int, label: str = "Totaal") -> list[Row]:
    sums = [sum(row.cells[c].value or 0 for row in rows) for c in range(width)]
    return [*rows, count_row(label, sums, is_total=True)]


def compare(
    build: Callable[[Period], Table],
    period: Period,
    *,
    links: Sequence[tuple[int, int]] = (),
) -> Table:
    """One table of ``build(period)`` beside the previous period and the same period a year
    earlier: every row label becomes a row group of three rows, one per period.

    Rows that one period lacks are zeros there. The relations of each period's table carry
    over; ``links`` adds ``(column in this period, column in the previous one)`` pairs that
    are equal by definition (open at the start = open at the end of the previous period), so
    disclosure control protects against recomputing a cell from the previous period too."""
    periods = period.comparisons()
    tables = [build(p) for p in periods]
    first = tables[0]
    labels: list[str] = []
    totals: list[str] = []
    for table in tables:
        for row in table.rows:
            group = totals if row.is_total else labels
            if row.label not in group:
                group.append(row.label)
    labels += totals
    width = len(first.columns)
    index = {label: i for i, label in enumerate(labels)}
    rows: list[Row] = []
    by_label = [{row.label: row for row in table.rows} for table in tables]
    for label in labels:
        for when, table_rows in zip(periods, by_label, strict=True):
            row = table_rows.get(label)
            cells = row.cells if row else tuple(Cell(0) for _ in range(width))
            rows.append(
                Row(
                    label=when.short_label,
                    cells=cells,
                    is_total=label in totals,
                    group=label,
                )
            )
    rels: list[tuple[tuple[int, int, int], ...]] = []
    if first.counts or first.count_columns:
        for p, table in enumerate(tables):
            for rel in relations(table):
                rels.append(
                    tuple((index[table.rows[r].label] * 3 + p, c, k) for (r, c), k in rel.items())
                )
        for i in index.values():
            for here, before in links:
                rels.append(((i * 3, here, 1), (i * 3 + 1, before, -1)))
    return Table(
        key=first.key,
        title=first.title,
        row_header=first.row_header,
        columns=first.columns,
        rows=tuple(rows),
        description=first.description,
        notes=first.notes,
        counts=first.counts,
        column_totals=first.column_totals,
        meta=first.meta
        | {"periods": [p.label for p in periods], "compared": True, "links": list(links)},
        relations=tuple(rels),
        count_columns=first.count_columns,
        basis_column=first.basis_column,
    )
