# SPDX-License-Identifier: AGPL-3.0-or-later
"""System checks of the project: the database role IJAM runs as (ADR 0002).

Tagged ``database``: Django runs it for ``manage.py check --database default`` (the start
command does, as the application role) and for ``migrate``; ``/healthz`` asks the same.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import connections

from ijam.database_roles import role_problems


@register(Tags.database)
def database_role_check(app_configs, databases=None, **kwargs):
    warnings = []
    for alias in databases or []:
        with connections[alias].cursor() as cursor:
            problems = role_problems(cursor)
        warnings += [
            Warning(problem.message, id="ijam.W001", obj=f"database {alias!r}")
            for problem in problems
        ]
    return warnings
