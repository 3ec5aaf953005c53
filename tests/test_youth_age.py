# SPDX-License-Identifier: AGPL-3.0-or-later
"""Youths are 8 to 27 inclusive at registration."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from casebook.errors import ValidationFailed
from casebook.models import Youth
from casebook.models.youths import age_on
from casebook.services.youths import youth_create
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("date_of_birth", "allowed"),
    [
        (dt.date(2018, 11, 28), True),  # 8 today
        (dt.date(2018, 11, 29), False),  # 8 tomorrow: still 7
        (dt.date(1998, 11, 29), True),  # 27, turns 28 tomorrow
        (dt.date(1998, 11, 28), False),  # 28 today
        (dt.date(2027, 1, 1), False),  # not born yet
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False)
def test_age_bounds_at_registration(director, date_of_birth, allowed):
    data = factories.youth_data(date_of_birth=date_of_birth)
    if allowed:
        youth = youth_create(actor=director, data=data)
        assert youth.registered_on == TODAY
    else:
        with pytest.raises(ValidationFailed) as excinfo:
            youth_create(actor=director, data=data)
        assert excinfo.value.field_errors["date_of_birth"]
        assert not Youth.objects.filter(date_of_birth=date_of_birth).exists()


def test_the_error_says_what_the_bounds_are(director):
    with pytest.raises(ValidationFailed) as excinfo:
        youth_create(actor=director, data=factories.youth_data(age=30))
    assert "8 tot en met 27 jaar" in excinfo.value.message
    assert "30 jaar" in excinfo.value.message


def test_leap_day_birthday_counts_on_first_of_march():
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 17
    assert age_on(born, dt.date(2026, 3, 1)) == 18
