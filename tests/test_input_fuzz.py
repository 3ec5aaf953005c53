# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every form of IJAM under generated input (issue 12, "Input"): a property-based test.

The forms are the POST rows of the access matrix (``tests/test_access_matrix.MATRIX``): a new
form URL gets a matrix row (``test_every_url_pattern_and_action_has_a_row`` insists), and with
it a place here. Each is posted by a role that may use it (the first ``ok`` cell of its row, the
partner's own objects first) in the world of ``tests/access_world.py``, built once per test
process; every example runs in a savepoint that is rolled back.

An example starts from the row's valid body and changes it: fields replaced by generated
values (texts beyond every bound, empty, any unicode up to the astral plane, NUL and other
control characters, bidirectional overrides, numbers of thirty digits, negative ones, dates
like ``abc`` or ``99999-01-01``, a list where one value is expected), fields left out, fields
added; and, sent as a raw ``application/x-www-form-urlencoded`` body, bytes that are no UTF-8
(``%ff``, the UTF-8 of a lone surrogate, a raw ``\\xff``).

The property, for every example:

1. the answer is never a server error (5xx), and the request never breaks the transaction;
2. when the answer is an error — a status of 400 or above, or a redirect carrying an error
   message — nothing was written.

"Nothing was written" means no domain change: every row of every table of the apps
``casebook``, ``workflows``, ``notifications`` and ``viewflow`` (their many-to-many tables too)
is the same before and after, byte for byte (a digest per table, in one query), with one
exception: audit events of kind ``read``. IJAM logs who looked at what and who was refused
(``audit_read``, ``audit_denied``: the trail of reads and refusals that AVG asks for), also for
a request that changes nothing; those are a record of the request, not a change of the record.
The same holds for the processing log (``ProcessingLogLine``, ADR 0017): a page that shows a
youth writes its line, also when it shows a form's errors. Audit events of kind ``write`` count
like any other row.

The numbers per run (forms, examples) are printed by ``test_the_fuzzer_counts_its_cases``.
Profiles: ``ci`` (the default, a modest number of examples per form) and ``thorough``
(``HYPOTHESIS_PROFILE=thorough``).
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests import test_access_matrix
from tests.access_checks import OK
from tests.access_world import ROLES
from tests.test_access_matrix import MATRIX, NO_OBJECT
from workflows.ladder.machine import NETWERKOVERLEG

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("IJAM_FUZZ_EXAMPLES", "8")),
    deadline=None,
    database=None,  # no example database in the repository or on the CI machine
    # The same examples on every CI run: a red build points at a change, not at chance (one
    # random example failed once on meetings:schedule and did not come back in 500 more;
    # ``thorough`` keeps searching at random and prints the blob to reproduce what it finds).
    derandomize=True,
    print_blob=True,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough", parent=settings.get_profile("ci"), max_examples=200, derandomize=False
)
#: A page reads its query string through one filter form or a few ``GET.get``: fewer examples.
PAGE_EXAMPLES = {"ci": 4, "thorough": 50}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

# The matrix's fixtures: its world (built once per test process), quiet refusals, quick PDFs.
world = test_access_matrix.world
fast_pdf = test_access_matrix.fast_pdf
_quiet_refusals = test_access_matrix._quiet_refusals

#: The apps whose tables hold the record (and the processes' state).
RECORD_APPS = ("casebook", "workflows", "notifications", "viewflow")

#: The forms: every POST row of the matrix.
FORMS = [key for key in MATRIX if key.startswith("POST ")]


def _to_pga(w, s) -> None:
    from tests import factories
    from workflows.ladder import services as ladder
    from workflows.ladder.machine import PGA

    ladder.case_escalate(
        case=s.case,
        actor=w.director,
        target_level=PGA,
        reason="Zorgen",
        criteria=factories.criteria_for(PGA),
    )


#: State a form needs beyond its matrix row (which asks about access, where a refusal by the
#: rules is fine): here the row's valid body is accepted, so the generated ones reach the
#: service. A row the world cannot bring there is in FUZZED_TO_REFUSAL.
FUZZ_PREPARE = {
    "POST casebook:case-transition afschalen": _to_pga,  # down from PGA
    "POST groups:action planactie": test_access_matrix._to_step_3_with_an_action,
}
#: Forms whose valid body the world refuses (a message, nothing written): their generated
#: bodies are checked up to that refusal. ``test_the_valid_bodies_are_accepted`` keeps it exact.
FUZZED_TO_REFUSAL = {
    "POST casebook:case-rio-track",  # the world's cases have no detention to start it from
    "POST casebook:case-link-duplicate",  # the world's youths have no look-alike to link
    "POST meetings:action casus-toevoegen",  # the case is on that agenda already
    "POST meetings:minutes-action corrigeren",  # the minutes are a draft correction already
}


#: Fields a form needs beyond its matrix row's body, for the same reason.
FUZZ_DATA = {
    "POST casebook:case-transition afschalen": lambda w, s: {
        "criteria": test_access_matrix._criteria(NETWERKOVERLEG)
    },
}


def valid_body(key: str, w, side) -> dict:
    extra = FUZZ_DATA.get(key)
    return MATRIX[key].data(w, side) | (extra(w, side) if extra else {})


def prepare(key: str, w, side) -> None:
    if MATRIX[key].prepare:
        MATRIX[key].prepare(w, side)
    if key in FUZZ_PREPARE:
        FUZZ_PREPARE[key](w, side)


#: How many examples ran per form in this process (printed by the counting test).
RUN: dict[str, int] = {}


# --- Who posts, and what "nothing written" is ------------------------------------------------


#: Forms only a role outside the matrix's columns may post (tests/test_kpi_dashboard.py
#: proves that role's reach), with the world's user who posts them.
OUTSIDE_MATRIX = {"POST stuurgroep:kpi-value": (NO_OBJECT, "programme")}


def poster(key: str) -> tuple[str, str]:
    """(variant, role) of the first ``ok`` cell of a POST row: the partner's own objects
    first, the roles in the order of the matrix's columns."""
    if key in OUTSIDE_MATRIX:
        return OUTSIDE_MATRIX[key]
    cells = MATRIX[key].expected()
    variants = sorted(MATRIX[key].expect, key=lambda v: (v != "own", v))
    for variant in variants:
        for role in ROLES:
            if cells[(variant, role)] == OK:
                return variant, role
    raise AssertionError(f"{key}: no role may use this form; the fuzzer cannot post it")


def _digest_sql() -> str:
    """One query: a digest of every row of every table of the record's apps (read audit
    events left out, see the module docstring)."""
    from casebook.models import AuditEvent, ProcessingLogLine

    parts = []
    for app in RECORD_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or model is ProcessingLogLine:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            where = " WHERE t.kind = 'write'" if model is AuditEvent else ""
            parts.append(
                f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {table} t{where})"
            )
    return "SELECT " + ", ".join(parts)


def record_digest() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_digest_sql())
        return cursor.fetchone()


def is_error(response) -> bool:
    """An error answer: 4xx (a form with its messages is a 400, a conflict 409), or a
    redirect-after-POST that carries an error message to the next page."""
    if response.status_code >= 400:
        return True
    queued = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    return any(m.level >= messages.ERROR for m in getattr(queued, "_queued_messages", []))


# --- What is posted ---------------------------------------------------------------------------

_NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x07\x1b[31m",
    "\u202eelbarok\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width and byte-order mark
    "\U0001f600\U00010348",  # astral plane
    "é" * 3,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "abc",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "²",
    "١٢",  # Arabic-Indic digits
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "99999-01-01",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "10:00",
    "25:61",
    "on",
    "true",
    "IJAM-999999999999",
]


def _long(draw_char: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A text past the bounds: 101, 501, 10,001 characters and beyond."""
    lengths = st.sampled_from([101, 151, 201, 501, 2001, 10_001, 20_000])
    return st.tuples(draw_char, lengths).map(lambda c_n: c_n[0] * c_n[1])


_chars = st.characters(codec="utf-8", exclude_categories=["Cs"])
#: Characters that break things more often than a random one: NUL, escape, bidi overrides,
#: zero-width, astral, the replacement character, a line break.
_sharp = st.sampled_from(
    [
        "\x00",
        "\x1b",
        "\x7f",
        "\u202e",
        "\u2066",
        "\u200b",
        "\U0001f600",
        "\ufffd",
        "\r\n",
        "é",
        "a",
        " ",
        "%",
        "'",
    ]
)
_value = st.one_of(
    st.sampled_from(_NASTY),
    st.lists(st.one_of(_sharp, _chars), max_size=24).map("".join),
    _long(st.sampled_from(["x", "é", "\U0001f600", "\x00", "1", "\u202e"])),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
_field_value = st.one_of(_value, st.lists(_value, min_size=0, max_size=3))

#: The explicit example per field (besides the generated ones): that field alone holds a NUL,
#: a right-to-left override and 10,001 astral characters, past every bound of IJAM. Whatever
#: reads a field outside a form, or stores it unbounded in a varchar, meets it.
SHARP_VALUE = "\u202e\x00" + "\U0001f600" * 10_001
#: The explicit examples of a date field: the last and the first day the calendar knows.
FAR_DATES = ("9999-12-31", "0001-01-01")


#: Bytes of a raw body that are no (valid) UTF-8.
_BAD_BYTES = [b"%ff%fe", b"%ed%a0%80", b"\xff\xfe", b"%c0%80", b"%00", b"%f4%90%80%80", b"%"]


@st.composite
def mutations(draw, fields: list[str]) -> dict:
    """How to change the valid body: per field keep, drop or replace; extra fields; and
    whether to send a raw body with bytes that are no UTF-8."""
    changes = {}
    for name in fields:
        what = draw(st.sampled_from(["keep", "keep", "drop", "junk", "junk"]))
        if what == "junk":
            changes[name] = draw(_field_value)
        elif what == "drop":
            changes[name] = None
    extra = draw(
        st.dictionaries(st.sampled_from(["x", "id", "pk", "page", "version2"]), _value, max_size=2)
    )
    raw = draw(st.one_of(st.none(), st.sampled_from(_BAD_BYTES)))
    return {"changes": changes, "extra": extra, "raw": raw}


def body(valid: dict, mutation: dict) -> dict:
    data = {}
    for name, value in valid.items():
        change = mutation["changes"].get(name, "keep")
        if change is None:
            continue
        data[name] = value if change == "keep" else change
    return data | mutation["extra"]


def urlencoded(data: dict, raw: bytes) -> bytes:
    pairs = []
    for name, value in data.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            pairs.append(quote(str(name)) + "=" + quote(str(one), safe=""))
    return ("&".join(pairs)).encode("ascii") + b"&junk=" + raw


# --- The property -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", FORMS)
def test_a_form_never_fails_and_an_error_writes_nothing(key, world, db, fast_pdf):
    row = MATRIX[key]
    variant, role = poster(key)
    side = world.sides.get(variant)
    client = world.clients[role]
    with transaction.atomic():
        prepare(key, world, side)
        valid = valid_body(key, world, side)
        fields = sorted(valid)
        date_fields = [n for n in fields if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(valid[n]))]
        transaction.set_rollback(True)
    RUN[key] = 0

    @settings(settings.get_profile(PROFILE))
    @given(mutation=mutations(fields))
    def posting(mutation):
        RUN[key] += 1
        cache.clear()  # no rate limit carries over from one example to the next
        with transaction.atomic():
            try:
                prepare(key, world, side)
                url = row.url(world, side)
                data = body(valid_body(key, world, side), mutation)
                before = record_digest()
                if mutation["raw"] is None:
                    response = client.post(url, data)
                else:
                    response = client.post(
                        url,
                        urlencoded(data, mutation["raw"]),
                        content_type="application/x-www-form-urlencoded",
                    )
                assert response.status_code < 500, (
                    f"{key} as {role}: {response.status_code} for {_short(data)}"
                )
                try:
                    after = record_digest()
                except DatabaseError as exc:  # the request broke the transaction
                    raise AssertionError(f"{key}: the transaction broke: {exc}") from exc
                if is_error(response):
                    changed = [
                        i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b
                    ]
                    assert not changed, (
                        f"{key} as {role}: answered {response.status_code} (an error) but "
                        f"wrote to {_tables(changed)} for {_short(data)}"
                    )
            finally:
                transaction.set_rollback(True)

    # Explicit examples first: per field SHARP_VALUE, per date field the edges of the calendar.
    explicit = [(name, SHARP_VALUE) for name in fields]
    explicit += [(name, day) for name in date_fields for day in FAR_DATES]
    for name, value in explicit:
        posting = example(mutation={"changes": {name: value}, "extra": {}, "raw": None})(posting)
    posting()


def _short(data: dict) -> str:
    """The posted body for a message: each value cut to 60 characters."""
    return repr(
        {
            name: value if len(str(value)) <= 60 else f"{str(value)[:60]!r}… ({len(str(value))})"
            for name, value in data.items()
        }
    )


def _tables(indexes: list[int]) -> list[str]:
    tables = [
        model._meta.db_table
        for app in RECORD_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]
    return [tables[i] for i in indexes]


def test_every_form_of_the_matrix_has_a_poster():
    """Each POST row names a role that may use it; a row without one cannot be fuzzed."""
    assert FORMS
    for key in FORMS:
        poster(key)


# --- Query parameters and ids in paths ----------------------------------------------------------

#: The pages: every GET row of the matrix.
PAGES = [key for key in MATRIX if key.startswith("GET ")]


def query_names() -> list[str]:
    """Every query parameter a view reads: the names the views ask ``request.GET`` for (read
    from their source, so a new one is included) and the fields of every form of the apps (a
    filter form reads the query string)."""
    import importlib
    import inspect
    import re
    from pathlib import Path

    from django import forms

    root = Path(__file__).resolve().parent.parent
    names = set()
    for path in [
        *root.glob("casebook/*.py"),
        *root.glob("workflows/*/*.py"),
        *root.glob("notifications/*.py"),
        *root.glob("reports/*.py"),
    ]:
        source = path.read_text()
        names |= set(re.findall(r"""GET\.get(?:list)?\(\s*["'](\w+)["']""", source))
        if path.name == "forms.py":
            module = importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm):
                    names |= set(cls.base_fields)
    return sorted(names | {"page", "id", "pk", "x"})


@pytest.mark.parametrize("key", PAGES)
def test_a_page_never_fails_on_its_query_string(key, world, db, fast_pdf):
    """Any query parameter with any value (NUL, thirty digits, 'abc', a bidi override,
    repeated) gives a page, a Dutch message or a 4xx; never a 500, and a page writes nothing
    but its read log."""
    row = MATRIX[key]
    variant, role = poster(key)
    side = world.sides.get(variant)
    client = world.clients[role]
    names = query_names()
    RUN[key] = 0

    @settings(settings.get_profile(PROFILE), max_examples=PAGE_EXAMPLES.get(PROFILE, 4))
    @given(query=st.lists(st.tuples(st.sampled_from(names), _value), min_size=1, max_size=4))
    def asking(query):
        RUN[key] += 1
        cache.clear()
        with transaction.atomic():
            try:
                url = row.url(world, side)
                joined = "&".join(f"{quote(n)}={quote(v, safe='')}" for n, v in query)
                before = record_digest()
                response = client.get(url + ("&" if "?" in url else "?") + joined)
                assert response.status_code < 500, f"{key} as {role}: {response.status_code}"
                assert record_digest() == before, f"{key}: a page wrote for {query!r}"
            finally:
                transaction.set_rollback(True)

    asking = example(query=[(name, SHARP_VALUE[:120]) for name in names[:40]])(asking)
    asking = example(query=[(name, "99999999999999999999") for name in names])(asking)
    asking = example(query=[(name, "\x00") for name in names])(asking)
    asking()


@pytest.mark.parametrize("key", FORMS + PAGES)
def test_an_id_past_the_largest_in_a_path_is_a_404(key, world, db, fast_pdf):
    """The path converters take digits only; a number past PostgreSQL's bigint (or 0) finds
    nothing: a 404 (or, for a form that checks its input first, its 400), never a 500."""
    import re

    row = MATRIX[key]
    variant, role = poster(key)
    side = world.sides.get(variant)
    with transaction.atomic():
        if row.prepare:
            row.prepare(world, side)
        url = row.url(world, side)
        if not re.search(r"/\d+/", url):
            transaction.set_rollback(True)
            pytest.skip("no id in the path")
        for number in ("99999999999999999999",):
            wrong = re.sub(r"/\d+/", f"/{number}/", url, count=1)
            client = world.clients[role]
            response = client.post(wrong, {}) if key.startswith("POST ") else client.get(wrong)
            assert 400 <= response.status_code < 500, (wrong, response.status_code)
        transaction.set_rollback(True)


def test_the_valid_bodies_are_accepted(world, db, fast_pdf):
    """The fuzzer starts from each row's valid body: accepted as it is (so the generated
    bodies reach the service and its writes), except the forms listed in FUZZED_TO_REFUSAL."""
    refused = set()
    for key in FORMS:
        variant, role = poster(key)
        side = world.sides.get(variant)
        with transaction.atomic():
            prepare(key, world, side)
            response = world.clients[role].post(
                MATRIX[key].url(world, side), valid_body(key, world, side)
            )
            if is_error(response):
                refused.add(key)
            transaction.set_rollback(True)
    assert refused == FUZZED_TO_REFUSAL


def test_a_url_without_a_post_row_takes_no_post(world, db):
    """The fuzzer posts to every POST row of the matrix; a URL with GET rows only must then
    take no POST at all (405), or a form behind it would escape the fuzzer."""
    post_names = {key.split()[1] for key in FORMS}
    problems = []
    for key in PAGES:
        if key.split()[1] in post_names:
            continue
        variant, role = poster(key)
        with transaction.atomic():
            url = MATRIX[key].url(world, world.sides.get(variant))
            status = world.clients[role].post(url, {"x": "1"}).status_code
            transaction.set_rollback(True)
        if status != 405:
            problems.append(f"{key}: a POST answers {status}; give it a POST row in the matrix")
    assert not problems, "\n".join(problems)


def test_the_record_digest_sees_every_change_but_a_read_log(world, db):
    """The detector itself: a changed field of one row, a new write event and a new row change
    the digest; a read or refusal log does not."""
    from casebook.models import Case, ProcessingLogLine
    from casebook.services.audit import audit_denied, audit_read

    case = world.sides["own"].case
    with transaction.atomic():
        before = record_digest()
        audit_read(actor=world.director, what="case_list", detail={"pagina": 1})
        audit_denied(actor=world.director, path="/x/", method="POST", status=403)
        assert record_digest() == before
        # A page that shows the youth writes its processing-log line: a read, not a change.
        lines = ProcessingLogLine.objects.count()
        assert world.clients["director"].get(f"/casussen/{case.pk}/").status_code == 200
        assert ProcessingLogLine.objects.count() > lines
        assert record_digest() == before
        Case.objects.filter(pk=case.pk).update(criminal_law_component=True)
        assert record_digest() != before
        transaction.set_rollback(True)
    with transaction.atomic():
        from casebook.services.audit import audit_record

        audit_record(actor=world.director, action="case.details_changed", obj=case, case=case)
        assert record_digest() != before
        transaction.set_rollback(True)
    with transaction.atomic():
        assert record_digest() == before
        transaction.set_rollback(True)


def test_the_fuzzer_counts_its_cases(capsys):
    """The last test of the module: how many forms and pages, how many generated cases."""
    if not RUN:
        pytest.skip("the fuzzed forms did not run in this process")
    forms_run = {k: n for k, n in RUN.items() if k.startswith("POST ")}
    pages_run = {k: n for k, n in RUN.items() if k.startswith("GET ")}
    with capsys.disabled():
        print(
            f"\ninput fuzzer ({PROFILE}), this process: {len(forms_run)} of {len(FORMS)} forms "
            f"(POST URLs and actions), {sum(forms_run.values())} generated posts; "
            f"{len(pages_run)} of {len(PAGES)} pages, {sum(pages_run.values())} generated "
            "query strings"
        )
