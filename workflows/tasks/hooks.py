# SPDX-License-Identifier: AGPL-3.0-or-later
"""How the processes plug into the task engine, without the engine knowing them.

The engine runs partner work for every process (the ladder's level flows, the case tables,
the group approach), but imports none of them. What should follow when a kind of task ends,
and what extra action a kind of task offers on its page, is registered here by the process
that owns that kind of work, keyed by task-type code. ``WorkflowsConfig.ready()`` calls each
process's ``wiring.register()`` once at start-up.

* ``on_completed(code, handler)``: ``handler(task=, actor=)`` runs inside the transaction that
  completes a task of that type (the ladder's next evaluation, the group's next monitoring
  round). An exception in it rolls the completion back.
* ``add_action(code, TaskAction(...))``: an extra action on the page of a task of that type
  (the level flow's intake decision), with its form and the service it calls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

CompletionHandler = Callable[..., Any]

_completion_handlers: dict[str, list[CompletionHandler]] = defaultdict(list)
_actions: dict[str, list[TaskAction]] = defaultdict(list)


@dataclass(frozen=True)
class TaskAction:
    """An action a process adds to the page of one kind of task."""

    slug: str  # the URL part: /taken/<id>/<slug>/
    label: str  # the heading of its panel
    submit: str  # the text of its button
    done: str  # the message after it succeeded
    form_class: type[forms.Form]  # takes ``task=`` and ``auto_id=``; has a ``version`` field
    permission: str  # who sees and may use it
    perform: Callable[..., Any]  # perform(task=, actor=, data=<cleaned data>, expected_version=)


def on_completed(code: str, handler: CompletionHandler) -> None:
    if handler not in _completion_handlers[code]:
        _completion_handlers[code].append(handler)


def run_completion_handlers(*, task, actor) -> None:
    for handler in _completion_handlers.get(task.task_type.code, ()):
        handler(task=task, actor=actor)


def add_action(code: str, action: TaskAction) -> None:
    if all(existing.slug != action.slug for existing in _actions[code]):
        _actions[code].append(action)


def actions_for(task, user) -> list[TaskAction]:
    """The registered actions of this task's type that ``user`` may use."""
    return [a for a in _actions.get(task.task_type.code, ()) if user.has_perm(a.permission)]


def action_for(task, slug: str) -> TaskAction | None:
    return next((a for a in _actions.get(task.task_type.code, ()) if a.slug == slug), None)
