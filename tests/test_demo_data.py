# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo year a newcomer gets from `./ijam.sh start` loads through the real services: the
ladder, the tasks and the four youth groups at their steps, with an intact audit trail."""

from __future__ import annotations

import pytest

from casebook.models import Case, Group, GroupParticipant, Youth
from casebook.services.audit import ChainBreak, verify_chain
from ijam.demo.generator import seed_demo
from workflows.groups.steps import GroupStep
from workflows.tasks.models import PartnerTask

pytestmark = pytest.mark.django_db


def test_the_demo_year_loads_through_the_services():
    assert seed_demo(youths=5, log=lambda _message: None)
    steps = dict(Group.objects.values_list("name", "step"))
    assert steps == {
        "Mosae Forum": GroupStep.EXECUTE,
        "Groep Caberg": GroupStep.ADVISE,
        "Groep Pottenberg": GroupStep.INTERPRET,
        "Online groep Wittevrouwenveld": GroupStep.ASSESS,
    }
    mosae = Group.objects.get(name="Mosae Forum")
    current = mosae.members.filter(left_on__isnull=True)
    assert 85 <= current.count() <= 95
    # Most from Maastricht, some from the Heuvelland municipalities (the plan's example).
    outside = current.filter(youth__neighbourhood__district__code="HEUVELLAND").count()
    assert 0 < outside < current.count() // 3
    assert not mosae.plan_actions.filter(task__isnull=True).exists()  # the plan was adopted
    assert PartnerTask.objects.filter(group=mosae, task_type__code="groepsmonitoring").exists()
    executing = mosae.participants.filter(access=GroupParticipant.Access.EXECUTING)
    assert executing.filter(organisation__kind="jongerenwerk").exists()
    assert not mosae.participants.filter(organisation__kind="zvh").exists()
    assert Case.objects.exists() and Youth.objects.count() > 90
    assert not [item for item in verify_chain() if isinstance(item, ChainBreak)]
    assert seed_demo(youths=5, log=lambda _message: None) is False  # once only


def test_the_benchmark_data_generators_make_valid_rows():
    """The bench fills 100,000 cases and 1,000,000 tasks with these; here a handful, checked
    through the models (every NOT NULL column filled, viewflow rows in place)."""
    from casebook.models import Organisation, User
    from ijam.demo import scale
    from workflows.tasks.selectors import InboxFilters, inbox

    seed_demo(youths=5, log=lambda _message: None)
    cases = Case.objects.count()
    scale.generate(20)
    assert Case.objects.count() == cases + 20
    halt = Organisation.objects.get(kind="halt")
    scale.generate_tasks(50, organisation_open=10, organisation_id=halt.pk)
    tasks = PartnerTask.objects.filter(instruction__startswith="Schaalgegevens")
    assert tasks.count() == 50
    assert tasks.filter(organisation=halt).count() == 10
    assert all(task.case_id and task.level_flow == "" for task in tasks)
    worker = User.objects.get(username="halt")
    assert (
        inbox(worker, InboxFilters(state="all"))
        .filter(instruction__startswith="Schaalgegevens")
        .count()
        == 10
    )
