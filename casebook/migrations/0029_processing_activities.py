# SPDX-License-Identifier: AGPL-3.0-or-later
"""The register of processing activities, seeded with IJAM's activities (ADR 0017). A draft for
the privacy officer to confirm: the grounds follow the plan's frameworks (the ZVH covenant for
the PGA level, the modelconvenant Jeugdgroepaanpak for groups, AVG art. 6(1)(e) throughout,
the Wpg and Wjsg where police and justice data are shared); the terms follow issue 13's
starting points. Every change after this is a new version (a new identifier)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

YOUTHS = "Jongeren en jongvolwassenen (8-27 jaar) en, bij de systeemaanpak, hun gezinsleden"
IDENTITY = "naam, geboortedatum, buurt/wijk, familierelaties"

ACTIVITIES = [
    {
        "code": "signaal",
        "name": "Signaal registreren en beoordelen",
        "purpose": "Zorgen over een jongere die een partner meldt vastleggen, bundelen met eerdere "
        "signalen en screenen of de jongere in de IJAM-aanpak instroomt; de melder terugkoppeling "
        "geven.",
        "legal_bases": ["avg_6_1_e", "avg_10_uavg_33", "wpg", "jeugdwet"],
        "legal_basis_note": "Taak van algemeen belang van de gemeente (openbare orde, jeugd); "
        "strafrechtelijke gegevens binnen het samenwerkingsverband (UAVG art. 33); signalen van "
        "de politie op grond van Wpg art. 20.",
        "data_subjects": YOUTHS,
        "data_categories": f"{IDENTITY}; de zorg (categorie, omschrijving, datum); de melder en "
        "zijn organisatie; het screeningsbesluit",
        "retention_months": 12,
        "retention_note": "Niet opgepakt: 1 jaar na het besluit; opgepakt: volgt de casus.",
    },
    {
        "code": "casusregie",
        "name": "Casusregie op de IJAM-ladder (netwerkoverleg risicojeugd, overleg jonge aanwas, "
        "PGA)",
        "purpose": "De gecoördineerde aanpak van een jongere of gezin: niveau op de ladder, op- en "
        "afschalen, plan van aanpak per leefgebied, interventies, betrokken organisaties, "
        "afsluiten.",
        "legal_bases": ["avg_6_1_e", "zvh_convenant", "avg_10_uavg_33", "wpg", "wjsg"],
        "legal_basis_note": "PGA en complexe casuïstiek onder het convenant Zorg- en "
        "Veiligheidshuis; politie- en justitiële gegevens op grond van Wpg art. 20 en Wjsg "
        "art. 39f, alleen waar de casus een strafrechtelijke component heeft.",
        "data_subjects": YOUTHS,
        "data_categories": f"{IDENTITY}; niveau en besluiten; plan van aanpak en interventies; "
        "strafrechtelijke component; betrokken organisaties",
        "retention_months": 60,
        "retention_note": "5 jaar na het afsluiten van de casus.",
    },
    {
        "code": "partnertaken",
        "name": "Partnertaken",
        "purpose": "Werk dat een partner voor een casus of groep uitvoert: informatie aanleveren, "
        "een interventie uitvoeren, terugrapporteren, met termijnen en rappel.",
        "legal_bases": ["avg_6_1_e", "zvh_convenant", "jeugdwet"],
        "legal_basis_note": "Uitvoering van de afspraken in de casusregie; de partner verwerkt "
        "alleen wat de taak vraagt.",
        "data_subjects": YOUTHS,
        "data_categories": "naam en geboortedatum; de opdracht, de termijn, het resultaat en de "
        "reden van teruggeven",
        "retention_months": 60,
        "retention_note": "5 jaar na het afsluiten van de casus of groepsaanpak.",
    },
    {
        "code": "casustafels",
        "name": "Casustafels en verslaglegging",
        "purpose": "Zittingen van de casustafels voorbereiden (agenda), bespreken, besluiten "
        "vastleggen in het verslag en de agenda en het verslag per genodigde organisatie "
        "verstrekken.",
        "legal_bases": ["avg_6_1_e", "zvh_convenant", "avg_10_uavg_33", "wpg", "wjsg"],
        "legal_basis_note": "Het OM en de politie nemen deel en verstrekken alleen bij een "
        "strafrechtelijke component (Wpg art. 20, Wjsg art. 39f).",
        "data_subjects": YOUTHS,
        "data_categories": "naam, geboortedatum, buurt; agendapunt, aanwezigen, samenvatting en "
        "besluiten",
        "retention_months": 60,
        "retention_note": "5 jaar na het afsluiten van de besproken casus.",
    },
    {
        "code": "groepsaanpak",
        "name": "Groepsaanpak problematische jeugdgroepen (7-stappenmodel)",
        "purpose": "Signalen over groepsgedrag delen, de groep beoordelen en duiden, het plan van "
        "aanpak maken, uitvoeren en monitoren, leden doorverwijzen naar de ladder.",
        "legal_bases": ["modelconvenant_jga", "avg_6_1_e", "avg_10_uavg_33", "wpg"],
        "legal_basis_note": "Regie bij de burgemeester; de groepsscan en de ledenlijst van de "
        "politie op grond van Wpg art. 20 binnen het modelconvenant Jeugdgroepaanpak.",
        "data_subjects": "Leden van een problematische jeugdgroep",
        "data_categories": "naam, geboortedatum, buurt; rol en kleur (rood, oranje, geel) in de "
        "groep; acties uit het plan van aanpak",
        "retention_months": 60,
        "retention_note": "5 jaar na het afronden van de groepsaanpak.",
    },
    {
        "code": "stuurinformatie",
        "name": "Stuurinformatie (geaggregeerd)",
        "purpose": "Doorlooptijden en aantallen voor de stuurgroep; alleen tellingen, kleine "
        "aantallen onderdrukt: geen betrokkene is herkenbaar, er worden geen regels per persoon "
        "gelogd.",
        "legal_bases": ["avg_6_1_e"],
        "legal_basis_note": "Verantwoording over de aanpak; verwerkt geen herleidbare gegevens.",
        "data_subjects": "Geen (geaggregeerd)",
        "data_categories": "aantallen per niveau, wijk, stap en kleur",
        "retention_months": 60,
        "retention_note": "Tellingen blijven; ze bevatten geen persoonsgegevens.",
    },
    {
        "code": "privacytoezicht",
        "name": "Privacytoezicht en inzageverzoeken",
        "purpose": "Toezicht door de privacyfunctionaris: toegangsoverzicht per jongere, "
        "beoordeling van doorbraken, beantwoorden van inzageverzoeken (AVG art. 15).",
        "legal_bases": ["avg_5_2_30", "avg_6_1_e"],
        "legal_basis_note": "Verantwoordingsplicht (AVG art. 5 lid 2) en het recht op inzage.",
        "data_subjects": YOUTHS,
        "data_categories": "naam en geboortedatum; wie (organisatie, rol) wanneer welke gegevens "
        "inzag of wijzigde; doorbraken en hun beoordeling",
        "retention_months": 60,
        "retention_note": "5 jaar; het logboek volgt de termijn van zijn verwerkingsactiviteit.",
    },
]


def forwards(apps, schema_editor):
    ProcessingActivity = apps.get_model("casebook", "ProcessingActivity")
    now = timezone.now()
    for activity in ACTIVITIES:
        ProcessingActivity.objects.create(version=1, valid_from=now, **activity)
    # The functioneel beheerder keeps the register (a change is a new version).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("casebook", "Role")
    for role in Role.objects.filter(code="functional_admin"):
        role.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="casebook",
                codename__in=["view_processingactivity", "change_processingactivity"],
            )
        )


def backwards(apps, schema_editor):
    apps.get_model("casebook", "ProcessingActivity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casebook", "0028_processing_log"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
