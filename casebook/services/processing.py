# SPDX-License-Identifier: AGPL-3.0-or-later
"""The processing log (Logboek Dataverwerkingen), built on the OpenTelemetry SDK (ADR 0017).

Every processing of a youth's data is one OpenTelemetry span with the standard's ``dpl.core``
attributes, a child of the request's root span:

- ``casebook.middleware.ProcessingLogMiddleware`` opens a trace per request
  (``processing_trace``): a new trace id of our own; an incoming W3C ``traceparent`` header is
  kept only as the ``foreign_operation`` of the lines, never as our trace.
- Views, documents and the audit hook call ``log_subjects(activity, youths, action)``: one
  child span per youth, once per youth, activity and action in a trace however often a page
  shows the youth.
- When the trace closes, the spans end (status ``ERROR`` when the request failed),
  ``ProcessingLogProcessor`` has collected them and ``DatabaseSpanExporter`` writes them in
  one bulk INSERT. A 25-youth page costs one query for the register and one INSERT. No
  sampling: the provider samples every span.

Outside a request (a worker job, a management command) ``log_subjects`` opens and closes a
trace of its own. Changes reach the log through the audit trail: every audit event of a
change about a youth becomes a span with the activity of its process once its transaction
commits (``log_audit_event``), so a change that rolls back is never logged as done.

The youth is named by a keyed pseudonym (``pseudonym``: HMAC-SHA256 with
``IJAM_PSEUDONYM_KEY``), never by name or database id; the user is not in the line, the
audit trail holds who, linked by the same ``trace_id``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.sdk.trace.sampling import ALWAYS_ON
from opentelemetry.trace import NonRecordingSpan, SpanContext, Status, StatusCode, TraceFlags

from casebook.errors import ConflictError
from casebook.locks import for_update
from casebook.models import AuditAction, AuditEvent, ProcessingActivity, ProcessingLogLine, User
from casebook.models import processing as processing_models
from casebook.models.processing import ATTR_ACTIVITY, ATTR_SUBJECT, ATTR_SUBJECT_TYPE
from casebook.selectors.retention import expired_lines
from casebook.services import trace_context
from casebook.services.audit import audit_record

Code = ProcessingActivity.Code

#: ``dpl.core.data_subject_id_type`` of every line: what kind of identifier the subject id is.
SUBJECT_TYPE = "urn:ijam:betrokkene:jongere:hmac-sha256"
#: The standard's names for a calling system's operation (W3C Trace Context).
ATTR_FOREIGN_TRACE = "dpl.core.foreign_operation.trace_id"
ATTR_FOREIGN_SPAN = "dpl.core.foreign_operation.span_id"
#: IJAM's own attribute: the activity's code; the line points to the version current when it
#: is written (the URI attribute names the version this process knew when the span began).
ATTR_ACTIVITY_CODE = "ijam.processing_activity.code"


def _service_version() -> str:
    try:
        return metadata.version("ijam")
    except metadata.PackageNotFoundError:
        return "0.1.0"


RESOURCE = Resource({"service.name": "ijam", "service.version": _service_version()})


# --- Pseudonyms ------------------------------------------------------------------------------


# The youth's ``dpl.core.data_subject_id`` (in the model module: the access overview's
# selector finds a youth's lines by it).
pseudonym = processing_models.pseudonym


# --- W3C Trace Context -----------------------------------------------------------------------

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def parse_traceparent(header: str | None) -> dict | None:
    """The calling system's trace and span from a W3C ``traceparent`` header, or ``None``
    for a missing or malformed one (version ff, all-zero ids: refused, as the spec says)."""
    match = _TRACEPARENT.match((header or "").strip().lower())
    if match is None:
        return None
    version, trace_id, span_id, _flags = match.groups()
    if version == "ff" or set(trace_id) == {"0"} or set(span_id) == {"0"}:
        return None
    return {"trace_id": trace_id, "span_id": span_id}


# --- The OpenTelemetry pipeline ---------------------------------------------------------------


#: The log table's columns as ``_INSERT`` receives them, one array each: the times as
#: nanoseconds (converted in the statement), the activity as its code (resolved there).
_COLUMNS = (
    ("trace_id", "bytea"),
    ("span_id", "bytea"),
    ("parent_span_id", "bytea"),
    ("name", "text"),
    ("start_ns", "int8"),
    ("end_ns", "int8"),
    ("status_code", "int2"),
    ("foreign_operation", "jsonb"),
    ("activity_code", "text"),
    ("data_subject_id", "text"),
    ("data_subject_id_type", "text"),
)
# Built from constants only; every value is a parameter.
_TABLE = ProcessingLogLine._meta.db_table
_REGISTER = ProcessingActivity._meta.db_table
_ARRAYS = ", ".join(f"%s::{sql_type}[]" for _column, sql_type in _COLUMNS)
_ALIASES = ", ".join(column for column, _type in _COLUMNS)
#: One statement, one round trip: the lines' arrays unnested, each line joined to the
#: *current* version of its activity in the register at the moment of writing (so a line can
#: never point to a superseded version, whatever a process has cached), and back the number
#: of lines written and the versions they point to.
_INSERT = f"""
WITH written AS (
    INSERT INTO {_TABLE} (trace_id, span_id, parent_span_id, name, start_time, end_time,
        status_code, foreign_operation, resource, processing_activity_id, data_subject_id,
        data_subject_id_type)
    SELECT line.trace_id, line.span_id, line.parent_span_id, line.name,
        to_timestamp(line.start_ns / 1e9), to_timestamp(line.end_ns / 1e9),
        line.status_code, line.foreign_operation, %s::jsonb, version.id,
        line.data_subject_id, line.data_subject_id_type
    FROM unnest({_ARRAYS}) AS line({_ALIASES})
    JOIN {_REGISTER} AS version
        ON version.code = line.activity_code AND version.superseded_at IS NULL
    RETURNING processing_activity_id
)
SELECT count(*), array_agg(DISTINCT processing_activity_id) FROM written
"""  # noqa: S608
#: The same, committed without waiting for the disk (IJAM_PROCESSING_LOG_ASYNC_COMMIT): the
#: setting is local to the statement's own transaction, so the one round trip stays one.
_INSERT_ASYNC = _INSERT.replace(
    "    JOIN " + _REGISTER,
    "    CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit\n"
    "    JOIN " + _REGISTER,
)


class DatabaseSpanExporter(SpanExporter):
    """Writes spans to IJAM's own log table, all of them in one statement (``_INSERT``): no
    model instances, one array per column, the register's current versions resolved by the
    database. A line that cannot be written (an activity without a current version) fails
    the export, and with it the request (ADR 0017)."""

    def export(self, spans) -> SpanExportResult:
        if not spans:
            return SpanExportResult.SUCCESS
        columns = [[] for _column in _COLUMNS]
        (trace_ids, span_ids, parents, names, starts, ends, statuses, foreign, codes,
         subjects, subject_types) = columns  # fmt: skip
        for span in spans:
            context, attributes, parent = span.context, span.attributes, span.parent
            trace_ids.append(context.trace_id.to_bytes(16, "big"))
            span_ids.append(context.span_id.to_bytes(8, "big"))
            parents.append(parent.span_id.to_bytes(8, "big") if parent else None)
            names.append(span.name[:100])
            starts.append(span.start_time or 0)
            ends.append(span.end_time or 0)
            statuses.append(span.status.status_code.value)
            foreign.append(
                json.dumps(
                    {
                        "trace_id": attributes[ATTR_FOREIGN_TRACE],
                        "span_id": attributes[ATTR_FOREIGN_SPAN],
                    }
                )
                if ATTR_FOREIGN_TRACE in attributes
                else None
            )
            codes.append(attributes[ATTR_ACTIVITY_CODE])
            subjects.append(attributes[ATTR_SUBJECT])
            subject_types.append(attributes[ATTR_SUBJECT_TYPE])
        resource = json.dumps(dict(spans[0].resource.attributes))
        with connection.cursor() as cursor:
            statement = (
                _INSERT_ASYNC
                if settings.IJAM_PROCESSING_LOG_ASYNC_COMMIT and connection.get_autocommit()
                else _INSERT
            )
            cursor.execute(statement, [resource, *columns])
            written, versions = cursor.fetchone()
        if written != len(spans):
            raise RuntimeError(
                f"processing log: {len(spans) - written} of {len(spans)} lines have no "
                "current activity version in the register"
            )
        register_check(versions or [])
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


class ProcessingLogProcessor(SpanProcessor):
    """Collects the finished spans that carry ``dpl.core`` attributes, per trace, until the
    trace closes; then ``flush_trace`` exports them in one go. Spans without them (the
    request's root span, any other instrumentation) are not the processing log's."""

    def __init__(self, exporter: SpanExporter):
        self.exporter = exporter
        self._buffers: dict[int, list[ReadableSpan]] = {}
        self._lock = threading.Lock()

    def on_start(self, span, parent_context=None) -> None:
        return None

    def on_end(self, span: ReadableSpan) -> None:
        if ATTR_ACTIVITY not in (span.attributes or {}):
            return
        with self._lock:
            self._buffers.setdefault(span.context.trace_id, []).append(span)

    def flush_trace(self, trace_id: int) -> int:
        with self._lock:
            spans = self._buffers.pop(trace_id, [])
        if spans:
            self.exporter.export(spans)
        return len(spans)

    def discard_trace(self, trace_id: int) -> None:
        with self._lock:
            self._buffers.pop(trace_id, None)

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


# IJAM's own provider, not the global one: other instrumentation never reaches the log table.
provider = TracerProvider(resource=RESOURCE, sampler=ALWAYS_ON)
processor = ProcessingLogProcessor(DatabaseSpanExporter())
provider.add_span_processor(processor)
tracer = provider.get_tracer("ijam.processing")
_ids = RandomIdGenerator()


# --- A trace per request ----------------------------------------------------------------------


@dataclass
class ProcessingTrace:
    """What one open trace holds: its root, the calling system, the open child spans and
    what they are about (a youth once per activity and action)."""

    root: trace.Span
    foreign: dict | None
    open_spans: list = field(default_factory=list)
    seen: set = field(default_factory=set)
    failed: bool = False

    @property
    def trace_id(self) -> int:
        return self.root.get_span_context().trace_id

    @property
    def trace_id_hex(self) -> str:
        return f"{self.trace_id:032x}"

    def fail(self) -> None:
        self.failed = True


_current = trace_context.current
#: The trace id (hex) of the request being served: the audit trail stamps it on its events.
current_trace_id = trace_context.current_trace_id


def current_trace() -> ProcessingTrace | None:
    return _current.get()


@contextmanager
def processing_trace(
    name: str, *, traceparent: str | None = None, continues: str | None = None
) -> Iterator[ProcessingTrace]:
    """Open a trace (its root span), collect the lines of what happens inside, and write
    them in one INSERT when it closes. The trace id is new: a ``traceparent`` of a calling
    system becomes the lines' ``foreign_operation``, never our own trace. Only IJAM itself
    may ``continue`` one of its own traces (its hex id, from an audit event), so that a
    change committed after its request's trace closed is still logged in that trace."""
    context = otel_context.Context()
    if continues:
        earlier = SpanContext(
            trace_id=int(continues, 16),
            span_id=_ids.generate_span_id(),
            is_remote=True,
            trace_flags=TraceFlags(TraceFlags.SAMPLED),
        )
        context = trace.set_span_in_context(NonRecordingSpan(earlier), context)
    root = tracer.start_span(name, context=context)
    state = ProcessingTrace(root=root, foreign=parse_traceparent(traceparent))
    context_token = otel_context.attach(trace.set_span_in_context(root))
    state_token = _current.set(state)
    try:
        yield state
    except BaseException:
        state.failed = True
        raise
    finally:
        _current.reset(state_token)
        otel_context.detach(context_token)
        status = Status(StatusCode.ERROR) if state.failed else Status(StatusCode.OK)
        for span in state.open_spans:
            span.set_status(status)
            span.end()
        root.set_status(status)
        root.end()
        processor.flush_trace(state.trace_id)


def _youth_id(youth) -> int | None:
    value = getattr(youth, "pk", youth)
    return int(value) if value is not None else None


def log_subjects(
    activity: str, youths: Iterable, action: str, *, continues: str | None = None
) -> int:
    """Log that ``action`` processed each of ``youths`` (youths or their ids) under
    ``activity`` (a ``ProcessingActivity.Code``): one child span per youth, once per youth,
    activity and action within the trace. Returns how many new lines the call makes. Costs
    no query per youth: the lines are written when the trace closes. Outside a trace the
    call is a trace of its own, or continues the one named by ``continues``."""
    state = _current.get()
    if state is None:  # no request: a trace of its own, written right away
        with processing_trace(action, continues=continues) as own:
            return _log(own, activity, youths, action)
    return _log(state, activity, youths, action)


def _log(state: ProcessingTrace, activity: str, youths: Iterable, action: str) -> int:
    youth_ids = [youth_id for youth in youths if (youth_id := _youth_id(youth)) is not None]
    if not youth_ids:  # nothing shown: no line
        return 0
    common = {
        ATTR_ACTIVITY: register()[activity].uri,
        ATTR_SUBJECT_TYPE: SUBJECT_TYPE,
        ATTR_ACTIVITY_CODE: activity,
    }
    if state.foreign:
        common[ATTR_FOREIGN_TRACE] = state.foreign["trace_id"]
        common[ATTR_FOREIGN_SPAN] = state.foreign["span_id"]
    parent = trace.set_span_in_context(state.root)
    start_span, seen, open_spans = tracer.start_span, state.seen, state.open_spans
    added = 0
    for youth_id in youth_ids:
        key = (activity, action, youth_id)
        if key in seen:
            continue
        seen.add(key)
        attributes = {**common, ATTR_SUBJECT: pseudonym(youth_id)}
        open_spans.append(start_span(action, context=parent, attributes=attributes))
        added += 1
    return added


# --- The register, as this process knows it ---------------------------------------------------

_register: dict[str, ProcessingActivity] | None = None
_register_lock = threading.Lock()


def register() -> dict[str, ProcessingActivity]:
    """The current version of every activity, by code, read once per process (one query) and
    kept until a version is revised: here (``activity_revise``), or in another process, which
    the next INSERT reports (``register_check``). Only the spans' URI attribute comes from
    here; the line itself points to the version current when it is written (``_INSERT``)."""
    global _register  # noqa: PLW0603 - the process's one cache
    known = _register
    if known is None:
        known = current_activities()
        with _register_lock:
            _register = known
    return known


def forget_register() -> None:
    """Read the register again at the next line (a version was revised)."""
    global _register  # noqa: PLW0603 - the process's one cache
    with _register_lock:
        _register = None


def register_check(version_ids: Iterable[int]) -> None:
    """The versions an INSERT wrote under: one this process does not know as current means
    the register changed elsewhere; read it again before the next line."""
    known = _register
    if known is None:
        return
    current = {version.pk for version in known.values()}
    if any(version_id not in current for version_id in version_ids):
        forget_register()


# --- Changes, through the audit trail ---------------------------------------------------------

#: The activity a change belongs to, by the audit action's prefix (the most specific wins).
CHANGE_ACTIVITIES = {
    "youth.": Code.SIGNAL,
    "signal.": Code.SIGNAL,
    "case.opened": Code.SIGNAL,
    "case.screen_": Code.SIGNAL,
    "case.duplicate_linked": Code.SIGNAL,
    "case.": Code.CASE_COORDINATION,
    "plan.": Code.CASE_COORDINATION,
    "task.": Code.PARTNER_TASKS,
    "meeting.": Code.CASE_TABLES,
    "group.": Code.GROUP_APPROACH,
    "emergency_access.": Code.PRIVACY,
}
_BY_LENGTH = sorted(CHANGE_ACTIVITIES, key=len, reverse=True)


def activity_for_action(action: str) -> str | None:
    return next((CHANGE_ACTIVITIES[p] for p in _BY_LENGTH if action.startswith(p)), None)


def log_audit_event(event: AuditEvent) -> None:
    """An audit event of a change about a youth becomes a line of the log, under the activity
    of its process, once its transaction commits (connected in ``CasebookConfig.ready``).
    Reads are logged by the pages themselves, with every youth they show."""
    if event.kind != AuditEvent.Kind.WRITE or not event.youth_id:
        return
    activity = activity_for_action(event.action)
    if activity is None:
        return
    youth_id, action = event.youth_id, event.action
    # Committed inside its request, the line joins the request's trace; committed after it
    # closed, it continues the event's trace: either way the audit event and the line share
    # a trace_id (ADR 0019).
    continues = event.trace_id or None
    transaction.on_commit(lambda: log_subjects(activity, [youth_id], action, continues=continues))


# --- The register -----------------------------------------------------------------------------

#: What an edit may change; code, version, identifier and validity are the register's own.
REVISABLE = (
    "name",
    "purpose",
    "legal_bases",
    "legal_basis_note",
    "data_subjects",
    "data_categories",
    "retention_months",
    "retention_note",
)


def current_activities() -> dict[str, ProcessingActivity]:
    """The current version of every activity, by code (one query)."""
    return {a.code: a for a in ProcessingActivity.objects.filter(superseded_at__isnull=True)}


def _register_snapshot(activity: ProcessingActivity) -> dict:
    return {"uri": activity.uri, "versie": activity.version} | {
        name: getattr(activity, name) for name in REVISABLE
    }


def activity_revise(
    *, activity: ProcessingActivity, actor: User | None, changes: dict
) -> ProcessingActivity:
    """Record a change to a processing activity as a new version with a new identifier; the
    old version is marked superseded and keeps its identifier, so the lines written under it
    keep pointing to what applied then. Locks the old version; a version that is no longer
    current is a conflict. Audited (before and after). Returns the new version."""
    unknown = set(changes) - set(REVISABLE)
    if unknown:
        raise ValueError(f"not revisable: {sorted(unknown)}")
    with transaction.atomic():
        old = for_update(ProcessingActivity).get(pk=activity.pk)
        if old.superseded_at is not None:
            raise ConflictError("Deze versie is intussen al vervangen; open de huidige versie.")
        now = timezone.now()
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        new = ProcessingActivity(
            code=old.code,
            version=old.version + 1,
            valid_from=now,
            **{name: changes.get(name, getattr(old, name)) for name in REVISABLE},
        )
        new.full_clean(exclude=["uuid"])
        new.save(force_insert=True)
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        forget_register()
        transaction.on_commit(forget_register)
        audit_record(
            actor=actor,
            action=AuditAction.ADMIN_CHANGED,
            obj=new,
            before=_register_snapshot(old),
            after=_register_snapshot(new),
            reason="nieuwe versie in het register van verwerkingsactiviteiten",
        )
    return new


# --- Pruning ----------------------------------------------------------------------------------


def prune_month(*, year: int, month: int, batch_size: int = 50_000) -> int:
    """Delete the lines of one calendar month (UTC), in batches of ``batch_size`` rows, each
    its own short transaction; the BRIN index on ``start_time`` finds the month's blocks.
    Returns how many lines were deleted. (Which lines have expired is ``prune_expired``'s:
    the term is the activity version's ``retention_months``.)"""
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
    lines = ProcessingLogLine.objects.filter(start_time__gte=start, start_time__lt=end)
    return _delete_in_batches(lines, batch_size)


def _delete_in_batches(lines, batch_size: int) -> int:
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(lines.values_list("pk", flat=True)[:batch_size])
            if not ids:
                return deleted
            deleted += ProcessingLogLine.objects.filter(pk__in=ids)._raw_delete("default")


def prune_expired(*, now: dt.datetime, batch_size: int = 50_000) -> int:
    """Delete every line past its activity's term (``casebook.selectors.retention
    .expired_lines``), in batches of ``batch_size``, each its own short transaction. Returns
    how many were deleted."""
    return _delete_in_batches(expired_lines(now), batch_size)
