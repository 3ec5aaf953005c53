# SPDX-License-Identifier: AGPL-3.0-or-later
"""The dashboard's one write: the programme manager records the value of a KPI IJAM cannot
measure (K1–K4, K11, K12…), with its source and date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from casebook.errors import NotAllowed, ValidationFailed
from casebook.locks import for_update
from casebook.models import AuditAction, User
from casebook.policy import Act, Subject, may
from casebook.services.audit import audit_record
from reports.models import Kpi, KpiManualValue

#: The earliest peildatum accepted: the programme started in 2024; older values are typing errors.
EARLIEST = dt.date(2023, 1, 1)


def kpi_manual_value_record(
    *,
    actor: User,
    kpi_id: int,
    summary: str,
    source: str,
    measured_on: dt.date,
    value: Decimal | None = None,
) -> KpiManualValue:
    """Record a new value of a manual KPI. The KPI row is locked (two programme managers at
    once record two values, in order), the value is appended (the older ones stay as history)
    and the audit trail gets the old and new value in the same transaction. Refused, with a
    Dutch message and nothing changed: a role without the right, a KPI that IJAM measures
    itself, an empty summary or source, a date in the future or before the programme."""
    if not may(actor, Act.RECORD, Subject.REPORT):
        raise NotAllowed("Alleen de programmamanager legt handmatige KPI-waarden vast.")
    summary, source = summary.strip(), source.strip()
    errors: dict[str, list[str]] = {}
    if not summary:
        errors["summary"] = ["Beschrijf de stand van zaken."]
    if not source:
        errors["source"] = ["Noem de bron van deze waarde."]
    if measured_on > timezone.localdate():
        errors["measured_on"] = ["De peildatum ligt in de toekomst."]
    elif measured_on < EARLIEST:
        errors["measured_on"] = [f"De peildatum ligt vóór {EARLIEST:%Y}."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    with transaction.atomic():
        kpi = for_update(Kpi).filter(pk=kpi_id, is_active=True).first()
        if kpi is None:
            raise ValidationFailed("Deze KPI bestaat niet (meer).")
        if not kpi.is_manual:
            raise ValidationFailed("IJAM meet deze KPI zelf; een handmatige waarde is niet nodig.")
        previous = kpi.manual_values.order_by("-measured_on", "-recorded_at").first()
        entry = KpiManualValue.objects.create(
            kpi=kpi,
            value=value,
            summary=summary,
            source=source,
            measured_on=measured_on,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.KPI_VALUE_RECORDED,
            obj=entry,
            before=_snapshot(previous) if previous else None,
            after=_snapshot(entry),
            reason=f"{kpi.code}: {source}",
        )
    return entry


def _snapshot(entry: KpiManualValue) -> dict:
    return {
        "kpi": entry.kpi.code,
        "waarde": None if entry.value is None else str(entry.value),
        "stand": entry.summary,
        "bron": entry.source,
        "peildatum": entry.measured_on.isoformat(),
    }
