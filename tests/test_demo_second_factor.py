# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo's second factor (issue 12, ADR 0014): `./ijam.sh start` prints every demo user's
otpauth URI and `./ijam.sh manage demo_code regisseur` the code of the moment, which the
log-in step accepts; with DEBUG off neither shortcut works."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebook.models import User
from ijam.demo.logins import DEMO_USERS
from ijam.demo.second_factor import (
    DEMO_ONLY,
    DemoOnly,
    demo_key,
    demo_otpauth_uris,
    seed_demo_apps,
)
from tests.second_factor import login_without_second_factor

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = [username for username, *_rest in DEMO_USERS]


def _seed(**options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", youths=5, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_seed_demo_prints_the_apps_and_demo_code_gives_a_code_the_log_in_accepts(client):
    # With DEBUG off (production): the demo data loads, but no demo app, and a message why.
    out, err = _seed()
    assert DEMO_ONLY in err and "otpauth://" not in out
    assert not TOTPDevice.objects.exists()

    with override_settings(DEBUG=True):
        out, _err = _seed()
        uris = dict(re.findall(r"^  (\S+)\s+(otpauth://totp/\S+)$", out, re.MULTILINE))
        assert sorted(uris) == sorted(DEMO_USERNAMES)
        regisseur = User.objects.get(username="regisseur")
        device = TOTPDevice.objects.get(user=regisseur, confirmed=True)
        assert uris["regisseur"] == device.config_url
        assert uris["regisseur"].startswith("otpauth://totp/IJAM%20Maastricht%3Aregisseur?secret=")
        _seed()  # a second start adds nothing
        assert TOTPDevice.objects.filter(user=regisseur).count() == 1

        code = io.StringIO()
        call_command("demo_code", "regisseur", stdout=code, stderr=io.StringIO())
        printed = code.getvalue().strip()
        assert re.fullmatch(r"\d{6}", printed)

    # The printed code passes the log-in step (whatever DEBUG is: it is a real device).
    login_without_second_factor(client, regisseur)
    response = client.post("/tweede-factor/", {"code": printed})
    assert response.status_code == 302
    assert client.get("/meldingen/").status_code == 200
    with override_settings(DEBUG=True):  # used once: demo_code now gives the next one
        again = io.StringIO()
        call_command("demo_code", "regisseur", stdout=again, stderr=io.StringIO())
        assert again.getvalue().strip() != printed


def test_demo_code_refuses_with_debug_off(db):
    with pytest.raises(CommandError, match="alleen in de lokale demo"):
        call_command("demo_code", "regisseur", stdout=io.StringIO())
    with pytest.raises(DemoOnly):
        seed_demo_apps()
    with pytest.raises(DemoOnly):
        demo_otpauth_uris()


@override_settings(DEBUG=True)
def test_demo_code_is_for_demo_users_with_the_demo_app_only(db):
    with pytest.raises(CommandError, match="geen demo-gebruiker"):
        call_command("demo_code", "admin", stdout=io.StringIO())
    with pytest.raises(CommandError, match="geen demo-app"):  # no demo data (or an own app)
        call_command("demo_code", "regisseur", stdout=io.StringIO())


def test_the_start_banner_prints_the_apps_only_with_debug_on(capsys):
    from ijam.__main__ import _print_banner

    with override_settings(DEBUG=True):
        _print_banner("http://127.0.0.1:8000/", worker=True)
    banner = capsys.readouterr().out
    assert "manage demo_code regisseur" in banner
    for username in DEMO_USERNAMES:
        assert f"otpauth://totp/IJAM%20Maastricht%3A{username}?secret=" in banner
    assert len(demo_key("regisseur")) == 40

    with override_settings(DEBUG=False):
        _print_banner("http://127.0.0.1:8000/", worker=True)
    assert "otpauth://" not in capsys.readouterr().out
