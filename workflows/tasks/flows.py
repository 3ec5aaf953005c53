# SPDX-License-Identifier: AGPL-3.0-or-later
"""viewflow flows. Every piece of human partner work runs as a viewflow task.

``PartnerTaskFlow`` is the smallest such process: started from code by
``workflows.tasks.services``, one human task (``work``) available to the users of
the assigned organisation (object permission on the organisation), then the end. Our services
drive its activations; people work in IJAM's own pages, not in viewflow's frontend.
"""

from __future__ import annotations

from django.views import View
from viewflow import this
from viewflow.workflow import flow

from casebook.permissions import WORK_ON_TASK
from workflows.tasks.models import PartnerTask


class _ServiceDrivenView(View):
    """Placeholder: the task is done through IJAM's task page and services, never here."""

    http_method_names: list[str] = []


class PartnerTaskFlow(flow.Flow):
    process_class = PartnerTask
    process_title = "Partnertaak"
    process_description = "Werk van een partnerorganisatie aan een casus, met een deadline."

    start = flow.StartHandle(this.start_task).Next(this.work)
    work = (
        flow.View(_ServiceDrivenView.as_view())
        .Permission(WORK_ON_TASK, obj=lambda process: process.organisation)
        .Next(this.end)
    )
    end = flow.End()

    def start_task(self, activation, **fields):
        for name, value in fields.items():
            setattr(activation.process, name, value)
        return activation.process
