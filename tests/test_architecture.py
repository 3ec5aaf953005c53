# SPDX-License-Identifier: AGPL-3.0-or-later
"""The architecture is lint: the import-linter contracts in ``pyproject.toml`` (ADR 0009) hold
for the code as it is, and each fails when its rule is broken on purpose.

The breaks are made in a copy of the packages in a temporary folder, never in the tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("casebook", "workflows", "notifications", "reports", "ijam")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _copy(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=lambda folder, names: (
                [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]
                + ["__pycache__", "templates"]
            ),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own lint-imports, in our own copy
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_code_keeps_every_contract(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


BREAKS = {
    # The task engine calling a process (the circle the restructure removed).
    "The task engine knows none of the processes that use it": (
        "workflows/tasks/services.py",
        "from workflows.groups.services.steps import schedule_next_monitoring  # noqa",
    ),
    # The record calling into the task engine (signal intake opening the screening itself).
    "The record (casebook models, services, selectors) calls no process": (
        "casebook/services/signals.py",
        "from workflows.tasks.services import task_start  # noqa",
    ),
    # A read reaching up into the writes of its own process.
    "Each process package is layered": (
        "workflows/meetings/selectors.py",
        "from workflows.meetings.services import agenda_build  # noqa",
    ),
    # A service importing a page.
    "Services, selectors, records and machines never import a page": (
        "workflows/ladder/services.py",
        "from workflows.ladder.forms import TransitionForm  # noqa",
    ),
    # A figure reaching up into the published report (figures are raw reads; only the
    # report's service publishes them).
    "The reports app is layered": (
        "reports/figures/flows.py",
        "from reports.services import report  # noqa",
    ),
    # Two modules of one layer importing each other.
    "No module imports a module that imports it back": (
        "casebook/services/audit.py",
        "from casebook.services import youths  # noqa",
    ),
}


@pytest.mark.parametrize("contract", list(BREAKS))
def test_a_deliberate_break_fails_the_lint(tmp_path, contract):
    tree = _copy(tmp_path)
    module, line = BREAKS[contract]
    with (tree / module).open("a") as source:
        source.write(f"\n{line}\n")
    result = _lint(tree)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in " ".join(broken.split()), result.stdout
