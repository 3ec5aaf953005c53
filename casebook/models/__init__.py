# SPDX-License-Identifier: AGPL-3.0-or-later
"""The record: who is involved, about whom, what was reported and what was done."""

from casebook.models.access import EmergencyAccess
from casebook.models.audit import AuditAction, AuditChainLink, AuditEvent
from casebook.models.cases import Case, CaseInvolvement
from casebook.models.configuration import (
    ClosureReason,
    Intervention,
    LevelCriterion,
    Pillar,
    SignalCategory,
)
from casebook.models.geography import AreaTeam, District, Neighbourhood
from casebook.models.groups import (
    Group,
    GroupMember,
    GroupNote,
    GroupParticipant,
    GroupPlanAction,
    GroupRole,
    GroupStepDecision,
    GroupTierChange,
    Tier,
    Track,
)
from casebook.models.organisations import (
    Organisation,
    OrganisationKind,
    Role,
    RoleGrant,
    SchoolType,
    SecondFactorReset,
    User,
)
from casebook.models.plans import LifeDomain, PlanGoal, PlanIntervention
from casebook.models.processing import (
    LegalBasis,
    ProcessingActivity,
    ProcessingLogLine,
    StatusCode,
)
from casebook.models.retention import KeptLadderMove, RetentionRun
from casebook.models.signals import Signal
from casebook.models.youths import FamilyLink, Youth

__all__ = [
    "AreaTeam",
    "AuditAction",
    "AuditChainLink",
    "AuditEvent",
    "Case",
    "CaseInvolvement",
    "ClosureReason",
    "District",
    "EmergencyAccess",
    "FamilyLink",
    "Group",
    "GroupMember",
    "GroupNote",
    "GroupParticipant",
    "GroupPlanAction",
    "GroupRole",
    "GroupStepDecision",
    "GroupTierChange",
    "Intervention",
    "Pillar",
    "LegalBasis",
    "LevelCriterion",
    "LifeDomain",
    "Neighbourhood",
    "Organisation",
    "PlanGoal",
    "PlanIntervention",
    "ProcessingActivity",
    "ProcessingLogLine",
    "OrganisationKind",
    "KeptLadderMove",
    "RetentionRun",
    "Role",
    "RoleGrant",
    "SchoolType",
    "SecondFactorReset",
    "Signal",
    "SignalCategory",
    "StatusCode",
    "Tier",
    "Track",
    "User",
    "Youth",
]
