# SPDX-License-Identifier: AGPL-3.0-or-later
from notifications.selectors import unread_count


def unread_notifications(request):
    """The unread count in the header (kept current live over the websocket)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
