# SPDX-License-Identifier: AGPL-3.0-or-later
"""The start command derives the owner's and the application's URLs from a superuser's."""

from __future__ import annotations

import pytest

from ijam.database_roles import url_user, url_with_user


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://postgres@/ijam?host=/srv/ijam/var/pgdata",
            "postgresql://ijam_app@/ijam?host=/srv/ijam/var/pgdata",
        ),
        (
            "postgres://postgres:geheim@127.0.0.1:5432/ijam",
            "postgres://ijam_app@127.0.0.1:5432/ijam",
        ),
        ("postgres://127.0.0.1:5432/ijam", "postgres://ijam_app@127.0.0.1:5432/ijam"),
    ],
)
def test_a_url_gets_the_role_and_loses_the_superusers_password(url, expected):
    assert url_with_user(url, "ijam_app") == expected
    assert url_user(expected) == "ijam_app"
