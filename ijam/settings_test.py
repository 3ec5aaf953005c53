# SPDX-License-Identifier: AGPL-3.0-or-later
"""Settings for the test suite: the production settings with a fixed key and fast hashing.

Tests run against PostgreSQL like production: the service at DATABASE_URL when set, the
embedded server otherwise.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "ijam-test-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("IJAM_PSEUDONYM_KEY", "ijam-test-pseudonym-key-not-secret-0123456789")
os.environ.setdefault("IJAM_AUDIT_KEY", "ijam-test-audit-key-not-secret-0123456789abcdef")

from ijam.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# With REDIS_URL (CI) the live notifications go through Redis as in production, so the Redis
# path is what the tests exercise; each test process has its own prefix, so the groups of one
# xdist worker (user ids repeat between their databases) never reach another's sockets.
if REDIS_URL:  # noqa: F405 - from ijam.settings
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"ijam-test-{os.getpid()}"  # noqa: F405
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Each test process its own counters, emptied before every test (conftest.py): the duplicate
# check's rate limit of one test never spills into another, nor into another xdist worker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anchors of the audit chain never go to var/: each test gets its own folder (conftest.py).
IJAM_AUDIT_ANCHOR_DIR = Path("/nonexistent/ijam-test-audit-anchors")
