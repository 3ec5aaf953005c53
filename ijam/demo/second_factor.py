# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo users' second factor (ADR 0014): painless in the local demo, impossible elsewhere.

Each demo user's authenticator-app secret is derived from the username, so it is the same in
every fresh demo database: ``./ijam.sh start`` prints it as an ``otpauth://`` URI (a phone app
adds it from that, or from a QR code made of it), and ``./ijam.sh manage demo_code regisseur``
prints the code of the moment. The secrets are public, like the demo password: both the
seeding and the code refuse to work unless ``DEBUG`` is on.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.db import transaction
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ijam.demo.logins import DEMO_USERS

DEMO_ONLY = (
    "Demo-codes voor de tweede factor bestaan alleen in de lokale demo (DEBUG=1). "
    "Met DEBUG uit stelt iedereen bij het eerste inloggen zelf een app in."
)
DEMO_USERNAMES = tuple(username for username, *_rest in DEMO_USERS)


class DemoOnly(Exception):
    """A demo shortcut asked for with ``DEBUG`` off."""

    def __init__(self, message: str = DEMO_ONLY):
        super().__init__(message)
        self.message = message


def _require_debug() -> None:
    if not settings.DEBUG:
        raise DemoOnly


def demo_key(username: str) -> str:
    """The demo user's TOTP secret (20 bytes, hex), derived from the username: public."""
    return hashlib.sha256(f"ijam-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_otpauth_uri(username: str) -> str:
    """The ``otpauth://`` URI of the demo user's app, exactly as the device in the database
    gives it (``TOTPDevice.config_url``); made without the database, for the start banner."""
    from casebook.models import User

    _require_debug()
    return TOTPDevice(user=User(username=username), key=demo_key(username)).config_url


def demo_otpauth_uris() -> list[tuple[str, str]]:
    """(username, otpauth URI) of every demo log-in; refuses with ``DEBUG`` off."""
    _require_debug()
    return [(username, demo_otpauth_uri(username)) for username in DEMO_USERNAMES]


def seed_demo_apps() -> list[str]:
    """Give every demo user without an app the demo app (a confirmed TOTP device with the
    derived secret), so the demo needs no enrolment; a user who set up an app of their own
    keeps it. Idempotent. Refuses with ``DEBUG`` off (``DemoOnly``). Returns the usernames
    that got one."""
    from casebook.models import User

    _require_debug()
    seeded = []
    with transaction.atomic():
        for user in User.objects.filter(username__in=DEMO_USERNAMES).order_by("username"):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                continue
            TOTPDevice.objects.create(
                user=user, name="demo-app", key=demo_key(user.username), confirmed=True
            )
            seeded.append(user.username)
    return seeded


def demo_code(username: str) -> tuple[str, int]:
    """The code the demo user's app shows now, and the seconds it stays valid. A code works
    once: when this 30-second step's code was used already, the next step's (which IJAM
    accepts too). Refuses with ``DEBUG`` off, for anyone who is not a demo user, and for a
    demo user who set up an app of their own (``DemoOnly``)."""
    from casebook.models import User

    _require_debug()
    if username not in DEMO_USERNAMES:
        raise DemoOnly(
            f"{username!r} is geen demo-gebruiker; kies uit: {', '.join(DEMO_USERNAMES)}."
        )
    device = TOTPDevice.objects.filter(
        user__in=User.objects.filter(username=username), confirmed=True, key=demo_key(username)
    ).first()
    if device is None:
        raise DemoOnly(
            f"{username} heeft geen demo-app (een eigen app ingesteld, of geen demo-gegevens): "
            "gebruik de app op uw telefoon."
        )
    now = time.time()
    current = (int(now) - device.t0) // device.step + device.drift
    step = max(current, device.last_t + 1)
    valid = (step - current + 1) * device.step - (int(now) - device.t0) % device.step
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}", valid
