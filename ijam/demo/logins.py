# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo log-ins: one user per role (and a few partner organisations). Demo only."""

DEMO_PASSWORD = "Maastricht-2026"  # noqa: S105 - documented demo password, demo data only

#: (username, role code, organisation short name, first name, last name, is_staff)
DEMO_USERS: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("regisseur", "process_director", "ZVH", "Petra", "Hermans", False),
    ("ondersteuner", "process_support", "ZVH", "Noor", "Vliegen", False),
    ("politie", "partner", "Politie", "Wim", "Coenen", False),
    ("halt", "partner", "Halt", "Hanna", "Dassen", False),
    ("jeugdreclassering", "partner", "Jeugdreclassering", "Joost", "Ramakers", False),
    ("school", "partner", "Porta Mosana", "Sabine", "Lemmens", False),
    ("jongerenwerk", "partner", "Trajekt", "Youssef", "El Idrissi", False),
    ("stuurgroep", "steering_group", "Gemeente", "Karin", "Frissen", False),
    ("programma", "programme_manager", "Gemeente", "Anouk", "Wetzels", False),
    ("beheerder", "functional_admin", "Gemeente", "Bart", "Smeets", True),
    ("privacy", "privacy_officer", "Gemeente", "Fenna", "Janssen", False),
)

#: Colleagues who work the tasks the demo's group plans send to organisations without a demo
#: log-in (team Veiligheid, Team Jeugd, Leerplicht, the jeugdboa's, the housing corporations):
#: IJAM refuses work for an organisation where nobody holds a task-working role. Partner
#: professionals without a password: they do their work in the demo's story, nobody logs in
#: as them. (username, organisation short name, first name, last name)
DEMO_COLLEAGUES: tuple[tuple[str, str, str, str], ...] = (
    ("veiligheid", "Gemeente", "Lotte", "Bemelmans"),
    ("teamjeugd", "Team Jeugd", "Daan", "Houben"),
    ("leerplicht", "Leerplicht", "Ingrid", "Vossen"),
    ("jeugdboa", "Handhaving", "Rik", "Pluijmen"),
    ("servatius", "Servatius", "Mieke", "Schrijnemakers"),
    ("woonpunt", "Woonpunt", "Ruud", "Lardinois"),
    # Brugfunctionarissen of two schools that start signalling partway through the demo.
    ("terranigra", "Terra Nigra", "Sanne", "Jacobs"),
    ("bonnefanten", "Bonnefantencollege", "Tom", "Meertens"),
)

ROLE_NAMES = {
    "process_director": "Procesregisseur",
    "process_support": "Procesondersteuner",
    "partner": "Partnerprofessional",
    "steering_group": "Stuurgroeplid",
    "programme_manager": "Programmamanager",
    "functional_admin": "Functioneel beheerder",
    "privacy_officer": "Privacy officer",
}

#: (role, username, password) for the start command's banner and the README.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    (f"{ROLE_NAMES[role]} ({organisation})", username, DEMO_PASSWORD)
    for username, role, organisation, *_rest in DEMO_USERS
]
