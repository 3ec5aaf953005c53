#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# IJAM's entry point for developers:  ./ijam.sh start | test | bench | manage …  (./ijam.sh --help)
#
# Makes sure .venv exists (Python 3.11), installs requirements.lock into it with plain pip
# whenever the lock file changed since the last install, then runs `python -m ijam`.
# (The script cannot be called ./ijam: that name is the Django package directory.)
set -euo pipefail

# The repository root is the nearest folder upwards that holds manage.py, so this script keeps
# working if it is moved (e.g. to bin/).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
while [ ! -f "$ROOT/manage.py" ] && [ "$ROOT" != "/" ]; do ROOT="$(dirname "$ROOT")"; done
cd "$ROOT"
VENV="$ROOT/.venv"
LOCK="$ROOT/requirements.lock"
STAMP="$VENV/.ijam-lock-sha256"

say() { printf 'ijam: %s\n' "$*" >&2; }

is_python311() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' >/dev/null 2>&1
}

find_python311() {
    local candidate
    for candidate in ${IJAM_PYTHON:-} python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && is_python311 "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ -x "$VENV/bin/python" ] && is_python311 "$VENV/bin/python"; then
        return 0
    fi
    local python
    if ! python="$(find_python311)"; then
        say "Python 3.11 is nodig, maar niet gevonden (geprobeerd: python3.11, python3)."
        say "Python 3.11 is required but was not found (tried: python3.11, python3)."
        say "Installeer / install Python 3.11 (Debian/Ubuntu: apt-get install python3.11 python3.11-venv)"
        say "of wijs / or point IJAM_PYTHON to a Python 3.11 interpreter."
        exit 1
    fi
    if [ -e "$VENV" ]; then
        say ".venv is geen werkende Python 3.11: opnieuw aanmaken / .venv is not a working Python 3.11: recreating."
        rm -rf "$VENV"
    fi
    say "Virtuele omgeving aanmaken / creating virtualenv .venv ($("$python" --version 2>&1))"
    if ! "$python" -m venv "$VENV"; then
        rm -rf "$VENV"
        say "Kon .venv niet aanmaken / could not create .venv (Debian/Ubuntu: apt-get install python3.11-venv)"
        exit 1
    fi
}

lock_sha256() {
    "$VENV/bin/python" -c \
        'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$LOCK"
}

ensure_requirements() {
    if [ ! -f "$LOCK" ]; then
        say "requirements.lock ontbreekt / is missing: regenerate it with scripts/lock.sh"
        exit 1
    fi
    local want have=""
    want="$(lock_sha256)"
    if [ -f "$STAMP" ]; then have="$(cat "$STAMP")"; fi
    if [ "$want" = "$have" ]; then return 0; fi
    say "Afhankelijkheden installeren / installing dependencies from requirements.lock …"
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
            --require-hashes -r "$LOCK"; then
        say "Installeren mislukt / installation failed (see pip's message above)."
        exit 1
    fi
    printf '%s\n' "$want" >"$STAMP"
}

ensure_venv
if command -v flock >/dev/null 2>&1; then
    # Two commands started at once must not install into .venv at the same time.
    exec 9>"$VENV/.ijam-install.lock"
    flock 9
    ensure_requirements
    flock -u 9
    exec 9>&-
else
    ensure_requirements
fi

exec "$VENV/bin/python" -m ijam "$@"
