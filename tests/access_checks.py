# SPDX-License-Identifier: AGPL-3.0-or-later
"""How the access matrix (``tests/test_access_matrix.py``) asks: a response in the matrix's
words, a fingerprint of everything a write would change, a row asked of every role in
savepoints, the URL patterns from the resolver with the action slugs their views accept, and
the traces a youth leaves on a page."""

from __future__ import annotations

import ast
import inspect
import textwrap

from django.db import DatabaseError, connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import dateformat, translation

from casebook.models import AuditEvent, Case, Group, GroupMember, Signal, Youth
from notifications.models import Notification
from tests.access_world import ROLES, World
from workflows.meetings.models import AgendaItem, Meeting, Minutes
from workflows.tasks.models import PartnerTask

OK, HIDDEN, DENIED, LOGIN = "ok", "hidden", "denied", "login"
ANSWERS = {OK, HIDDEN, DENIED, LOGIN}


def answer(response, method: str) -> str:
    """The answer a response gives, in the words of the matrix."""
    status = response.status_code
    location = response.get("Location", "") if status in (301, 302, 303) else ""
    if location.startswith(("/inloggen/", "/beheer/login/")):
        return LOGIN
    if status == 404:
        return HIDDEN
    if status == 403:
        return DENIED if "Geen toegang" in response.content.decode() else "403 without message"
    if status >= 500:
        return f"error {status}"
    if method == "GET":
        return OK if status in (200, 302) else f"status {status}"
    return OK if status in (200, 302, 400, 409) else f"status {status}"


def ask_row(w: World, row, method: str, roles=ROLES):
    """Ask the URL of a matrix row about each of its object variants as each role; yields
    (variant, role, today's answer, whether anything changed, the body). The state an action
    needs is prepared once per variant; every request runs in a savepoint that is rolled
    back, so every role meets the same world."""
    for variant in row.expect:
        side = w.sides.get(variant)
        with transaction.atomic():
            try:
                if row.prepare:
                    row.prepare(w, side)
                url = row.url(w, side)
                for role in roles:
                    with transaction.atomic():
                        try:
                            yield (variant, role, *_ask(w, method, url, row, side, role))
                        finally:
                            transaction.set_rollback(True)
            finally:
                transaction.set_rollback(True)


def _ask(w: World, method: str, url: str, row, side, role: str) -> tuple[str, bool, str]:
    client = w.clients[role]
    if method == "GET":
        response, changed = client.get(url), False
    else:
        data = row.data(w, side)
        before = fingerprint(w)
        response = client.post(url, data)
        try:
            changed = fingerprint(w) != before
        except DatabaseError:  # the request broke the transaction
            changed = True
    return answer(response, method), changed, response.content.decode(errors="replace")


def fingerprint(w: World) -> tuple:
    """What any write would change: write audit events, unread notifications, the number of
    rows of every kind the world holds, and the version of each of its objects (one query)."""
    versioned: dict = {}
    for side in w.sides.values():
        for obj_ in (
            side.case,
            side.awaiting,
            side.signal,
            side.task,
            side.intake,
            side.group,
            side.member,
            side.meeting,
            side.held,
            side.minutes,
            side.minutes_item,
        ):
            if obj_ is not None:  # the case-only variants hold a case and a task
                versioned.setdefault(type(obj_), []).append(obj_.pk)
    # Table and column names from the models, ids from the world: nothing from a request.
    audit, notification = AuditEvent._meta.db_table, Notification._meta.db_table
    selects = [
        f"(SELECT count(*) FROM {audit} WHERE kind = 'write')",  # noqa: S608
        f"(SELECT count(*) FROM {notification} WHERE read_at IS NULL)",  # noqa: S608
    ]
    counted = (Case, Signal, Youth, PartnerTask, Group, GroupMember, Meeting, AgendaItem, Minutes)
    selects += [f"(SELECT count(*) FROM {m._meta.db_table})" for m in counted]  # noqa: S608
    for model, pks in versioned.items():
        column = "revision" if hasattr(model, "revision") else "version"
        ids = ", ".join(str(int(pk)) for pk in pks)
        key, table = model._meta.pk.column, model._meta.db_table
        selects.append(
            f"(SELECT array_agg({column} ORDER BY {key}) FROM {table} WHERE {key} IN ({ids}))"  # noqa: S608
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects))
        return cursor.fetchone()


def url_patterns(patterns=None, namespace: str = ""):
    """(name, pattern) of every URL pattern, includes walked, the admin left out."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if getattr(entry.callback, "__module__", "") == "django.views.static":
                continue
            yield (f"{namespace}{entry.name}" if entry.name else f"<{entry.pattern}>"), entry


def accepted_slugs(pattern: URLPattern) -> set[str] | None:
    """The values a view accepts for its slug parameter, read from its code: the literals and
    the keys of module-level tables it compares the slug with. ``None``: no slug parameter."""
    slug = next(
        (
            name
            for name, conv in pattern.pattern.converters.items()
            if type(conv).__name__ == "SlugConverter"
        ),
        None,
    )
    if slug is None:
        return None
    view = inspect.unwrap(pattern.callback)
    tree = ast.parse(textwrap.dedent(inspect.getsource(view)))
    found: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name)):
            continue
        if node.left.id != slug:
            continue
        for comparator in node.comparators:
            if isinstance(comparator, ast.Constant) and isinstance(comparator.value, str):
                found.add(comparator.value)
            elif isinstance(comparator, ast.Tuple | ast.List | ast.Set):
                found |= {e.value for e in comparator.elts if isinstance(e, ast.Constant)}
            elif isinstance(comparator, ast.Name):
                found |= set(view.__globals__[comparator.id])
    if view.__name__ == "task_action":  # plus the actions the processes register (hooks)
        from workflows.tasks import hooks

        found |= {action.slug for actions in hooks._actions.values() for action in actions}
    return found


def person_traces(w: World) -> list[str]:
    """What would show a fixture youth: names and birth dates as IJAM writes them."""
    traces = []
    for youth in w.youths():
        traces += [youth.first_name, youth.last_name]
        born = youth.date_of_birth
        with translation.override("nl"):
            traces += [
                dateformat.format(born, "j F Y"),
                dateformat.format(born, "d-m-Y"),
                born.isoformat(),
            ]
    return traces
