#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Regenerate requirements.lock (runtime, demo and test dependencies, pinned with hashes) from
# pyproject.toml's [project].dependencies and the [dependency-groups] demo and test groups.
#
# uv is only the developer tool that resolves and hashes; it is installed into a throw-away
# virtualenv. Installing the lock file needs nothing but plain pip:
#     python -m pip install --require-hashes -r requirements.lock
# (./ijam does that for you whenever requirements.lock changes.)
#
# Usage: scripts/lock.sh [extra uv pip compile options, e.g. --upgrade or --upgrade-package X]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION="0.13.9"
COMMAND=(uv pip compile pyproject.toml --group demo --group test --generate-hashes --python-version 3.11
         -o requirements.lock)

tool_venv="$(mktemp -d "${TMPDIR:-/tmp}/ijam-uv.XXXXXX")"
trap 'rm -rf "$tool_venv"' EXIT
python3 -m venv "$tool_venv"
"$tool_venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"

PATH="$tool_venv/bin:$PATH" "${COMMAND[@]}" --quiet "$@"

# Put the regeneration command on top of the file (uv's own header follows it).
header="# Regenerate with scripts/lock.sh, which runs: ${COMMAND[*]}"
tmp="$(mktemp)"
{ printf '%s\n' "$header"; grep -vxF "$header" requirements.lock; } >"$tmp"
mv "$tmp" requirements.lock
chmod 644 requirements.lock
echo "requirements.lock bijgewerkt / updated ($(grep -c '^[A-Za-z0-9]' requirements.lock) packages)."
