# SPDX-License-Identifier: AGPL-3.0-or-later
"""Django's minimum-length validator, with its Dutch message back.

Django 5.2 changed the validator's message to a ``%d`` placeholder, but its Dutch catalogue
still translates only the earlier ``%(min_length)d`` text, so a short password was refused in
English. This asks for that earlier text, which the catalogue has."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
