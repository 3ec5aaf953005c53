# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sensible windows for the dates users type: a deadline or a sitting at most two years ahead,
an observation not before 2000 and not in the future. Outside them a Dutch message, never an
overflow deep in the working-day calendar."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone

from casebook.errors import ValidationFailed

#: The lengths of what users type (docs/input-bounds.md has the table of every field).
NAME_LENGTH = 100  # a first or last name
SHORT_TEXT = 500  # a one-line text: a place, hotspots, a subject
LONG_TEXT = 10_000  # a description, a reason, a summary, an instruction
REFERENCE_LENGTH = 20  # a case number as typed, "IJAM-000123"
LOCATION_LENGTH = 200  # where a sitting is held (the column holds 200)

#: How far ahead a deadline or a sitting may be planned.
MAX_AHEAD = dt.timedelta(days=2 * 366)
#: How far ahead an expected release from detention may lie (a youth is at most 27).
MAX_RELEASE_AHEAD = dt.timedelta(days=10 * 366)
#: The earliest date an observation may carry.
EARLIEST_OBSERVATION = dt.date(2000, 1, 1)


def within_two_years(day: dt.date | None) -> dt.date | None:
    """``day`` if it lies at most two years ahead (or is empty)."""
    if day is not None and day > timezone.localdate() + MAX_AHEAD:
        raise ValidationError("Kies een datum die hoogstens twee jaar vooruit ligt.")
    return day


def release(day: dt.date | None) -> dt.date | None:
    """``day`` if it is a plausible (expected) release date: from 2000 to ten years ahead.
    The RIO track counts working days from it; 9999-12-31 overflowed the calendar."""
    if day is None:
        return None
    if day > timezone.localdate() + MAX_RELEASE_AHEAD:
        raise ValidationError("Kies een datum die hoogstens tien jaar vooruit ligt.")
    if day < EARLIEST_OBSERVATION:
        raise ValidationError("De datum ligt voor 2000; controleer het jaar.")
    return day


def observed(day: dt.date | None) -> dt.date | None:
    """``day`` if it is a plausible date of an observation: not in the future, not before 2000."""
    if day is None:
        return None
    if day > timezone.localdate():
        raise ValidationError("De datum van waarneming ligt in de toekomst.")
    if day < EARLIEST_OBSERVATION:
        raise ValidationError("De datum van waarneming ligt voor 2000; controleer het jaar.")
    return day


#: Characters a name may hold besides letters and combining marks (any script).
_NAME_PUNCTUATION = set(" -'’.")
NAME_MESSAGE = (
    "Gebruik in een naam alleen letters, spaties, koppeltekens, apostrofs en punten "
    "(geen cijfers, tekens of onzichtbare tekens)."
)


def name_problem(value: str) -> str:
    """The Dutch message if ``value`` is not a plausible person's name part, else ''. Control
    characters, zero-width and bidirectional overrides (which make a name read differently
    than it sorts and searches), digits and symbols are refused."""
    for ch in value:
        if ch in _NAME_PUNCTUATION or unicodedata.category(ch)[0] in "LM":
            continue
        return NAME_MESSAGE
    return ""


def person_name(value: str) -> str:
    """A form validator: ``value`` if it is a plausible name part."""
    if problem := name_problem(value or ""):
        raise ValidationError(problem)
    return value


def text_problem(value: str, limit: int) -> str:
    """The Dutch message if ``value`` cannot be stored as a text a user typed, else '': a
    NUL character (PostgreSQL refuses it; Django's forms do too) or more than ``limit``
    characters. For the few texts that reach a service without a form."""
    if "\x00" in value:
        return "De tekst bevat een ongeldig teken (NUL); typ of plak hem opnieuw."
    if len(value) > limit:
        return f"Gebruik hoogstens {limit:,} tekens (nu {len(value):,}).".replace(",", ".")
    return ""


def bounded_text(value, limit: int = LONG_TEXT, *, field: str = "reason") -> str:
    """``value`` (a posted text, or anything else a request sent) as a stripped string, or a
    ``ValidationFailed`` with a Dutch message on ``field``. Services call it for texts that
    views read without a form, so a junk value changes nothing and is never a 500."""
    text = value.strip() if isinstance(value, str) else ""
    if problem := text_problem(text, limit):
        raise ValidationFailed(problem, field_errors={field: [problem]})
    return text
