# SPDX-License-Identifier: AGPL-3.0-or-later
"""Production settings pass Django's deploy checks; the README matches the demo data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ijam.demo.logins import DEMO_PASSWORD, DEMO_USERS

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijam.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x9Q#" * 12,
        "IJAM_AUDIT_KEY": "a-long-random-audit-key-" + "k7W!" * 8,
        "ALLOWED_HOSTS": "ijam.maastricht.example",
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


@pytest.mark.parametrize(
    ("audit_key", "message"),
    [
        (None, "Zet IJAM_AUDIT_KEY"),
        ("too-short-a-key", "IJAM_AUDIT_KEY moet minstens 32 tekens lang zijn"),
    ],
)
def test_production_refuses_to_start_without_a_proper_audit_key(audit_key, message):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijam.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x9Q#" * 12,
    }
    env.pop("IJAM_AUDIT_KEY", None)
    if audit_key is not None:
        env["IJAM_AUDIT_KEY"] = audit_key
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_without_a_pseudonym_key():
    """The processing log's pseudonyms need a key of their own; no default in production."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijam.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x9Q#" * 12,
        "IJAM_AUDIT_KEY": "a-long-random-audit-key-" + "k7W!" * 8,
    }
    for key, message in ((None, "IJAM_PSEUDONYM_KEY"), ("too-short", "32 tekens")):
        env.pop("IJAM_PSEUDONYM_KEY", None)
        if key is not None:
            env["IJAM_PSEUDONYM_KEY"] = key
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert message in result.stderr


def test_the_readme_documents_every_setting_read_from_the_environment():
    """Every environment variable ``ijam/settings.py`` reads has a row in the README's table."""
    settings_source = (ROOT / "ijam" / "settings.py").read_text()
    read = re.compile(r'(?:environ\.get|env_bool|env_list|_rate)\(\s*"([A-Z_]+)"')
    names = set(read.findall(settings_source))
    readme = (ROOT / "README.md").read_text()
    assert names  # the pattern still finds them
    missing = sorted(name for name in names if f"| `{name}` |" not in readme)
    assert missing == []


def test_readme_lists_every_demo_login():
    readme = (ROOT / "README.md").read_text()
    for username, *_rest in DEMO_USERS:
        assert f"`{username}`" in readme
    assert DEMO_PASSWORD in readme
