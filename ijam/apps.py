# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class IjamConfig(AppConfig):
    """The project as an app: it holds no models, only the demo data, the database roles'
    commands and the project's system checks (a weak SECRET_KEY, the database role)."""

    name = "ijam"
    verbose_name = "IJAM"

    def ready(self) -> None:
        from ijam import checks  # noqa: F401 - registers the checks
