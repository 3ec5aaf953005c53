# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anchoring the audit chain outside the database (ADR 0002).

A checkpoint records the chain's head (position and hash), how many events from before keys
start it, and when; it is signed with the audit key (HMAC-SHA256) and appended as one JSON
line to ``IJAM_AUDIT_ANCHOR_DIR/audit-anchors.jsonl``. The worker writes one every hour and
e-mails one every day to the privacy officer (``casebook.jobs``). ``verify_audit_chain``
then checks the chain against the latest checkpoint: a removed tail, an emptied table or a
rewritten history no longer reaches it. A checkpoint holds no personal data.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from casebook.models import AuditChainLink, AuditEvent
from casebook.models.audit import (
    GENESIS_HASH,
    audit_keys,
    canonical_json,
    current_audit_key,
    keyed_hash,
)
from casebook.services.audit import AnchorPoint

ANCHOR_FILE = "audit-anchors.jsonl"


class AnchorInvalid(Exception):
    """The anchor file holds a line that IJAM did not sign: it was altered or made up."""


@dataclass(frozen=True)
class Checkpoint:
    position: int
    hash: str
    legacy: int
    anchored_at: str
    key_id: str
    signature: str = ""

    def signed_part(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "signature"}

    def point(self) -> AnchorPoint:
        return AnchorPoint(position=self.position, hash=self.hash, legacy=self.legacy)

    def line(self) -> str:
        return canonical_json(asdict(self))


def anchor_path() -> Path:
    return Path(settings.IJAM_AUDIT_ANCHOR_DIR) / ANCHOR_FILE


def _signature(key: bytes, checkpoint: Checkpoint) -> str:
    return keyed_hash(key, "anchor", checkpoint.signed_part())


def read_checkpoints() -> list[Checkpoint]:
    """Every checkpoint in the anchor file, oldest first; ``AnchorInvalid`` if one line is not
    a checkpoint signed with a known audit key."""
    path = anchor_path()
    if not path.exists():
        return []
    keys = audit_keys()
    checkpoints = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            checkpoint = Checkpoint(**json.loads(line))
            key = keys[checkpoint.key_id]
        except (ValueError, TypeError, KeyError) as error:
            raise AnchorInvalid(
                f"regel {number} van {path} is geen ankerpunt van IJAM of is gezet met een "
                "onbekende sleutel"
            ) from error
        if not hmac.compare_digest(_signature(key, checkpoint), checkpoint.signature):
            raise AnchorInvalid(f"regel {number} van {path}: de handtekening klopt niet")
        checkpoints.append(checkpoint)
    return checkpoints


def latest_checkpoint() -> Checkpoint | None:
    checkpoints = read_checkpoints()
    return max(checkpoints, key=lambda c: c.position) if checkpoints else None


def _legacy_count(previous: Checkpoint | None) -> int:
    """Events from before keys never grow in number, so the previous checkpoint's count holds;
    only the first checkpoint counts them."""
    if previous is not None:
        return previous.legacy
    return AuditEvent.objects.filter(key_id="").count()


def write_checkpoint() -> Checkpoint:
    """Append a signed checkpoint of the chain's head to the anchor file and return it.

    Events waiting for their commit are not yet in the chain; the next checkpoint takes them."""
    head = AuditChainLink.objects.order_by("-position").values("position", "hash").first()
    previous = latest_checkpoint()
    key_id, key = current_audit_key()
    checkpoint = Checkpoint(
        position=head["position"] if head else 0,
        hash=head["hash"] if head else GENESIS_HASH,
        legacy=_legacy_count(previous),
        anchored_at=timezone.now().isoformat(timespec="seconds"),
        key_id=key_id,
    )
    checkpoint = Checkpoint(**{**asdict(checkpoint), "signature": _signature(key, checkpoint)})
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(checkpoint.line() + "\n")
        anchors.flush()
        os.fsync(anchors.fileno())
    return checkpoint
