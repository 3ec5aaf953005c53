# SPDX-License-Identifier: AGPL-3.0-or-later
"""The admin of the ``workflows`` app: Django's autodiscovery imports this module, which
loads the admin of each process package."""

from workflows.ladder import admin as ladder_admin  # noqa: F401
from workflows.meetings import admin as meetings_admin  # noqa: F401
from workflows.tasks import admin as tasks_admin  # noqa: F401
