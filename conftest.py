# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures shared by every test: the cast of users a case involves."""

from __future__ import annotations

import os
import socket

import pytest

from casebook.models import OrganisationKind, Role
from tests import factories


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


@pytest.fixture
def zvh(db):
    return factories.zvh()


@pytest.fixture
def director(zvh):
    return factories.user(Role.PROCESS_DIRECTOR, zvh, first_name="Petra", last_name="Regisseur")


@pytest.fixture
def support(zvh):
    return factories.user(Role.PROCESS_SUPPORT, zvh)


@pytest.fixture
def police(zvh):
    return factories.organisation(OrganisationKind.POLITIE, "Politie Basisteam Maastricht")


@pytest.fixture
def halt(zvh):
    return factories.organisation(OrganisationKind.HALT, "Halt Limburg")


@pytest.fixture
def police_officer(police):
    return factories.user(Role.PARTNER, police, first_name="Wim", last_name="Wijkagent")


@pytest.fixture
def halt_worker(halt):
    return factories.user(Role.PARTNER, halt, first_name="Hanna", last_name="Halt")


@pytest.fixture
def youth_work(zvh):
    return factories.organisation(OrganisationKind.JONGERENWERK, "Trajekt jongerenwerk")


@pytest.fixture
def youth_worker(youth_work):
    return factories.user(Role.PARTNER, youth_work, first_name="Jesse", last_name="Jongerenwerker")


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
