# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the group approach plugs into the task engine (``WorkflowsConfig.ready()`` calls
``register`` once): a completed monitoring round schedules the next one while the group is
in step 6."""

from __future__ import annotations

from workflows.groups.services.steps import schedule_next_monitoring
from workflows.tasks import hooks
from workflows.tasks.models import TaskTypeCode


def register() -> None:
    hooks.on_completed(TaskTypeCode.GROUP_MONITORING, schedule_next_monitoring)
