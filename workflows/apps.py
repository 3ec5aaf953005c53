# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Werkprocessen")

    def ready(self) -> None:
        # Each process plugs what it needs into the record and the task engine; the engine
        # and the record import none of them (see workflows.tasks.hooks, casebook.events).
        from workflows import live
        from workflows.groups import wiring as group_wiring
        from workflows.ladder import wiring as ladder_wiring

        ladder_wiring.register()
        group_wiring.register()
        live.register()  # live pages hear what changed (issue 15)
