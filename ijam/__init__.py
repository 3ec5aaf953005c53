# SPDX-License-Identifier: AGPL-3.0-or-later
"""IJAM: case-coordination workflow engine for the Integrale Jeugdaanpak Maastricht."""
