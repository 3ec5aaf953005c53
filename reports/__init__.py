# SPDX-License-Identifier: AGPL-3.0-or-later
"""The stuurgroep's room: the throughput report per period and the programme's KPI dashboard.

Aggregates only: nothing in this package returns or renders a person. Every figure is computed
by ``reports.figures`` into a raw ``Table``, passes ``reports.disclosure`` (small numbers and
whatever would let a reader recompute them are suppressed) and only then reaches a page, a
chart, a PDF or an export.
"""
