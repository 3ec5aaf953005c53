# SPDX-License-Identifier: AGPL-3.0-or-later
"""IJAM's own system checks (registered by importing this module in
``ijam.apps.IjamConfig.ready``): a weak SECRET_KEY (ADR 0016) and the database role IJAM runs
as (ADR 0002)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import connections

from ijam.database_roles import role_problems
from ijam.secret_key import refusal


@checks.register(checks.Tags.security)
def secret_key_strong_enough(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """``ijam.E001``: with DEBUG off the SECRET_KEY is not weak, default or well known.

    settings.py already refuses such a key from the environment; this check sees the key the
    process really runs with, e.g. one set by a deployment's own settings module, and runs
    with every management command (the worker included) and ``check --deploy``."""
    if settings.DEBUG:
        return []
    message = refusal(str(settings.SECRET_KEY))
    if message is None:
        return []
    return [checks.Error(message, id="ijam.E001")]


@checks.register(checks.Tags.database)
def database_role_check(app_configs, databases=None, **kwargs):
    """``ijam.W001``: IJAM runs as a superuser or owns/may rewrite the audit tables. Tagged
    ``database``: Django runs it for ``manage.py check --database default`` (the start command
    does, as the application role) and for ``migrate``; ``/healthz`` asks the same."""
    warnings = []
    for alias in databases or []:
        with connections[alias].cursor() as cursor:
            problems = role_problems(cursor)
        warnings += [
            checks.Warning(problem.message, id="ijam.W001", obj=f"database {alias!r}")
            for problem in problems
        ]
    return warnings
