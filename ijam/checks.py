# SPDX-License-Identifier: AGPL-3.0-or-later
"""IJAM's own system checks (registered in ``ijam.apps.IjamConfig.ready``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from ijam.secret_key import refusal


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
