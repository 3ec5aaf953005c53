# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every task names a case or a group; a member's task also names the member's group.

Separate from 0012 so the backfill's deferred foreign-key checks have run before the table is
altered again."""

from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False  # NOT VALID, then VALIDATE: the task table stays writable

    dependencies = [("workflows", "0012_group_tasks")]

    operations = [
        AddConstraintNotValid(
            model_name='partnertask',
            constraint=models.CheckConstraint(condition=models.Q(('case__isnull', False), ('group__isnull', False), _connector='OR'), name='task_has_a_subject'),
        ),
        ValidateConstraint(model_name='partnertask', name='task_has_a_subject'),
        AddConstraintNotValid(
            model_name='partnertask',
            constraint=models.CheckConstraint(condition=models.Q(('group_member__isnull', True), ('group__isnull', False), _connector='OR'), name='member_task_names_group'),
        ),
        ValidateConstraint(model_name='partnertask', name='member_task_names_group'),
    ]
