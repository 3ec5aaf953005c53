# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasebookConfig(AppConfig):
    name = "casebook"
    verbose_name = _("Dossier")

    def ready(self):
        from django.db.models.signals import post_save

        from casebook.models import AuditEvent

        # Every change about a youth reaches the processing log through its audit event.
        post_save.connect(_audit_event_saved, sender=AuditEvent, dispatch_uid="processing_log")


def _audit_event_saved(sender, instance, created, **kwargs):
    if created:
        from casebook.services.processing import log_audit_event

        log_audit_event(instance)
