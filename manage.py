#!/usr/bin/env python
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Django's command-line utility for administrative tasks."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ijam.settings")
    # On a developer's machine (neither DEBUG nor SECRET_KEY set) management commands use the
    # development settings, as ./ijam.sh start does. Production always sets SECRET_KEY, and the
    # web server (ijam.asgi) never takes this default.
    if not os.environ.get("DEBUG") and not os.environ.get("SECRET_KEY"):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
