# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class IjamConfig(AppConfig):
    """The project as an app: it holds no models, only the demo data and its command, and the
    project's own system checks."""

    name = "ijam"
    verbose_name = "IJAM"

    def ready(self) -> None:
        from django.core import checks

        from ijam.checks import secret_key_strong_enough

        checks.register(secret_key_strong_enough, checks.Tags.security)
