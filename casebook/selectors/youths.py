# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who might already be registered: the search behind the duplicate check and the screening.

These reads name youths; who may see the names decides the caller
(``casebook.services.duplicates.duplicate_check`` cuts them to need-to-know, the screening is
ZVH work)."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q

from casebook.models import Youth
from casebook.models.youths import normalise_name
from casebook.selectors.cases import open_cases_by_youth

#: At most this many candidates: enough to choose from, never a list to browse.
MAX_CANDIDATES = 10


def possible_duplicates(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None,
    last_name_prefix: str = "",
    exclude: Youth | None = None,
) -> list[Youth]:
    """Youths who may be the same person: same name and birth date, or close matches.

    Close means a similar name (trigram similarity, so typos and spelling variants match) with
    the same birth date or the same birth year, or the exact name with day and month swapped.
    A record already merged into another youth is never a candidate: the one it was merged
    into is; nor is an anonymised one (retention, ADR 0020): it is nobody any more.
    """
    name = normalise_name(first_name, last_name_prefix, last_name)
    if not name:
        return []
    similarity = TrigramSimilarity("search_name", name)
    close = Q(similarity__gte=0.75)
    if date_of_birth is not None:
        swapped = None
        if date_of_birth.day <= 12:
            try:
                swapped = date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month)
            except ValueError:
                swapped = None
        close = (
            Q(date_of_birth=date_of_birth, similarity__gte=0.35)
            | Q(date_of_birth__year=date_of_birth.year, similarity__gte=0.6)
            | Q(search_name=name)
        )
        if swapped:
            close |= Q(date_of_birth=swapped, similarity__gte=0.6)
    youths = Youth.objects.annotate(similarity=similarity).filter(
        close, merged_into__isnull=True, anonymised_at__isnull=True
    )
    if exclude is not None:
        youths = youths.exclude(pk=exclude.pk)
    return list(
        youths.select_related("neighbourhood").order_by("-similarity", "last_name")[:MAX_CANDIDATES]
    )


def duplicates_of(youth: Youth) -> list[Youth]:
    """The other youths ``youth`` may be a second registration of, for the procesregisseur's
    screening; each with ``open_case`` (its open case or ``None``). Two queries."""
    candidates = possible_duplicates(
        first_name=youth.first_name,
        last_name_prefix=youth.last_name_prefix,
        last_name=youth.last_name,
        date_of_birth=youth.date_of_birth,
        exclude=youth,
    )
    open_cases = open_cases_by_youth(c.pk for c in candidates) if candidates else {}
    for candidate in candidates:
        candidate.open_case = open_cases.get(candidate.pk)
    return candidates
