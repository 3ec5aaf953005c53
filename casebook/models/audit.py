# SPDX-License-Identifier: AGPL-3.0-or-later
"""The audit trail: append-only, hash-chained events.

Each event stores the hash of its predecessor and ``sha256(prev_hash || content_hash)``, where
the content hash covers everything the event says; so changing, removing or inserting an event
breaks the chain. Database triggers chain each event as it is inserted (migration 0006) and
refuse UPDATE and DELETE (migration 0002); ``manage.py verify_audit_chain`` recomputes it all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64

#: How actions read on a timeline.
ACTION_LABELS = {
    "youth.registered": _("Jongere geregistreerd"),
    "youth.family_link_added": _("Familierelatie vastgelegd"),
    "case.opened": _("Casus geopend"),
    "case.screen_in": _("Ingestroomd na screening"),
    "case.screen_out": _("Niet opgepakt na screening"),
    "case.escalate": _("Opgeschaald"),
    "case.deescalate": _("Afgeschaald"),
    "case.close": _("Afgesloten"),
    "case.details_changed": _("Casusgegevens gewijzigd"),
    "case.organisation_involved": _("Organisatie betrokken"),
    "plan.goal_added": _("Doel toegevoegd aan plan van aanpak"),
    "plan.intervention_added": _("Interventie ingezet"),
    "task.assigned": _("Taak toegewezen"),
    "task.claimed": _("Taak opgepakt"),
    "task.completed": _("Taak afgerond"),
    "task.returned": _("Taak teruggegeven"),
    "task.cancelled": _("Taak geannuleerd"),
    "task.reassigned": _("Taak naar andere organisatie"),
    "task.deadline_moved": _("Deadline verplaatst"),
    "meeting.decision_executed": _("Besluit van de casustafel uitgevoerd"),
    "signal.registered": _("Signaal ontvangen"),
    "signal.in_screening": _("Signaal in behandeling genomen"),
    "signal.taken_up": _("Signaal opgepakt"),
    "signal.not_taken_up": _("Signaal niet opgepakt"),
    "task.handed_over": _("Taak overgedragen bij afsluiten groepsaanpak"),
    "group.created": _("Groepsaanpak gestart"),
    "group.advance": _("Naar de volgende stap"),
    "group.back": _("Terug naar de vorige stap"),
    "group.not_problematic": _("Niet problematisch: afgesloten (2A)"),
    "group.close": _("Groepsaanpak afgerond en afgesloten"),
    "group.member_added": _("Lid toegevoegd"),
    "group.member_tier": _("Kleur gewijzigd"),
    "group.member_left": _("Lid uit de groep"),
    "group.member_spun_off": _("Lid doorverwezen naar de ladder"),
    "group.bulk_action": _("Bulkactie uitgezet"),
    "group.plan_action_added": _("Actie opgenomen in het plan van aanpak"),
    "group.plan_action_removed": _("Actie uit het plan van aanpak gehaald"),
    "group.interpretation": _("Groepsduiding of plan bijgewerkt"),
    "group.organisation_involved": _("Organisatie neemt deel"),
    "group.organisation_access": _("Toegang van organisatie gewijzigd"),
    "group.note_added": _("Informatie toegevoegd"),
    "case.viewed": _("Casus ingezien"),
    "case_list.viewed": _("Casuslijst ingezien"),
    "my_signals.viewed": _("Eigen signalen ingezien"),
    "youth_duplicates.viewed": _("Mogelijke dubbele jongeren getoond"),
}


def canonical_json(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def normalise(value):
    """The value as it comes back from a JSON column, so hashing before and after storing agree."""
    if value is None:
        return None
    return json.loads(canonical_json(value))


class ChainField(models.CharField):
    """A column the database fills in on insert (the chain trigger) and returns to Django."""

    db_returning = True


def chain_hash(prev_hash: str, content_hash: str) -> str:
    """What the database trigger computes: sha256(prev_hash || content_hash), hex."""
    return hashlib.sha256((prev_hash + content_hash).encode("utf-8")).hexdigest()


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        WRITE = "write", _("wijziging")
        READ = "read", _("inzage")

    occurred_at = models.DateTimeField(_("tijdstip"))
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.WRITE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_organisation = models.ForeignKey(
        "casebook.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A readable snapshot of who acted, so the trail stays legible if names change.
    actor_label = models.CharField(_("door (naam)"), max_length=300)
    action = models.CharField(_("actie"), max_length=60)
    object_type = models.CharField(_("objecttype"), max_length=60)
    object_id = models.CharField(_("object-id"), max_length=40)
    case = models.ForeignKey(
        "casebook.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    youth = models.ForeignKey(
        "casebook.Youth", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signal = models.ForeignKey(
        "casebook.Signal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("toelichting"), blank=True)
    before = models.JSONField(_("oud"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("nieuw"), null=True, blank=True, encoder=DjangoJSONEncoder)
    # Set by the chain trigger (migration 0006); see ``chain_hash``.
    prev_hash = ChainField(max_length=64)
    hash = ChainField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("audittrail")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case", "id"], name="audit_case_idx"),
            # A group's timeline: the events about one object.
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
            models.Index(fields=["youth", "id"], name="audit_youth_idx"),
            models.Index(fields=["actor", "id"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} ({self.actor_label})"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def content(self) -> dict:
        """Everything the content hash covers (the chain links are added by ``chain_hash``)."""
        occurred = self.occurred_at.astimezone(dt.UTC).isoformat()
        return {
            "occurred_at": occurred,
            "kind": self.kind,
            "actor": self.actor_id,
            "actor_organisation": self.actor_organisation_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "case": self.case_id,
            "youth": self.youth_id,
            "signal": self.signal_id,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
        }

    def content_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.content()).encode("utf-8")).hexdigest()

    def compute_hash(self) -> str:
        """The hash this event must have, given its content and its predecessor's hash."""
        return chain_hash(self.prev_hash, self.content_hash())
