# SPDX-License-Identifier: AGPL-3.0-or-later
"""The access policy's table is what the docs say, and its rules hold per standard role."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from casebook import policy
from casebook.policy import Act, Subject
from tests import factories

pytestmark = pytest.mark.django_db


def test_docs_access_md_holds_the_table_the_code_computes():
    text = (Path(settings.BASE_DIR) / "docs" / "access.md").read_text()
    assert policy.rules_table() in text, "run ./ijam.sh manage access_table into docs/access.md"


@pytest.mark.parametrize("role", ["steering_group", "functional_admin", "privacy_officer"])
def test_roles_that_see_no_person_reach_no_person_kind(role, police):
    user = factories.user(role, police)
    for subject in (
        Subject.YOUTH,
        Subject.CASE,
        Subject.SIGNAL,
        Subject.TASK,
        Subject.GROUP,
        Subject.GROUP_MEMBER,
        Subject.MEETING,
        Subject.AGENDA_ITEM,
        Subject.MINUTES,
        Subject.DOCUMENT,
        Subject.CASE_SUMMARY,
    ):
        assert not policy.may(user, Act.VIEW, subject), (role, subject)
    assert not policy.cases(user).exists() and not policy.groups(user).exists()


def test_an_action_missing_from_the_table_is_allowed_to_nobody(director):
    assert not policy.may(director, Act.REVIEW, Subject.CASE)
    with pytest.raises(Exception, match="U heeft geen rechten"):
        policy.require(director, Act.REVIEW, Subject.CASE)
