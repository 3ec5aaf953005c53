# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads from the record, already filtered to what the asking user may see."""
