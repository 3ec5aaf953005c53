# SPDX-License-Identifier: AGPL-3.0-or-later
"""The IJAM ladder (opschaalstructuur) as a state machine: every allowed move of a case.

Read this file to know which transitions exist. The ``@transition`` decorators are the table;
``ESCALATIONS`` and ``DEESCALATIONS`` say which levels each move may reach. The methods only
check the target: locking, permissions, reasons, criteria and the audit trail are the work of
``workflows.ladder.services``, the only code that calls them.

    awaiting_screening ──screen_in──▶ netwerkoverleg | jonge_aanwas | pga
    awaiting_screening ──screen_out─▶ closed      (not in scope, with a closure reason)
    netwerkoverleg ──escalate──▶ jonge_aanwas | pga
    jonge_aanwas   ──escalate──▶ pga
    pga            ──deescalate─▶ jonge_aanwas | netwerkoverleg
    jonge_aanwas   ──deescalate─▶ netwerkoverleg
    any level      ──close─────▶ closed        (with a closure reason; never reopened)
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, TransitionNotAllowed, transition

from casebook.models.configuration import LadderLevel
from casebook.permissions import TRANSITION_CASE


class CaseState(models.TextChoices):
    AWAITING_SCREENING = "awaiting_screening", _("Wacht op screening")
    NETWERKOVERLEG = LadderLevel.NETWERKOVERLEG.value, LadderLevel.NETWERKOVERLEG.label
    JONGE_AANWAS = LadderLevel.JONGE_AANWAS.value, LadderLevel.JONGE_AANWAS.label
    PGA = LadderLevel.PGA.value, LadderLevel.PGA.label
    CLOSED = "closed", _("Afgesloten")


AWAITING = CaseState.AWAITING_SCREENING.value
NETWERKOVERLEG = CaseState.NETWERKOVERLEG.value
JONGE_AANWAS = CaseState.JONGE_AANWAS.value
PGA = CaseState.PGA.value
CLOSED = CaseState.CLOSED.value

#: The case tables, lowest first.
LADDER_LEVELS: tuple[str, ...] = (NETWERKOVERLEG, JONGE_AANWAS, PGA)
OPEN_STATES: tuple[str, ...] = (AWAITING, *LADDER_LEVELS)

#: Which levels an escalation or de-escalation may reach from each level (one or more steps).
ESCALATIONS: dict[str, tuple[str, ...]] = {
    NETWERKOVERLEG: (JONGE_AANWAS, PGA),
    JONGE_AANWAS: (PGA,),
}
DEESCALATIONS: dict[str, tuple[str, ...]] = {
    PGA: (JONGE_AANWAS, NETWERKOVERLEG),
    JONGE_AANWAS: (NETWERKOVERLEG,),
}


def _require_target(target: str, allowed: tuple[str, ...], move: str, source: str) -> str:
    if target not in allowed:
        raise TransitionNotAllowed(f"{move} van {source} naar {target} is niet toegestaan")
    return target


class LadderMixin(FSMModelMixin, models.Model):
    """The ``level`` field of a case and the transitions between levels."""

    level = FSMField(
        _("niveau"),
        max_length=20,
        choices=CaseState.choices,
        default=AWAITING,
        protected=True,
        db_index=True,
    )

    class Meta:
        abstract = True

    @transition(
        field=level,
        source=AWAITING,
        target=RETURN_VALUE(*LADDER_LEVELS),
        permission=TRANSITION_CASE,
    )
    def screen_in(self, target: str) -> str:
        """Screening puts the case on a table: any of the three levels."""
        return _require_target(target, LADDER_LEVELS, "Instromen", self.level)

    @transition(field=level, source=AWAITING, target=CLOSED, permission=TRANSITION_CASE)
    def screen_out(self) -> None:
        """Screening finds the case out of scope; it closes with a screening closure reason."""

    @transition(
        field=level,
        source=list(ESCALATIONS),
        target=RETURN_VALUE(JONGE_AANWAS, PGA),
        permission=TRANSITION_CASE,
    )
    def escalate(self, target: str) -> str:
        return _require_target(target, ESCALATIONS[self.level], "Opschalen", self.level)

    @transition(
        field=level,
        source=list(DEESCALATIONS),
        target=RETURN_VALUE(NETWERKOVERLEG, JONGE_AANWAS),
        permission=TRANSITION_CASE,
    )
    def deescalate(self, target: str) -> str:
        return _require_target(target, DEESCALATIONS[self.level], "Afschalen", self.level)

    # A closed case is never reopened: a new case links to it as its predecessor.
    @transition(field=level, source=list(LADDER_LEVELS), target=CLOSED, permission=TRANSITION_CASE)
    def close(self) -> None:
        """The case leaves the ladder from any level, with a closure reason."""

    @property
    def is_open(self) -> bool:
        return self.level != CLOSED


def allowed_targets(transition_name: str, source: str) -> tuple[str, ...]:
    """The states a named transition can reach from ``source`` (used by forms and the diagram)."""
    if transition_name == "screen_in":
        return LADDER_LEVELS if source == AWAITING else ()
    if transition_name == "screen_out":
        return (CLOSED,) if source == AWAITING else ()
    if transition_name == "escalate":
        return ESCALATIONS.get(source, ())
    if transition_name == "deescalate":
        return DEESCALATIONS.get(source, ())
    if transition_name == "close":
        return (CLOSED,) if source in LADDER_LEVELS else ()
    raise ValueError(transition_name)


def ladder_mermaid(model: type[LadderMixin]) -> str:
    """A Mermaid state diagram generated from the transitions declared on ``model``."""
    field = model._meta.get_field("level")
    lines = ["stateDiagram-v2"]
    names = {value: label for value, label in CaseState.choices}
    for value in CaseState.values:
        lines.append(f"    {value}: {names[value]}")
    lines.append(f"    [*] --> {AWAITING}")
    seen: set[tuple[str, str, str]] = set()
    for tr in field.get_all_transitions(model):
        for target in allowed_targets(tr.name, tr.source):
            key = (tr.source, target, tr.name)
            if key not in seen:
                seen.add(key)
                lines.append(f"    {tr.source} --> {target}: {tr.name}")
    lines.append(f"    {CLOSED} --> [*]")
    return "\n".join(lines) + "\n"
