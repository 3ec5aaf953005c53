# SPDX-License-Identifier: AGPL-3.0-or-later
"""The 7-stappenmodel (national work process for problematic youth groups) as a state machine.

    signalen (1) ──gate──▶ beoordelen (2) ──gate──▶ duiding (3) ──gate──▶ adviseren (4)
      ──gate──▶ plan (5) ──gate──▶ uitvoeren (6) ──gate──▶ afronden (7) ──close──▶ gesloten
    any step 2–7 ──back──▶ the step before (with a reason)
    beoordelen (2A: not problematic) ──not_problematic──▶ gesloten

Each move is a gate decision recorded with reason and decider by
``workflows.groups.services``; this module only says which moves exist.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, FSMField, FSMModelMixin, transition

from casebook.permissions import RUN_GROUP_APPROACH


class GroupStep(models.TextChoices):
    SIGNALS = "1_signalen", _("1. Signalen over groepsgedrag delen")
    ASSESS = "2_beoordelen", _("2. Beoordelen groepsgedrag")
    INTERPRET = "3_duiding", _("3. Groepsduiding en concept plan van aanpak")
    ADVISE = "4_adviseren", _("4. Adviseren en prioriteren")
    PLAN = "5_plan", _("5. Integraal plan van aanpak")
    EXECUTE = "6_uitvoeren", _("6. Uitvoeren en monitoren")
    CONCLUDE = "7_afronden", _("7. Afronden en evalueren")
    CLOSED = "gesloten", _("Gesloten")


ORDER: tuple[str, ...] = (
    GroupStep.SIGNALS,
    GroupStep.ASSESS,
    GroupStep.INTERPRET,
    GroupStep.ADVISE,
    GroupStep.PLAN,
    GroupStep.EXECUTE,
    GroupStep.CONCLUDE,
)
NEXT = dict(zip(ORDER, ORDER[1:], strict=False))
PREVIOUS = {after: before for before, after in NEXT.items()}


class GroupStepsMixin(FSMModelMixin, models.Model):
    """The ``step`` field of a group approach and the moves between steps."""

    step = FSMField(
        _("stap"),
        max_length=20,
        choices=GroupStep.choices,
        default=GroupStep.SIGNALS,
        protected=True,
        db_index=True,
    )

    class Meta:
        abstract = True

    @transition(
        field=step,
        source=list(NEXT),
        target=GET_STATE(lambda self: NEXT[self.step], states=list(NEXT.values())),
        permission=RUN_GROUP_APPROACH,
    )
    def advance(self) -> None:
        """The gate of the current step is passed: on to the next step."""

    @transition(
        field=step,
        source=list(PREVIOUS),
        target=GET_STATE(lambda self: PREVIOUS[self.step], states=list(PREVIOUS.values())),
        permission=RUN_GROUP_APPROACH,
    )
    def back(self) -> None:
        """Back one step (new information, a plan that needs redoing)."""

    @transition(
        field=step, source=GroupStep.ASSESS, target=GroupStep.CLOSED, permission=RUN_GROUP_APPROACH
    )
    def not_problematic(self) -> None:
        """2A: the behaviour is not problematic; simple interventions or referral of individuals."""

    @transition(
        field=step,
        source=GroupStep.CONCLUDE,
        target=GroupStep.CLOSED,
        permission=RUN_GROUP_APPROACH,
    )
    def close(self) -> None:
        """7: de-escalate and stop, after evaluation and handing over remaining actions."""

    @property
    def is_open(self) -> bool:
        return self.step != GroupStep.CLOSED


def step_progress(current: str) -> list[tuple[str, str, str]]:
    """The seven steps with their state on the way to ``current``: (value, label, state), the
    state being ``done``, ``current`` or ``todo`` (a closed approach has done them all)."""
    position = len(ORDER) if current == GroupStep.CLOSED else ORDER.index(current)
    labels = dict(GroupStep.choices)
    return [
        (value, labels[value], "current" if i == position else "done" if i < position else "todo")
        for i, value in enumerate(ORDER)
    ]


#: What each gate asks before the group may go on (checked in ``workflows.groups.services``).
GATES: dict[str, str] = {
    GroupStep.SIGNALS: "een onderbouwd besluit om informatie te verzamelen",
    GroupStep.ASSESS: "een ledenlijst die voldoet aan de definitie (≥ 2 leden, meerderheid < 23)",
    GroupStep.INTERPRET: "soorten problematiek, groepsdynamiek en de doelen van het concept plan",
    GroupStep.ADVISE: "de prioriteit van de driehoek (hoog, midden, laag)",
    GroupStep.PLAN: "minstens één actie in het plan (groep, individu, gezin of domein)",
    GroupStep.EXECUTE: "een onderbouwd besluit om af te ronden",
    GroupStep.CONCLUDE: "een schriftelijke evaluatie; open taken overdragen of annuleren",
}


def steps_mermaid(model: type[GroupStepsMixin]) -> str:
    """A Mermaid state diagram generated from the transitions declared on ``model``."""
    field = model._meta.get_field("step")
    ids = {value: f"s{i}" for i, value in enumerate(ORDER, start=1)} | {
        GroupStep.CLOSED: "gesloten"
    }
    labels = dict(GroupStep.choices)
    lines = ["stateDiagram-v2"]
    lines += [f"    {ids[value]}: {labels[value]}" for value in GroupStep.values]
    lines.append(f"    [*] --> {ids[GroupStep.SIGNALS]}")
    targets = {"advance": NEXT, "back": PREVIOUS}
    seen: set[str] = set()
    for tr in field.get_all_transitions(model):
        target = targets[tr.name][tr.source] if tr.name in targets else tr.target
        line = f"    {ids[tr.source]} --> {ids[target]}: {tr.name}"
        if line not in seen:
            seen.add(line)
            lines.append(line)
    lines.append(f"    {ids[GroupStep.CLOSED]} --> [*]")
    return "\n".join(lines) + "\n"
