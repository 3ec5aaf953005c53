# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template filters for the PDF documents."""

from __future__ import annotations

import html
import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SAFE = re.compile(r"[A-Za-z0-9 ,.:()\-]")


@register.filter(is_safe=False)
def css_string(value) -> SafeString:
    """The text as the inside of a CSS string (``content: "…"`` in a page margin): every
    character outside a small safe set becomes a CSS hex escape, so a quote, a backslash, a
    brace, ``<`` or a newline in user text can never end the string, the rule or the style
    sheet. HTML entities from auto-escaping are decoded first, so the footer shows the text."""
    text = html.unescape(str(value))
    return mark_safe(  # noqa: S308 - every unsafe character is escaped just above
        "".join(ch if _SAFE.fullmatch(ch) else f"\\{ord(ch):06x}" for ch in text)
    )
