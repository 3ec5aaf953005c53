# SPDX-License-Identifier: AGPL-3.0-or-later
"""The processing trace the current request or job runs in, readable by every service.

``casebook.services.processing`` opens the trace and keeps it here; the audit trail
(``casebook.services.audit``) reads its id from here to stamp every event with it, so an
event and the processing-log lines of the same request join on ``trace_id`` (ADR 0017,
ADR 0019). A module of its own because the processing log writes audit events itself: the
audit code cannot import it back."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

#: The open ``casebook.services.processing.ProcessingTrace``, or ``None`` outside a trace.
current: ContextVar[Any] = ContextVar("ijam_processing_trace", default=None)


def current_trace_id() -> str | None:
    """The trace id (32 hex digits) of the request or job being served, ``None`` outside a
    trace: what links the audit events of a request to its processing-log lines."""
    state = current.get()
    return state.trace_id_hex if state is not None else None
