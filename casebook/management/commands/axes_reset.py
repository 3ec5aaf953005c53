# SPDX-License-Identifier: AGPL-3.0-or-later
"""Refused: lift a lockout with ``manage.py login_unlock``, which is audited (ADR 0015)."""

from casebook.management.commands._axes_refused import RefusedAxesCommand as Command

__all__ = ["Command"]
