# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every permission IJAM checks, by one name each.

Permissions are granted through roles (``casebook.models.Role``, configuration); the models
declare them (``Meta.permissions``) and data migrations give them to the standard roles. Code
asks ``user.has_perm(<one of these>)``, never a string of its own.
"""

from __future__ import annotations

#: ZVH staff (procesregisseur, procesondersteuner): every case, signal and group of the ZVH.
VIEW_ALL_CASES = "casebook.view_all_cases"
#: The procesregisseur: screen, escalate, de-escalate and close cases; the plan of approach.
TRANSITION_CASE = "casebook.transition_case"
#: Partners and the ZVH: report signals about youths and groups.
REGISTER_SIGNAL = "casebook.register_signal"
#: The steering group: aggregate reports, never a person.
VIEW_AGGREGATE_REPORTS = "casebook.view_aggregate_reports"
#: The programme manager (the stuurgroep's secretary): record the values of the KPIs IJAM cannot
#: measure, with their source and date (``reports.services_dashboard``). Reaches no person.
RECORD_KPI_VALUE = "reports.record_kpi_value"
#: The procesregisseur: run a group approach through the 7-stappenmodel.
RUN_GROUP_APPROACH = "casebook.run_group_approach"
#: Task workers: claim, complete and return the tasks of their own organisation (an object
#: permission on the organisation: ``casebook.auth.RoleBackend``).
WORK_ON_TASK = "workflows.work_on_task"
#: The procesregisseur: assign, move, reassign and cancel tasks; run the case tables' agendas
#: and confirm their minutes.
ASSIGN_TASK = "workflows.assign_task"
#: ZVH staff: record the minutes of a sitting and the table's decisions (draft).
RECORD_MINUTES = "workflows.record_minutes"
#: Partner professionals: open a case outside the rules in an emergency, with a reason, for a
#: limited time, reviewed afterwards by the privacy officer (break the glass).
BREAK_THE_GLASS = "casebook.break_the_glass"
#: The privacy officer: the audit trail, the processing log and the access overview per youth.
VIEW_PROCESSING_LOG = "casebook.view_processing_log"
#: The privacy officer: mark an emergency access justified or not.
REVIEW_EMERGENCY_ACCESS = "casebook.review_emergency_access"
#: The privacy officer (and a second functioneel beheerder): approve a role grant that reaches
#: persons (four eyes); nobody approves a grant to themselves.
APPROVE_ROLE_GRANT = "casebook.approve_role_grant"

#: The functioneel beheerder: manage user accounts in the admin (Django's model permission).
MANAGE_USERS = "casebook.change_user"

#: The permissions that reach persons: a role holding any of them sees or changes youths, cases,
#: signals, tasks, groups or meetings, or the records about them, or decides who may. Such a
#: role is never given in the admin directly: the grant waits for a second person
#: (``casebook.services.roles``, ADR 0011). The one list; keep it in step with the names above.
REACHES_PERSONS = frozenset(
    {
        VIEW_ALL_CASES,
        TRANSITION_CASE,
        REGISTER_SIGNAL,
        WORK_ON_TASK,
        RUN_GROUP_APPROACH,
        ASSIGN_TASK,
        RECORD_MINUTES,
        BREAK_THE_GLASS,
        VIEW_PROCESSING_LOG,
        REVIEW_EMERGENCY_ACCESS,
        APPROVE_ROLE_GRANT,
        # Who may make accounts and roles decides who sees persons: a role with these would let
        # one beheerder make a helper account that asks grants he then approves himself.
        "casebook.add_user",
        MANAGE_USERS,
        "casebook.add_role",
        "casebook.change_role",
    }
)
