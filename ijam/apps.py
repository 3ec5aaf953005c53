# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class IjamConfig(AppConfig):
    """The project as an app: it holds no models, only the demo data, the database roles'
    commands and the system check of the role IJAM runs as."""

    name = "ijam"
    verbose_name = "IJAM"

    def ready(self) -> None:
        from ijam import checks  # noqa: F401 - registers the checks
