# SPDX-License-Identifier: AGPL-3.0-or-later
"""Rendering IJAM's documents to PDF (WeasyPrint). Every PDF goes through ``to_pdf``."""

from __future__ import annotations


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
