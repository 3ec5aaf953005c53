# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor in tests (ADR 0014).

``conftest.py`` makes ``Client.force_login`` pass the second factor too: after the password
log-in it marks the session as verified by a real, confirmed TOTP device of that user (the
device's ``persistent_id`` under django-otp's session key), as the log-in step does. A test
about the step itself logs in with ``login_without_second_factor``; browser tests type the
code ``current_code`` computes (``tests/browser.py``)."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

_plain_force_login = Client.force_login


def app_of(user) -> TOTPDevice:
    """The user's authenticator app: the confirmed TOTP device, made if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def login_without_second_factor(client: Client, user) -> None:
    """Django's plain ``force_login``: signed in with the password, no second factor yet."""
    _plain_force_login(client, user)


def force_login_with_second_factor(self: Client, user, backend=None) -> None:
    _plain_force_login(self, user, backend)
    session = self.session
    session[DEVICE_ID_SESSION_KEY] = app_of(user).persistent_id
    session.save()


force_login_with_second_factor.__wrapped__ = _plain_force_login


def code_at(device: TOTPDevice, step: int) -> str:
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def current_code(device: TOTPDevice) -> str:
    """A code ``device`` accepts now, as the phone would show it. Each time step's code works
    once: when this step's was used already (a second log-in within 30 seconds), the next
    step's, which the device's tolerance accepts; when that one was used too, wait for it."""
    device.refresh_from_db()
    while True:
        now = ((int(time.time()) - device.t0) // device.step) + device.drift
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return code_at(device, step)
        time.sleep(1)


def wrong_code(device: TOTPDevice) -> str:
    """Six digits no step near now accepts."""
    now = ((int(time.time()) - device.t0) // device.step) + device.drift
    near = {code_at(device, now + offset) for offset in range(-3, 4)}
    return next(code for code in ("000000", "111111", "123456", "999999") if code not in near)
