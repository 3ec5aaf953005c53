# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class IjamConfig(AppConfig):
    """The project as an app: it holds no models: the demo data and its command, and the
    session limits' receivers (``ijam.sessions``)."""

    name = "ijam"
    verbose_name = "IJAM"

    def ready(self):
        # The session limits' log-in and log-out receivers; the lockout's system check.
        from ijam import lockout, sessions  # noqa: F401
