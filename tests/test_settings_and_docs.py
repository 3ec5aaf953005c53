# SPDX-License-Identifier: AGPL-3.0-or-later
"""Production settings pass Django's deploy checks; the README matches the demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ijam.demo.logins import DEMO_PASSWORD, DEMO_USERS

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijam.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x9Q#" * 12,
        "ALLOWED_HOSTS": "ijam.maastricht.example",
        "IJAM_PSEUDONYM_KEY": "a-long-random-pseudonym-key-" + "k7W!" * 8,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ijam.settings", "DEBUG": "0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_pseudonym_key():
    """The processing log's pseudonyms need a key of their own; no default in production."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijam.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x9Q#" * 12,
    }
    env.pop("IJAM_PSEUDONYM_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "IJAM_PSEUDONYM_KEY" in result.stderr
    env["IJAM_PSEUDONYM_KEY"] = "too-short"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "32 tekens" in result.stderr


def test_readme_lists_every_demo_login():
    readme = (ROOT / "README.md").read_text()
    for username, *_rest in DEMO_USERS:
        assert f"`{username}`" in readme
    assert DEMO_PASSWORD in readme
