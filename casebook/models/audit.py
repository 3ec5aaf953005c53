# SPDX-License-Identifier: AGPL-3.0-or-later
"""The audit trail: append-only events, sealed with a key and hash-chained at commit.

An event is inserted with its seal (``digest``): an HMAC-SHA256, with the audit key from the
environment (``IJAM_AUDIT_KEY``, never in the database), over everything the event says, where
its personal payload (reason, before and after) counts by its own keyed digest
(``payload_digest``, stored beside it). So the retention job can later drop the payload and
the seal still verifies, and nobody without the key can make a forged or altered event fit.
``key_id`` names the key that sealed it (rotation: ``IJAM_AUDIT_KEYS`` keeps older ones).
Events from before keys (``key_id`` empty) carry a plain SHA-256; they form the start of the
chain and nothing after the first sealed event may be one (ADR 0002).

When the transaction commits, a deferred trigger (migration 0018) takes the chain lock and
appends one ``AuditChainLink`` per event: its position, the hash of the link before it, and
``hash = sha256(prev_hash || digest)``. Taking the chain lock at commit, after every row lock
of the transaction, is what keeps logged reads and changes from deadlocking (ADR 0010).
Triggers refuse UPDATE and DELETE on both tables (migrations 0002 and 0018), the application's
database role holds only INSERT and SELECT on them, the worker anchors the chain's head outside
the database (``casebook.services.audit_anchor``), and ``manage.py verify_audit_chain``
recomputes it all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
#: ``actor_label`` of what IJAM does by itself (a job, a timer): no user acted.
SYSTEM_ACTOR_LABEL = "IJAM (systeem)"


class AuditAction(models.TextChoices):
    """Every action the audit trail records, and how it reads on a timeline: the one list.

    ``casebook.services.audit.audit_record`` refuses an action that is not here, so a new kind
    of event cannot reach the trail without its Dutch label. Reads end in ``.viewed``.
    """

    # The record: youths, cases, plans, signals.
    YOUTH_REGISTERED = "youth.registered", _("Jongere geregistreerd")
    YOUTH_FAMILY_LINK_ADDED = "youth.family_link_added", _("Familierelatie vastgelegd")
    YOUTH_MERGED = "youth.merged", _("Dubbele registratie van een jongere samengevoegd")
    CASE_OPENED = "case.opened", _("Casus geopend")
    CASE_DETAILS_CHANGED = "case.details_changed", _("Casusgegevens gewijzigd")
    CASE_ORGANISATION_INVOLVED = "case.organisation_involved", _("Organisatie betrokken")
    PLAN_GOAL_ADDED = "plan.goal_added", _("Doel toegevoegd aan plan van aanpak")
    PLAN_INTERVENTION_ADDED = "plan.intervention_added", _("Interventie ingezet")
    SIGNAL_REGISTERED = "signal.registered", _("Signaal ontvangen")
    SIGNAL_IN_SCREENING = "signal.in_screening", _("Signaal in behandeling genomen")
    SIGNAL_TAKEN_UP = "signal.taken_up", _("Signaal opgepakt")
    SIGNAL_NOT_TAKEN_UP = "signal.not_taken_up", _("Signaal niet opgepakt")
    SIGNAL_LINKED = "signal.linked", _("Signaal gekoppeld aan een bekende jongere")
    CASE_DUPLICATE_LINKED = "case.duplicate_linked", _("Dubbele registratie gekoppeld")
    # The ladder (``case.<transition>``).
    CASE_SCREEN_IN = "case.screen_in", _("Ingestroomd na screening")
    CASE_SCREEN_OUT = "case.screen_out", _("Niet opgepakt na screening")
    CASE_ESCALATE = "case.escalate", _("Opgeschaald")
    CASE_DEESCALATE = "case.deescalate", _("Afgeschaald")
    CASE_CLOSE = "case.close", _("Afgesloten")
    # Partner tasks.
    TASK_ASSIGNED = "task.assigned", _("Taak toegewezen")
    TASK_CLAIMED = "task.claimed", _("Taak opgepakt")
    TASK_COMPLETED = "task.completed", _("Taak afgerond")
    TASK_RETURNED = "task.returned", _("Taak teruggegeven")
    TASK_CANCELLED = "task.cancelled", _("Taak geannuleerd")
    TASK_REASSIGNED = "task.reassigned", _("Taak naar andere organisatie")
    TASK_DEADLINE_MOVED = "task.deadline_moved", _("Deadline verplaatst")
    TASK_HANDED_OVER = "task.handed_over", _("Taak overgedragen bij afsluiten groepsaanpak")
    # Case tables.
    MEETING_SCHEDULED = "meeting.scheduled", _("Extra zitting gepland")
    MEETING_MOVED = "meeting.moved", _("Zitting verplaatst")
    MEETING_AGENDA_BUILT = "meeting.agenda_built", _("Agenda opgebouwd")
    MEETING_ITEM_ADDED = "meeting.item_added", _("Casus op de agenda gezet")
    MEETING_ITEM_REMOVED = "meeting.item_removed", _("Casus van de agenda gehaald")
    MEETING_PROPOSAL_ADDED = "meeting.proposal_added", _("Voorstel op- of afschalen geagendeerd")
    MEETING_AGENDA_PUBLISHED = "meeting.agenda_published", _("Agenda verstuurd")
    MEETING_MINUTES_STARTED = "meeting.minutes_started", _("Verslag begonnen")
    MEETING_MINUTES_ITEM_RECORDED = "meeting.minutes_item_recorded", _("Verslag bijgewerkt")
    MEETING_DECISION_RECORDED = "meeting.decision_recorded", _("Besluit vastgelegd in het verslag")
    MEETING_MINUTES_CONFIRMED = "meeting.minutes_confirmed", _("Verslag vastgesteld")
    MEETING_MINUTES_CORRECTION_STARTED = (
        "meeting.minutes_correction_started",
        _("Correctie van het verslag gestart"),
    )
    MEETING_DECISION_EXECUTED = (
        "meeting.decision_executed",
        _("Besluit van de casustafel uitgevoerd"),
    )
    # The group approach (``group.<move>`` for the steps).
    GROUP_CREATED = "group.created", _("Groepsaanpak gestart")
    GROUP_ADVANCE = "group.advance", _("Naar de volgende stap")
    GROUP_BACK = "group.back", _("Terug naar de vorige stap")
    GROUP_NOT_PROBLEMATIC = "group.not_problematic", _("Niet problematisch: afgesloten (2A)")
    GROUP_CLOSE = "group.close", _("Groepsaanpak afgerond en afgesloten")
    GROUP_MEMBER_ADDED = "group.member_added", _("Lid toegevoegd")
    GROUP_MEMBER_TIER = "group.member_tier", _("Kleur gewijzigd")
    GROUP_MEMBER_LEFT = "group.member_left", _("Lid uit de groep")
    GROUP_MEMBER_SPUN_OFF = "group.member_spun_off", _("Lid doorverwezen naar de ladder")
    GROUP_BULK_ACTION = "group.bulk_action", _("Bulkactie uitgezet")
    GROUP_PLAN_ACTION_ADDED = "group.plan_action_added", _("Actie opgenomen in het plan van aanpak")
    GROUP_PLAN_ACTION_REMOVED = (
        "group.plan_action_removed",
        _("Actie uit het plan van aanpak gehaald"),
    )
    GROUP_INTERPRETATION = "group.interpretation", _("Groepsduiding of plan bijgewerkt")
    GROUP_ORGANISATION_INVOLVED = "group.organisation_involved", _("Organisatie neemt deel")
    GROUP_ORGANISATION_ACCESS = "group.organisation_access", _("Toegang van organisatie gewijzigd")
    GROUP_NOTE_ADDED = "group.note_added", _("Informatie toegevoegd")
    # The stuurgroep's dashboard.
    KPI_VALUE_RECORDED = "kpi.value_recorded", _("Handmatige KPI-waarde vastgelegd")
    # Functional administration.
    ADMIN_ADDED = "admin.added", _("Configuratie toegevoegd")
    ADMIN_CHANGED = "admin.changed", _("Configuratie gewijzigd")
    # Need-to-know: access that ends, emergency access, denials (casebook.policy).
    CASE_INVOLVEMENT_ENDED = "case.involvement_ended", _("Betrokkenheid van organisatie beëindigd")
    EMERGENCY_ACCESS_OPENED = (
        "emergency_access.opened",
        _("Doorbraak: casus buiten de regels geopend"),
    )
    EMERGENCY_ACCESS_REVIEWED = "emergency_access.reviewed", _("Doorbraak beoordeeld")
    ACCESS_DENIED = "access.denied", _("Toegang geweigerd")
    ADMIN_DELETED = "admin.deleted", _("Configuratie verwijderd")
    # Retention (ADR 0020): one event per run, counts only.
    RETENTION_RUN = "retention.run", _("Bewaartermijnen toegepast: verlopen gegevens verwijderd")
    USER_ROLES_CHANGED = "user.roles_changed", _("Rollen van gebruiker gewijzigd")
    ROLE_GRANT_REQUESTED = "role_grant.requested", _("Roltoekenning aangevraagd (vier ogen)")
    ROLE_GRANT_APPROVED = "role_grant.approved", _("Roltoekenning goedgekeurd")
    ROLE_GRANT_REJECTED = "role_grant.rejected", _("Roltoekenning afgewezen")
    PASSWORD_RESET_SENT = "user.password_reset_sent", _("Link voor nieuw wachtwoord verstuurd")
    LOGIN_UNLOCKED = "user.login_unlocked", _("Blokkering van inloggen opgeheven")
    # The second factor at log-in (ADR 0014).
    SECOND_FACTOR_ENROLLED = "second_factor.enrolled", _("Tweede factor (app) ingesteld")
    RECOVERY_CODES_REGENERATED = (
        "second_factor.recovery_codes_regenerated",
        _("Nieuwe herstelcodes gemaakt"),
    )
    RECOVERY_CODE_USED = "second_factor.recovery_code_used", _("Ingelogd met een herstelcode")
    SECOND_FACTOR_RESET_REQUESTED = (
        "second_factor.reset_requested",
        _("Herstel van tweede factor aangevraagd (vier ogen)"),
    )
    SECOND_FACTOR_RESET_APPROVED = (
        "second_factor.reset_approved",
        _("Herstel van tweede factor goedgekeurd: opnieuw instellen bij inloggen"),
    )
    SECOND_FACTOR_RESET_REJECTED = (
        "second_factor.reset_rejected",
        _("Herstel van tweede factor afgewezen"),
    )
    # Reads of personal data (``<what>.viewed``).
    CASE_VIEWED = "case.viewed", _("Casus ingezien")
    CASE_LIST_VIEWED = "case_list.viewed", _("Casuslijst ingezien")
    CASE_SUMMARY_VIEWED = "case_summary.viewed", _("Casusoverzicht (pdf) ingezien")
    MY_SIGNALS_VIEWED = "my_signals.viewed", _("Eigen signalen ingezien")
    ACCESS_OVERVIEW_VIEWED = (
        "access_overview.viewed",
        _("Toegangsoverzicht van een jongere ingezien"),
    )
    ACCESS_OVERVIEW_PDF_VIEWED = (
        "access_overview_pdf.viewed",
        _("Toegangsoverzicht van een jongere (pdf) gemaakt"),
    )
    # The privacy officer chose to have an access overview name the staff who acted (ADR 0019).
    ACCESS_OVERVIEW_STAFF_NAMES_VIEWED = (
        "access_overview_staff_names.viewed",
        _("Namen van medewerkers getoond in een toegangsoverzicht"),
    )
    EMERGENCY_QUEUE_VIEWED = "emergency_queue.viewed", _("Doorbraken ter beoordeling ingezien")
    # ZVH staff saw the possible matches of a case awaiting screening (its case page).
    YOUTH_DUPLICATES_VIEWED = "youth_duplicates.viewed", _("Mogelijke dubbele jongeren getoond")
    # One call of the duplicate check (signal form, group member): who, how many candidates,
    # never what was searched.
    YOUTH_DUPLICATE_CHECK = "youth_duplicate_check.viewed", _("Controle op dubbele registratie")
    TASK_VIEWED = "task.viewed", _("Taak ingezien")
    TASK_INBOX_VIEWED = "task_inbox.viewed", _("Takenlijst ingezien")
    MEETING_VIEWED = "meeting.viewed", _("Zitting ingezien")
    AGENDA_PDF_VIEWED = "agenda_pdf.viewed", _("Agenda (pdf) ingezien")
    MINUTES_PDF_VIEWED = "minutes_pdf.viewed", _("Verslag (pdf) ingezien")
    GROUP_VIEWED = "group.viewed", _("Groepsaanpak ingezien")
    GROUP_MEMBER_VIEWED = "group_member.viewed", _("Groepslid ingezien")
    GROUP_OVERVIEW_PDF_VIEWED = "group_overzicht_pdf.viewed", _("Groepsoverzicht (pdf) ingezien")
    GROUP_PLAN_PDF_VIEWED = "group_plan_pdf.viewed", _("Plan van aanpak groep (pdf) ingezien")


#: How actions read on a timeline.
ACTION_LABELS = dict(AuditAction.choices)


def canonical_json(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def normalise(value):
    """The value as it comes back from a JSON column, so hashing before and after storing agree."""
    if value is None:
        return None
    return json.loads(canonical_json(value))


class UnknownAuditKey(LookupError):
    """An event names a key id that is neither the current key nor one in IJAM_AUDIT_KEYS."""


def audit_key_id(key: str) -> str:
    """A short, public name of a key: it says which key sealed an event, not the key."""
    return hashlib.sha256(f"ijam-audit-key-id:{key}".encode()).hexdigest()[:12]


def current_audit_key() -> tuple[str, bytes]:
    """(key id, key) of ``IJAM_AUDIT_KEY``, with which new events and anchors are sealed."""
    key = settings.IJAM_AUDIT_KEY
    return audit_key_id(key), key.encode("utf-8")


def audit_keys() -> dict[str, bytes]:
    """Every key events may be verified with: the current one and the older ones."""
    keys = [settings.IJAM_AUDIT_KEY, *settings.IJAM_AUDIT_KEYS]
    return {audit_key_id(key): key.encode("utf-8") for key in keys}


def keyed_hash(key: bytes, purpose: str, value) -> str:
    """HMAC-SHA256 of ``purpose`` and the canonical JSON of ``value``, hex."""
    message = f"{purpose}\n{canonical_json(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def chain_hash(prev_hash: str, content_hash: str) -> str:
    """What the chain trigger computes: sha256(prev_hash || content_hash), hex."""
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
    # The role(s) the actor acted in, a snapshot of their names ("Partnerprofessional"), so the
    # access overview can say which role processed a youth's data without naming the person.
    actor_role = models.CharField(
        _("in de rol van"), max_length=200, blank=True, default="", db_default=""
    )
    # The processing trace of the request or job (32 hex digits, ``current_trace_id``): the
    # processing-log lines of the same request carry it too. Empty outside a trace.
    trace_id = models.CharField(_("trace_id"), max_length=32, blank=True, default="", db_default="")
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
    # The seal: HMAC of ``sealed_content()`` with the key ``key_id`` names, given at insert;
    # the chain trigger links it at commit. Empty for events chained before migration 0018.
    digest = models.CharField(max_length=64)
    # Which audit key sealed the event; empty: an event from before keys (plain SHA-256).
    key_id = models.CharField(max_length=16, blank=True, default="", db_default="")
    # Keyed digest of the personal payload (``payload()``); the seal covers it, not the payload,
    # so the payload can be removed after its retention term and the chain still verifies.
    payload_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    # When the payload was removed (retention); then ``payload_digest`` stands in for it.
    payload_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("audittrail")
        ordering = ["id"]
        permissions = [
            (
                "view_processing_log",
                _("Mag de audittrail, het verwerkingenlogboek en toegangsoverzichten inzien"),
            ),
            ("review_emergency_access", _("Mag doorbraken van de toegang beoordelen")),
        ]
        indexes = [
            models.Index(fields=["case", "id"], name="audit_case_idx"),
            # A group's timeline: the events about one object.
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
            models.Index(fields=["youth", "id"], name="audit_youth_idx"),
            models.Index(fields=["actor", "id"], name="audit_actor_idx"),
            # The access overview: the events of the requests that processed a youth's data.
            models.Index(fields=["trace_id"], name="audit_trace_idx"),
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

    #: The fields that hold personal data about the subject and may be removed after the
    #: retention term (the payload); the seal covers them only through ``payload_digest``.
    PAYLOAD_FIELDS = ("reason", "before", "after")

    def payload(self) -> dict:
        return {name: getattr(self, name) for name in self.PAYLOAD_FIELDS}

    @property
    def payload_is_empty(self) -> bool:
        return self.reason == "" and self.before is None and self.after is None

    def legacy_digest(self) -> str:
        """The plain SHA-256 over ``content()`` that events carried before keys."""
        return hashlib.sha256(canonical_json(self.content()).encode("utf-8")).hexdigest()

    #: Fields added after events were first sealed (ADR 0019): the seal covers each of them
    #: when it is set, so an event sealed before they existed verifies as it was sealed, and
    #: setting, changing or blanking one on a sealed event breaks its seal.
    LATER_SEALED_FIELDS = ("actor_role", "trace_id")

    def sealed_content(self) -> dict:
        """What the seal covers: everything the event says, the payload by its digest."""
        content = {k: v for k, v in self.content().items() if k not in self.PAYLOAD_FIELDS}
        later = {name: value for name in self.LATER_SEALED_FIELDS if (value := getattr(self, name))}
        return {
            **content,
            **later,
            "key_id": self.key_id,
            "payload_digest": self.payload_digest,
        }

    def seal(self) -> None:
        """Seal the event with the current audit key (before it is inserted)."""
        self.key_id, key = current_audit_key()
        self.payload_digest = keyed_hash(key, "payload", self.payload())
        self.digest = keyed_hash(key, "event", self.sealed_content())

    def expected_digest(self, keys: dict[str, bytes]) -> str:
        """The digest the event must have as it is now: its seal recomputed with the key it
        names (``UnknownAuditKey`` if that key is not in ``keys``), or for an event from before
        keys the plain SHA-256. A removed payload counts by its stored digest, but only if it
        really is empty."""
        if not self.key_id:
            return self.legacy_digest()
        try:
            key = keys[self.key_id]
        except KeyError:
            raise UnknownAuditKey(self.key_id) from None
        if self.payload_removed_at is None:
            payload_digest = keyed_hash(key, "payload", self.payload())
        elif self.payload_is_empty:
            payload_digest = self.payload_digest
        else:  # "removed", yet something is there: not what the retention job leaves
            payload_digest = ""
        content = {**self.sealed_content(), "payload_digest": payload_digest}
        return keyed_hash(key, "event", content)


class AuditChainLink(models.Model):
    """The place of one event in the chain, written by the chain trigger when the event's
    transaction commits, never by Python: ``position`` counts from 1 without gaps,
    ``prev_hash`` is the hash of the link before it (64 zeros for the first), and ``hash`` is
    ``chain_hash(prev_hash, event.digest)``."""

    position = models.BigIntegerField(primary_key=True)
    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, related_name="chain_link", db_index=True
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("schakel van de audittrail")
        verbose_name_plural = _("schakels van de audittrail")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}: {self.hash[:12]}…"

    def compute_hash(self, keys: dict[str, bytes] | None = None) -> str:
        """The hash this link must have, given its event's content and its predecessor."""
        return chain_hash(self.prev_hash, self.event.expected_digest(keys or audit_keys()))
