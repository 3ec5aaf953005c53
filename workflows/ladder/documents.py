# SPDX-License-Identifier: AGPL-3.0-or-later
"""The case summary (youth, level history, plan, tasks) as a PDF for the ZVH."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from casebook.models import AuditEvent, Case
from casebook.services.processing import Code as Activity
from casebook.services.processing import log_subjects


def case_summary_html(case: Case) -> str:
    log_subjects(Activity.CASE_COORDINATION, [case.youth_id], "case_summary.viewed")
    history = AuditEvent.objects.filter(
        case=case,
        action__in=[
            "case.opened",
            "case.screen_in",
            "case.screen_out",
            "case.escalate",
            "case.deescalate",
            "case.close",
        ],
    ).order_by("id")
    return render_to_string(
        "ladder/documents/case_summary.html",
        {
            "case": case,
            "youth": case.youth,
            "history": history,
            "goals": case.goals.order_by("life_domain", "created_at"),
            "interventions": case.plan_interventions.select_related("intervention", "provider"),
            "tasks": case.tasks.select_related("task_type", "organisation").order_by("deadline"),
            "now": timezone.now(),
        },
    )
