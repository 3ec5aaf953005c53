# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes to the record. Every function here is transactional and writes its audit events."""
