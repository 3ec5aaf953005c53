# SPDX-License-Identifier: AGPL-3.0-or-later
"""Bulk actions: one tracked partner task per current member of the chosen tiers (e.g. the
nuisance letter to the home of every red and orange member). An organisation where nobody
works tasks is refused, naming it (``task_start``), and nothing starts."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casebook.errors import TransitionRefused, ValidationFailed
from casebook.locks import bump, check_version, for_update
from casebook.models import AuditAction, Group, Tier, User
from casebook.services.audit import audit_record
from workflows.groups.services.common import require_director
from workflows.groups.steps import GroupStep
from workflows.tasks.services import notify_organisation, task_start


def group_bulk_action(
    *,
    group: Group,
    actor: User,
    tiers: list[str],
    task_type,
    organisation,
    instruction: str,
    deadline=None,
    expected_version: int | None = None,
) -> list:
    """One tracked task per current member in the chosen tiers (e.g. the nuisance letter from
    municipality and police to the home of every red and orange member)."""
    require_director(actor)
    instruction = instruction.strip()
    if not instruction:
        raise ValidationFailed(
            "Beschrijf de actie.", field_errors={"instruction": ["Beschrijf de actie."]}
        )
    if not tiers or set(tiers) - set(Tier.values):
        raise ValidationFailed("Kies voor welke kleuren de actie geldt.")
    if deadline is not None and deadline <= timezone.now():
        raise ValidationFailed("De deadline ligt in het verleden.")
    with transaction.atomic():
        group = for_update(Group).get(pk=group.pk)
        check_version(group, expected_version, "Deze groep")
        if group.step == GroupStep.CLOSED:
            raise TransitionRefused("Deze groepsaanpak is gesloten.")
        members = list(
            group.members.filter(left_on__isnull=True, tier__in=tiers).select_related(
                "youth", "group"
            )
        )
        if not members:
            raise ValidationFailed("Geen leden met deze kleur(en).")
        tasks = [
            task_start(
                group=group,
                member=member,
                actor=actor,
                task_type=task_type,
                organisation=organisation,
                instruction=instruction,
                deadline=deadline,
                tell=False,  # one notification for the whole action, below
            )
            for member in members
        ]
        bump(group)
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_BULK_ACTION,
            obj=group,
            reason=instruction,
            after={
                "groep": group.name,
                "kleuren": tiers,
                "taken": len(tasks),
                "organisatie": organisation.name,
                "taaksoort": task_type.name,
            },
        )
        notify_organisation(
            organisation,
            f"{len(tasks)} nieuwe taken: {task_type.name} (groep {group.name})",
            reverse("workflows:inbox"),
        )
    return tasks
