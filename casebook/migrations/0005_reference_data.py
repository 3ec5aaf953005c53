# SPDX-License-Identifier: AGPL-3.0-or-later
"""Maastricht's starting configuration: organisations, wijken and buurten, area teams, signal
categories, the intervention catalogue, ladder criteria and closure reasons.

All of it comes from ``casebook/reference_data.py`` (with line references into the municipal
plan) and stays editable by the functioneel beheerder afterwards. Rows are matched on their
natural keys, so running this on a database that already has them changes nothing.
"""

from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    from casebook import reference_data as ref

    Organisation = apps.get_model("casebook", "Organisation")
    AreaTeam = apps.get_model("casebook", "AreaTeam")
    District = apps.get_model("casebook", "District")
    Neighbourhood = apps.get_model("casebook", "Neighbourhood")
    SignalCategory = apps.get_model("casebook", "SignalCategory")
    Intervention = apps.get_model("casebook", "Intervention")
    LevelCriterion = apps.get_model("casebook", "LevelCriterion")
    ClosureReason = apps.get_model("casebook", "ClosureReason")

    organisations = {}
    for org in ref.ORGANISATIONS:
        organisations[org.short_name], _ = Organisation.objects.get_or_create(
            short_name=org.short_name, defaults={"name": org.name, "kind": org.kind}
        )
    teams = {}
    for team in ref.AREA_TEAMS:
        teams[team.name], _ = AreaTeam.objects.get_or_create(name=team.name, kind=team.kind)
    for district in ref.DISTRICTS:
        wijk, _ = District.objects.get_or_create(code=district.code, defaults={"name": district.name})
        for buurt in district.buurten:
            Neighbourhood.objects.get_or_create(
                name=buurt.name,
                defaults={
                    # The seed has no CBS buurt codes; the slug stands in until they are entered.
                    "code": buurt.code or f"{district.code}-{buurt.slug}",
                    "district": wijk,
                    "social_area_team": teams.get(buurt.social_area_team),
                    "lwa_area_team": teams.get(buurt.lwa_area_team) if buurt.lwa_area_team else None,
                    "risk_weight": Decimal(buurt.risk_weight).quantize(Decimal("0.001")),
                },
            )
    for order, category in enumerate(ref.SIGNAL_CATEGORIES):
        SignalCategory.objects.get_or_create(
            code=category.code,
            defaults={
                "name": category.name,
                "group": category.group,
                "is_school_signal": category.is_school_signal,
                "order": order,
            },
        )
    for item in ref.INTERVENTIONS:
        Intervention.objects.get_or_create(
            name=item.name,
            defaults={
                "provider": organisations.get(item.provider) if item.provider else None,
                "description": item.description,
                "min_age": item.min_age,
                "max_age": item.max_age,
                "default_duration_days": item.default_duration_days,
                "cost_eur": Decimal(item.cost_eur) if item.cost_eur else None,
                "cost_unit": item.cost_unit,
            },
        )
    for level, criteria in ref.LEVEL_CRITERIA.items():
        for order, criterion in enumerate(criteria):
            LevelCriterion.objects.get_or_create(
                level=level,
                code=criterion["code"],
                defaults={
                    "text": criterion["text"],
                    "any_of_group": criterion["any_of_group"],
                    "order": order,
                },
            )
    for order, reason in enumerate(ref.CLOSURE_REASONS):
        ClosureReason.objects.get_or_create(
            code=reason["code"],
            defaults={
                "name": reason["name"],
                "allowed_from_screening": reason["allowed_from_screening"],
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("casebook", "0004_neighbourhood_code_length")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
