# SPDX-License-Identifier: AGPL-3.0-or-later
"""When a ``SECRET_KEY`` is too weak for production.

The key signs sessions, password-reset links and CSRF tokens: whoever knows it can sign in as
anyone. ``ijam/settings.py`` refuses a weak key at import when ``DEBUG`` is off, so no entry
point starts with one (uvicorn, the worker, every ``manage.py`` command); the system check
``ijam.E001`` (``ijam/checks.py``) asks the same question of the settings a process actually
runs with, also when a deployment's own settings module sets the key after importing ours.

This module imports nothing of Django's apps: settings.py imports it.
"""

from __future__ import annotations

#: The key settings.py uses with DEBUG on. It is public (it is in this repository).
DEVELOPMENT_SECRET_KEY = "ijam-development-only-key-never-use-in-production-0123456789abcdef"  # noqa: S105

#: Django's own measure for a key it generates (``security.W009``): at least 50 characters,
#: at least 5 different ones.
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5

#: Values people type when asked for "a secret" (compared lower-case, stripped).
OBVIOUS_KEYS = frozenset(
    {"x", "secret", "secretkey", "secret_key", "changeme", "change-me", "password", "django"}
)


def weaknesses(key: str) -> list[str]:
    """Why ``key`` must not be used in production, in Dutch; empty when it may."""
    found = []
    if key == DEVELOPMENT_SECRET_KEY:
        found.append("het is de ontwikkelsleutel uit ijam/settings.py, die openbaar is")
    if key.strip().lower() in OBVIOUS_KEYS:
        found.append("het is een voor de hand liggende waarde")
    if key.startswith("django-insecure-"):
        found.append("het is een door Django gegenereerde ontwikkelsleutel (django-insecure-…)")
    if len(key) < MIN_LENGTH:
        found.append(f"hij is korter dan {MIN_LENGTH} tekens ({len(key)})")
    if len(set(key)) < MIN_UNIQUE_CHARACTERS:
        found.append(f"hij bevat minder dan {MIN_UNIQUE_CHARACTERS} verschillende tekens")
    return found


def refusal(key: str) -> str | None:
    """The Dutch message that refuses ``key`` in production, or None when it may be used."""
    found = weaknesses(key)
    if not found:
        return None
    return (
        "SECRET_KEY is te zwak voor productie: "
        + "; ".join(found)
        + '. Maak een sterke sleutel, bijvoorbeeld met: python -c "import secrets; '
        'print(secrets.token_urlsafe(64))", en zet die in SECRET_KEY.'
    )
