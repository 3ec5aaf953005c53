# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the record announces, so that processes can act on it without the record calling
into them (``casebook`` services never import ``workflows`` services).

Receivers run synchronously, inside the transaction of the change they are told about: an
exception in a receiver rolls the change back. ``workflows.apps`` connects them.
"""

from __future__ import annotations

from django.dispatch import Signal as Event

#: A new case was opened (by a signal about a youth without an open case): ``case``, ``actor``.
#: The ladder opens the screening task for it.
case_opened = Event()
