# SPDX-License-Identifier: AGPL-3.0-or-later
"""The targets of the plan of approach Preventie met Gezag (seed-brief §7.1), and the
programme manager who records the ones IJAM cannot measure.

Measured (a measure from ``reports.measures``): K5, K8, K10, K14, K17, K19. Manual: K1–K4,
K11, K12. K14's buurten are left for the functioneel beheerder: the plan does not say which
areas get the intensified youth work (seed gap); K5 counts the meeting series marked as
interpretation session. K14's target of 10 % more is our reading of "aantoonbaar
meer" (ADR 0023), to be set by the stuurgroep.
"""

import datetime as dt

from django.contrib.auth.management import create_permissions
from django.db import migrations

START = dt.date(2024, 1, 1)
END_2024, END_2025, END_2026 = dt.date(2024, 12, 31), dt.date(2025, 12, 31), dt.date(2026, 12, 31)

# code, name, target text, pillar, measure, target value, unit, target date
KPIS = [
    ("K5", "Maandelijkse duidingsbijeenkomsten",
     "In 2026 hebben er minimaal 20 opeenvolgende (maandelijkse) duidingsbijeenkomsten "
     "plaatsgevonden.", "1", "consecutive_sessions", 20, "bijeenkomsten", END_2026),
    ("K8", "Signalen van scholen en organisaties",
     "In 2026 hebben we minimaal 300 signalen in beeld van jeugdigen die (mogelijk) dreigen toe "
     "te treden tot de criminaliteit, afkomstig van alle scholen en organisaties in de "
     "programmastructuur Preventie met Gezag.", "2", "signals_received", 300, "signalen",
     END_2026),
    ("K10", "Alle PO- en VO-scholen verbonden",
     "In 2026 zijn alle Maastrichtse VO- en PO-scholen verbonden aan het programma Preventie "
     "met Gezag (verbonden: de school meldde ten minste één signaal).", "2",
     "schools_connected", 100, "%", END_2026),
    ("K14", "Meer signalen uit gebieden met geïntensiveerd jongerenwerk",
     "In 2026 ontvangen we aantoonbaar meer signalen uit gebieden waar de coördinatie "
     "jongerenwerk is geïntensiveerd.", "2", "signals_from_areas", 10, "%", END_2026),
    ("K17", "Jongeren in de aanpak jonge aanwas en doorgroeiers",
     "Er zitten eind 2025 minimaal 30 jeugdigen in de aanpak die voldoen aan de criteria voor "
     "jonge aanwas of doorgroeiers.", "3", "youths_in_approach", 30, "jongeren", END_2025),
    ("K19", "Groepsaanpak volgens het 7-stappenmodel",
     "In 2026 hebben we de groepsaanpak volgens het 7-stappenmodel vormgegeven en "
     "geïmplementeerd (ten minste één groepsaanpak doorliep alle zeven stappen).", "3",
     "groups_full_cycle", 1, "groepsaanpakken", END_2026),
    ("K1", "Sterke samenwerking met de netwerkpartners",
     "In 2026 hebben we een sterke samenwerking opgebouwd met alle cruciale netwerkpartners en "
     "een betere integrale informatiepositie.", "1", "", None, "", END_2026),
    ("K2", "Actieplan met criteria voor de informatiepositie",
     "In 2024 formuleren we in een actieplan samen met de partners specifieke criteria waaraan "
     "de informatiepositie in 2026 moet voldoen.", "1", "", None, "", END_2024),
    ("K3", "Partners oordelen positief over de samenwerking",
     "De netwerkpartners beoordelen de samenwerking in 2026 als positief; de informatiepositie "
     "wordt aantoonbaar gebruikt om keuzes te maken.", "1", "", None, "", END_2026),
    ("K4", "Preventieve en justitiële partners vinden elkaar",
     "In 2026 weten preventieve en justitiële partners elkaar te vinden en ontmoeten zij "
     "elkaar regelmatig.", "1", "", None, "", END_2026),
    ("K11", "Afspraken met scholen over training",
     "In 2024 zijn met de scholen afspraken gemaakt over een vraaggerichte invulling van de "
     "trainingsbehoefte van leerlingen en docenten.", "2", "", None, "", END_2024),
    ("K12", "Docenten getraind op iedere school",
     "In 2026 is op iedere school minimaal 50% van de docenten getraind.", "2", "", 50, "%",
     END_2026),
]


def forwards(apps, schema_editor):
    Kpi = apps.get_model("reports", "Kpi")
    for order, (code, name, text, pillar, measure, target, unit, target_date) in enumerate(KPIS):
        Kpi.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "target_text": text, "pillar": pillar, "measure": measure,
                "target_value": target, "unit": unit, "start_date": START,
                "target_date": target_date, "order": order,
            },
        )
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Role = apps.get_model("casebook", "Role")
    Permission = apps.get_model("auth", "Permission")
    manager, _ = Role.objects.update_or_create(
        code="programme_manager",
        defaults={
            "name": "Programmamanager",
            "description": "Secretaris van de stuurgroep: leest de rapportages en het "
            "KPI-dashboard (alleen geaggregeerde cijfers) en legt de stand vast van de "
            "doelstellingen die IJAM niet kan meten.",
        },
    )
    manager.permissions.set(
        Permission.objects.filter(
            content_type__app_label="casebook", codename="view_aggregate_reports"
        )
        | Permission.objects.filter(content_type__app_label="reports", codename="record_kpi_value")
    )
    for role in Role.objects.filter(code="functional_admin"):
        role.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="reports",
                codename__in=["view_kpi", "add_kpi", "change_kpi"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_kpi_dashboard"), ("casebook", "0036_school_types")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
