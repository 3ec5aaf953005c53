# SPDX-License-Identifier: AGPL-3.0-or-later
"""The processing log (Logboek Dataverwerkingen, Logius) and the register it points into.

``ProcessingActivity`` is IJAM's register of processing activities (verwerkingsactiviteiten).
A row is one *version* of an activity and never changes once a log line points to it: an edit
makes a new row with a new identifier and marks the old one superseded
(``casebook.services.processing.activity_revise``), as the standard's register requires, so
every log line points to exactly the version it was written under.

``ProcessingLogLine`` is one line of the log: one action (span) about at most one data subject.
The columns are the standard's fields; ``attributes`` and ``as_logregel`` give them back under
the standard's names (``dpl.core.*``). The user who acted is not here: the audit trail holds
who, linked by ``trace_id`` (ADR 0017).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

#: The attribute names of the standard (namespace ``dpl.core``).
ATTR_ACTIVITY = "dpl.core.processing_activity_id"
ATTR_SUBJECT = "dpl.core.data_subject_id"
ATTR_SUBJECT_TYPE = "dpl.core.data_subject_id_type"


def pseudonym(youth_id: int, *, key: str | None = None) -> str:
    """The youth's ``dpl.core.data_subject_id``: HMAC-SHA256 of its id under
    ``IJAM_PSEUDONYM_KEY``, 128 bits in hex. Stable, so a subject-access request finds every
    line about one youth; without the key nobody can tell whom a line is about."""
    secret = (key if key is not None else settings.IJAM_PSEUDONYM_KEY).encode("utf-8")
    message = f"jongere:{int(youth_id)}".encode("ascii")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


class LegalBasis(models.TextChoices):
    """The grounds IJAM's processing rests on (one activity may rest on several)."""

    AVG_6_1_E = "avg_6_1_e", _("AVG art. 6 lid 1 sub e (taak van algemeen belang)")
    AVG_10_UAVG_33 = (
        "avg_10_uavg_33",
        _("AVG art. 10 met UAVG art. 33 (strafrechtelijke gegevens, samenwerkingsverband)"),
    )
    ZVH_CONVENANT = (
        "zvh_convenant",
        _("Convenant Zorg- en Veiligheidshuis Maastricht-Heuvelland (PGA, complexe casuïstiek)"),
    )
    MODELCONVENANT_JGA = "modelconvenant_jga", _("Modelconvenant Jeugdgroepaanpak")
    WPG = "wpg", _("Wet politiegegevens (art. 16/20: verstrekking aan samenwerkingsverband)")
    WJSG = "wjsg", _("Wet justitiële en strafvorderlijke gegevens (art. 39f)")
    JEUGDWET = "jeugdwet", _("Jeugdwet (art. 7.4.0 e.v.: gegevens in de jeugdhulp)")
    AVG_5_2_30 = "avg_5_2_30", _("AVG art. 5 lid 2 en 30 (verantwoording, toezicht)")


class ProcessingActivity(models.Model):
    """One version of a processing activity in IJAM's register. Immutable once written."""

    class Code(models.TextChoices):
        """The activities IJAM's code logs under (stable across versions)."""

        SIGNAL = "signaal", _("Signaal registreren en beoordelen")
        CASE_COORDINATION = "casusregie", _("Casusregie op de IJAM-ladder")
        PARTNER_TASKS = "partnertaken", _("Partnertaken")
        CASE_TABLES = "casustafels", _("Casustafels en verslaglegging")
        GROUP_APPROACH = "groepsaanpak", _("Groepsaanpak (7-stappenmodel)")
        STEERING = "stuurinformatie", _("Stuurinformatie (geaggregeerd)")
        PRIVACY = "privacytoezicht", _("Privacytoezicht en inzageverzoeken")

    uuid = models.UUIDField(_("identificatie"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=40, choices=Code.choices)
    version = models.PositiveIntegerField(_("versie"), default=1)
    name = models.CharField(_("naam"), max_length=200)
    purpose = models.TextField(_("doel"))
    legal_bases = ArrayField(
        models.CharField(max_length=30, choices=LegalBasis.choices),
        verbose_name=_("grondslagen"),
    )
    legal_basis_note = models.TextField(_("toelichting grondslag"), blank=True)
    data_subjects = models.CharField(_("categorieën betrokkenen"), max_length=300)
    data_categories = models.TextField(_("categorieën persoonsgegevens"))
    retention_months = models.PositiveIntegerField(
        _("bewaartermijn (maanden)"),
        help_text=_("Ook de termijn van de regels in het verwerkingenlogboek onder deze versie."),
    )
    retention_note = models.CharField(_("toelichting bewaartermijn"), max_length=300, blank=True)
    valid_from = models.DateTimeField(_("geldig vanaf"))
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("vervangen door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )

    class Meta:
        verbose_name = _("verwerkingsactiviteit")
        verbose_name_plural = _("register van verwerkingsactiviteiten")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="activity_code_version"),
            # One current version per activity.
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(superseded_at__isnull=True),
                name="activity_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def uri(self) -> str:
        """The identifier log lines carry in ``dpl.core.processing_activity_id``: a URN of the
        version's UUID, stable whatever address the instance runs at (ADR 0017)."""
        return self.uuid.urn

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class StatusCode(models.IntegerChoices):
    """The standard's ``status_code`` (OpenTelemetry's span status)."""

    UNSET = 0, _("niet gezet")
    OK = 1, _("gelukt")
    ERROR = 2, _("fout")


class ProcessingLogLine(models.Model):
    """One line of the processing log: one action (an OpenTelemetry span) about one youth.
    Written only in bulk, at the end of a request (``casebook.services.processing``)."""

    trace_id = models.BinaryField(_("trace_id"), max_length=16)
    span_id = models.BinaryField(_("span_id"), max_length=8)
    parent_span_id = models.BinaryField(_("parent_span_id"), max_length=8, null=True)
    name = models.CharField(_("naam"), max_length=100)
    start_time = models.DateTimeField(_("start"))
    end_time = models.DateTimeField(_("einde"))
    status_code = models.PositiveSmallIntegerField(
        _("status"), choices=StatusCode.choices, default=StatusCode.UNSET
    )
    # {"trace_id": hex, "span_id": hex} of a calling system (W3C traceparent), or null.
    foreign_operation = models.JSONField(_("aanroepende verwerking"), null=True)
    # {"service.name": …, "service.version": …}: which system wrote the line.
    resource = models.JSONField(_("bron"))
    # dpl.core.processing_activity_id: the register version (its URI via ``uri``).
    # No index of its own: nothing looks lines up by version (a version is never deleted), and
    # every INSERT would pay for it.
    processing_activity = models.ForeignKey(
        ProcessingActivity, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # dpl.core.data_subject_id: the keyed pseudonym of the youth, never a name or a row id.
    data_subject_id = models.CharField(_("betrokkene (pseudoniem)"), max_length=64)
    data_subject_id_type = models.CharField(_("soort betrokkene-id"), max_length=100)

    class Meta:
        verbose_name = _("regel in het verwerkingenlogboek")
        verbose_name_plural = _("verwerkingenlogboek")
        indexes = [
            # Pruning by month and reading a period: tiny, and the table is append-ordered.
            BrinIndex(fields=["start_time"], name="processing_log_start_brin"),
            # A subject-access request: every line about one youth.
            models.Index(fields=["data_subject_id"], name="processing_log_subject_idx"),
            # No index on trace_id: a trace's lines are written in one statement at one moment,
            # so the BRIN index on start_time (narrowed to the audit event's moment) finds
            # them; an index for that rare question would cost every INSERT (ADR 0017).
        ]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("trace_id"), 16), name="processing_log_trace_16"
            ),
            models.CheckConstraint(
                condition=Exact(Length("span_id"), 8), name="processing_log_span_8"
            ),
            models.CheckConstraint(
                condition=models.Q(parent_span_id__isnull=True)
                | Exact(Length("parent_span_id"), 8),
                name="processing_log_parent_8",
            ),
            models.CheckConstraint(
                condition=models.Q(status_code__in=[0, 1, 2]), name="processing_log_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%Y-%m-%d %H:%M:%S} {self.name} {self.trace_id_hex}"

    @property
    def trace_id_hex(self) -> str:
        return bytes(self.trace_id).hex()

    @property
    def attributes(self) -> dict:
        return {
            ATTR_ACTIVITY: self.processing_activity.uri,
            ATTR_SUBJECT: self.data_subject_id,
            ATTR_SUBJECT_TYPE: self.data_subject_id_type,
        }

    def as_logregel(self) -> dict:
        """The line in the standard's shape (field names of the Logboek interface)."""
        return {
            "trace_id": bytes(self.trace_id).hex(),
            "span_id": bytes(self.span_id).hex(),
            "parent_span_id": bytes(self.parent_span_id).hex() if self.parent_span_id else None,
            "name": self.name,
            "start_time": self.start_time.isoformat(),
            "end_time": self.end_time.isoformat(),
            "status_code": self.status_code,
            "foreign_operation": self.foreign_operation,
            "resource": self.resource,
            "attributes": self.attributes,
        }
