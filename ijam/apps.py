# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class IjamConfig(AppConfig):
    """The project as an app: it holds no models: the demo data, the database roles'
    commands, the project's system checks (a weak SECRET_KEY, the database role, the lockout's
    proxy) and the session limits' receivers (``ijam.sessions``)."""

    name = "ijam"
    verbose_name = "IJAM"

    def ready(self) -> None:
        # The system checks; the session limits' log-in and log-out receivers; the lockout's
        # system check.
        from ijam import checks, lockout, sessions  # noqa: F401
