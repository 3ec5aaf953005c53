# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo log-ins: one user per role (and a few partner organisations). Demo only."""

DEMO_PASSWORD = "Maastricht-2026"  # noqa: S105 - documented demo password, demo data only

#: (username, role code, organisation kind, first name, last name, is_staff)
DEMO_USERS: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("regisseur", "process_director", "zvh", "Petra", "Hermans", False),
    ("ondersteuner", "process_support", "zvh", "Noor", "Vliegen", False),
    ("politie", "partner", "politie", "Wim", "Coenen", False),
    ("halt", "partner", "halt", "Hanna", "Dassen", False),
    ("jeugdreclassering", "partner", "gi", "Joost", "Ramakers", False),
    ("school", "partner", "school", "Sabine", "Lemmens", False),
    ("jongerenwerk", "partner", "jongerenwerk", "Youssef", "El Idrissi", False),
    ("stuurgroep", "steering_group", "gemeente", "Karin", "Frissen", False),
    ("beheerder", "functional_admin", "gemeente", "Bart", "Smeets", True),
)

ROLE_NAMES = {
    "process_director": "Procesregisseur",
    "process_support": "Procesondersteuner",
    "partner": "Partnerprofessional",
    "steering_group": "Stuurgroeplid",
    "functional_admin": "Functioneel beheerder",
}

#: (role, username, password) for the start command's banner and the README.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    (f"{ROLE_NAMES[role]} ({kind})", username, DEMO_PASSWORD)
    for username, role, kind, *_rest in DEMO_USERS
]
