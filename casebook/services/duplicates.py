# SPDX-License-Identifier: AGPL-3.0-or-later
"""The duplicate check: is the youth someone types in already registered? (ADR 0012)

ZVH staff (``VIEW_ALL_CASES``) see the candidates, with name, birth date and neighbourhood, and
choose. Everyone else learns only *that* a possible match exists, never who, how many, or
where: the procesregisseur resolves the match while screening the signal. Every call that
searches counts against a per-user rate limit (``IJAM_DUPLICATE_CHECK_RATE``, in Django's
cache) and is logged as a read of personal data: who checked and which youths matched, never
the name or date that was typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from casebook import policy
from casebook.errors import TooManyRequests
from casebook.models import User, Youth
from casebook.selectors.youths import possible_duplicates
from casebook.services.audit import audit_read

#: The read it logs (``AuditAction.YOUTH_DUPLICATE_CHECK``).
CHECKED = "youth_duplicate_check"
TOO_OFTEN = (
    "U heeft de controle op bekende jongeren te vaak achter elkaar gebruikt. Wacht enkele "
    "minuten en probeer het dan opnieuw."
)
#: Shown to a partner instead of the candidates: the same text for one match or five.
POSSIBLE_MATCH = "Mogelijk is deze jongere al bekend; de procesregisseur koppelt het signaal."


@dataclass(frozen=True)
class DuplicateCheck:
    """What the user may learn from one check."""

    possible_match: bool = False
    #: Who the matches are: only for ZVH staff; always empty for anyone else.
    candidates: list[Youth] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.possible_match


NOTHING = DuplicateCheck()


def duplicate_check(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None,
    last_name_prefix: str = "",
    purpose: str,
) -> DuplicateCheck:
    """Check whether the youth typed in may already be registered, for ``actor``.

    Searches only once both names are typed (and, for a partner, the birth date too: then it
    already knows whom it means). Each search counts against the rate limit (a refusal raises
    ``TooManyRequests``, a 429, and searches nothing) and is logged as a read: ``purpose``
    (where the check ran), how many and which youths matched, whether their names were shown.
    """
    if not (first_name.strip() and last_name.strip()):
        return NOTHING
    sees_all = policy.is_zvh_staff(actor)
    if date_of_birth is None and not sees_all:
        return NOTHING
    _count_call(actor, purpose)
    found = possible_duplicates(
        first_name=first_name,
        last_name_prefix=last_name_prefix,
        last_name=last_name,
        date_of_birth=date_of_birth,
    )
    audit_read(
        actor=actor,
        what=CHECKED,
        detail={
            "controle": purpose,
            "kandidaten": len(found),
            "gevonden": [youth.pk for youth in found],
            "namen_getoond": sees_all and bool(found),
        },
    )
    if not found:
        return NOTHING
    return DuplicateCheck(possible_match=True, candidates=found if sees_all else [])


def _key(actor: User) -> str:
    return f"duplicate-check:{actor.pk}"


def _count_call(actor: User, purpose: str) -> None:
    """One more call in the user's current window (which starts at its first call); past the
    limit, refuse. The first refusal of a window is logged, later ones in it are not (a
    hammering client must not flood the audit chain)."""
    calls, seconds = settings.IJAM_DUPLICATE_CHECK_RATE
    key = _key(actor)
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=seconds)
        used = 1
    if used <= calls:
        return
    if cache.add(f"{key}:refused", 1, timeout=seconds):
        audit_read(
            actor=actor,
            what=CHECKED,
            detail={"controle": purpose, "geweigerd": f"meer dan {calls} keer in {seconds} s"},
        )
    raise TooManyRequests(TOO_OFTEN)
