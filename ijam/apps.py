# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class IjamConfig(AppConfig):
    """The project as an app: it holds no models, only the demo data and its command."""

    name = "ijam"
    verbose_name = "IJAM"
