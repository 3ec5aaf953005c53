# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the ladder plugs into the record and the task engine (``WorkflowsConfig.ready()``
calls ``register`` once):

* a new case opened by a signal gets its screening task (``casebook.events.case_opened``);
* a completed evaluation schedules the next one while the case stays on its level;
* an intake task offers the procesregisseur the intake decision on its page.
"""

from __future__ import annotations

from casebook import events
from casebook.permissions import ASSIGN_TASK
from workflows.ladder.forms import IntakeForm
from workflows.ladder.level_flows import (
    intake_request_information,
    open_screening,
    schedule_next_evaluation,
)
from workflows.tasks import calendar, hooks
from workflows.tasks.models import TaskTypeCode


def _intake(*, task, actor, data, expected_version) -> None:
    intake_request_information(
        task=task,
        actor=actor,
        organisations=list(data["organisations"]),
        deadline=calendar.end_of_day(data["deadline"]),
        instruction=data["instruction"],
        expected_version=expected_version,
    )


INTAKE = hooks.TaskAction(
    slug=TaskTypeCode.INTAKE,
    label="Intake: informatie vragen",
    submit="Informatie vragen en intake afronden",
    done="De partners zijn om informatie gevraagd.",
    form_class=IntakeForm,
    permission=ASSIGN_TASK,
    perform=_intake,
)


def register() -> None:
    events.case_opened.connect(open_screening, dispatch_uid="ladder.open_screening")
    hooks.on_completed(TaskTypeCode.EVALUATION, schedule_next_evaluation)
    hooks.add_action(TaskTypeCode.INTAKE, INTAKE)
