# SPDX-License-Identifier: AGPL-3.0-or-later
"""/healthz tells a load balancer whether this instance can work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from workflows.jobs import heartbeat
from workflows.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthy_with_a_recent_worker_heartbeat(client):
    heartbeat(timestamp=0)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["migrations"] == "ok"
    assert body["worker_heartbeat_age_seconds"] < 5


def test_unhealthy_without_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "geen recente heartbeat"


def test_unhealthy_with_a_stale_heartbeat(client, settings):
    WorkerHeartbeat.objects.create(
        name="worker",
        beat_at=timezone.now() - dt.timedelta(seconds=settings.IJAM_WORKER_MAX_HEARTBEAT_AGE + 60),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker_heartbeat_age_seconds"] > settings.IJAM_WORKER_MAX_HEARTBEAT_AGE


def test_unhealthy_when_migrations_are_missing(client, monkeypatch):
    from ijam import health

    monkeypatch.setattr(health, "_check_migrations", lambda: (False, "1 niet toegepast"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 niet toegepast"
