# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures shared by every test: the cast of users a case involves."""

from __future__ import annotations

import os
import socket

import pytest
from django.test import Client

from casebook.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.second_factor import force_login_with_second_factor

# Every test client's ``force_login`` passes the second factor too (a real TOTP device of the
# user verifies the session), so the suite reaches the pages as a fully signed-in user. Set
# here, before any fixture of any scope logs in; the tests of the second-factor step itself
# use ``tests.second_factor.login_without_second_factor`` (ADR 0014).
Client.force_login = force_login_with_second_factor


@pytest.fixture(autouse=True)
def _no_outgoing_network(monkeypatch):
    """Tests never talk to the internet: only loopback and Unix sockets are allowed."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        if isinstance(address, tuple) and address[0] not in {"127.0.0.1", "::1", "localhost"}:
            raise RuntimeError(f"test tried to reach {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: no rate limit carries over from another test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _own_audit_anchors(settings, tmp_path):
    """Every test writes and reads the audit chain's anchors in a folder of its own."""
    settings.IJAM_AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"


@pytest.fixture
def zvh(db):
    return factories.zvh()


@pytest.fixture
def director(zvh):
    return factories.user(Role.PROCESS_DIRECTOR, zvh, first_name="Petra", last_name="Regisseur")


@pytest.fixture
def support(zvh):
    return factories.user(Role.PROCESS_SUPPORT, zvh)


# The partner organisations come with their one task worker (the ``…_worker`` fixture is that
# person): work is only ever sent to an organisation where someone may pick it up. A test about
# an organisation without task workers makes one with ``factories.organisation``.


@pytest.fixture
def police(zvh):
    return factories.staffed_organisation(
        OrganisationKind.POLITIE, "Politie Basisteam Maastricht", worker=("Wim", "Wijkagent")
    )


@pytest.fixture
def halt(zvh):
    return factories.staffed_organisation(
        OrganisationKind.HALT, "Halt Limburg", worker=("Hanna", "Halt")
    )


@pytest.fixture
def police_officer(police):
    return factories.task_worker(police)


@pytest.fixture
def halt_worker(halt):
    return factories.task_worker(halt)


@pytest.fixture
def youth_work(zvh):
    return factories.staffed_organisation(
        OrganisationKind.JONGERENWERK, "Trajekt jongerenwerk", worker=("Jesse", "Jongerenwerker")
    )


@pytest.fixture
def youth_worker(youth_work):
    return factories.task_worker(youth_work)


@pytest.fixture
def rio(zvh):
    """The re-integration officer (RIO) of the reference data, with a task worker."""
    org = Organisation.objects.filter(kind=OrganisationKind.RIO, is_active=True).first()
    org = org or factories.organisation(OrganisationKind.RIO, "RIO Limburg")
    factories.task_worker(org)
    return org


@pytest.fixture
def steering_member(db):
    org = factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht (test)")
    return factories.user(Role.STEERING_GROUP, org)


@pytest.fixture
def privacy_officer(db):
    org = factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht (privacy)")
    return factories.user(Role.PRIVACY_OFFICER, org, first_name="Fenna", last_name="Privacy")


@pytest.fixture
def case_awaiting(police_officer, zvh):
    """A new case opened by a police signal, awaiting screening."""
    return factories.signal(police_officer).case


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; without it they are skipped, except in CI."""
    if os.path.exists("/usr/bin/chromium") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="Debian-pakket chromium ontbreekt (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
