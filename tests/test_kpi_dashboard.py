# SPDX-License-Identifier: AGPL-3.0-or-later
"""The KPI dashboard (issue 14): every measured KPI on known data, the on-track rule, small
numbers suppressed, the programme manager's manual values (audited), and the pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from casebook.errors import NotAllowed, ValidationFailed
from casebook.models import AuditEvent, Organisation, OrganisationKind, Role, SchoolType
from reports.kpis import Status, dashboard_tables, judge, kpi_dashboard
from reports.models import Kpi, KpiManualValue
from reports.services_dashboard import kpi_manual_value_record
from tests import factories
from workflows.groups.steps import GroupStep
from workflows.ladder import services as ladder
from workflows.ladder.machine import JONGE_AANWAS, NETWERKOVERLEG, PGA
from workflows.meetings.models import Meeting, MeetingSeries

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date(2026, 12, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMS)


def status_of(code: str, today: dt.date = TODAY):
    return next(s for s in kpi_dashboard(today) if s.kpi.code == code)


@pytest.fixture
def programme_manager(db):
    org = factories.organisation(OrganisationKind.GEMEENTE, "Gemeente Maastricht (programma)")
    return factories.user(Role.PROGRAMME_MANAGER, org, first_name="Pim", last_name="Programma")


# --- The on-track rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day", "expected_status"),
    [
        # K8: 300 signals from 1-1-2024 to 31-12-2026; halfway (mid-2025) the line is at ~150.
        (160, dt.date(2025, 7, 2), Status.ON_TRACK),
        (140, dt.date(2025, 7, 2), Status.BEHIND),
        (300, dt.date(2025, 7, 2), Status.ACHIEVED),
        (299, dt.date(2027, 1, 5), Status.BEHIND),  # the target date has passed
        (None, dt.date(2025, 7, 2), Status.UNKNOWN),
    ],
)
def test_on_track_is_the_straight_line_to_the_target(db, value, day, expected_status):
    kpi = Kpi.objects.get(code="K8")
    status, progress, expected = judge(kpi, value, day)
    assert status == expected_status
    assert expected == pytest.approx(300 if day.year == 2027 else 150, abs=1.5)
    if value is not None:
        assert progress == pytest.approx(min(100, value / 3), abs=0.1)


def test_the_plan_s_kpis_are_configured(db):
    codes = set(Kpi.objects.values_list("code", flat=True))
    assert {"K5", "K8", "K10", "K14", "K17", "K19"} <= codes
    assert {"K1", "K2", "K3", "K4", "K11", "K12"} <= codes
    assert Kpi.objects.get(code="K8").target_value == 300
    assert Kpi.objects.get(code="K17").target_date == dt.date(2025, 12, 31)
    assert all(Kpi.objects.get(code=c).is_manual for c in ("K1", "K2", "K3", "K4", "K11", "K12"))


# --- Each measure on known data -------------------------------------------------------------


def test_k8_counts_the_signals_since_the_start_per_quarter(police_officer):
    for day in (dt.date(2023, 12, 20), dt.date(2024, 2, 1), dt.date(2024, 2, 3)):
        with time_machine.travel(at(day), tick=False):
            factories.signal(police_officer)
    with time_machine.travel(at(dt.date(2026, 11, 3)), tick=False):
        factories.signal(police_officer)
    s = status_of("K8")
    assert s.value == 3  # the one of 2023 is before the start
    trend = {row.label: row.cells[0].value for row in s.trend.rows}
    assert trend["2024 K1"] == 2 and trend["2025 K4"] == 2 and trend["2026 K4 (lopend)"] == 3
    assert s.status == Status.BEHIND
    assert s.detail == "van 1 organisaties"


def test_k10_is_the_share_of_po_and_vo_schools_that_signalled(zvh):
    schools = []
    for n, kind in enumerate((SchoolType.VO, SchoolType.VO, SchoolType.PO, SchoolType.PO)):
        org = factories.staffed_organisation(OrganisationKind.SCHOOL, f"Testschool {n}")
        org.school_type = kind
        org.save(update_fields=["school_type"])
        schools.append(org)
    mbo = factories.staffed_organisation(OrganisationKind.SCHOOL, "Test-MBO")
    Organisation.objects.filter(pk=mbo.pk).update(school_type=SchoolType.MBO)
    # The reference data's schools count too: make them inactive for a known denominator.
    Organisation.objects.exclude(pk__in=[o.pk for o in schools]).filter(
        kind=OrganisationKind.SCHOOL
    ).update(is_active=False)
    with time_machine.travel(at(dt.date(2025, 3, 1)), tick=False):
        factories.signal(factories.task_worker(schools[0]))
    with time_machine.travel(at(dt.date(2026, 5, 1)), tick=False):
        factories.signal(factories.task_worker(schools[2]))
        factories.signal(factories.task_worker(mbo))  # an MBO: not a PO or VO school
    s = status_of("K10")
    assert s.value == 50.0
    assert s.detail == "2 van 4 PO- en VO-scholen"
    trend = {row.label: row.cells[0].value for row in s.trend.rows}
    assert trend["2024 K4"] == 0 and trend["2025 K1"] == 25.0 and trend["2026 K2"] == 50.0
    assert "Testschool 1" in s.notes[0] and "Testschool 3" in s.notes[0]


def test_k14_compares_the_last_quarter_with_the_same_quarter_a_year_earlier(police_officer, db):
    area = factories.neighbourhood("Buurt met jongerenwerk")
    elsewhere = factories.neighbourhood("Andere buurt")
    kpi = Kpi.objects.get(code="K14")
    kpi.neighbourhoods.set([area])

    def signals(day, n, where):
        with time_machine.travel(at(day), tick=False):
            for _ in range(n):
                youth = factories.signal(police_officer).youth
                youth.neighbourhood = where
                youth.save(update_fields=["neighbourhood"])

    signals(dt.date(2025, 8, 5), 10, area)  # 2025 K3
    signals(dt.date(2026, 8, 5), 15, area)  # 2026 K3: the last complete quarter
    signals(dt.date(2026, 8, 6), 7, elsewhere)  # not in the area
    s = status_of("K14")
    # 2026 K3 against 2025 K3: 15 against 10, +50 %.
    assert s.value == 50.0
    assert s.detail == "2026 K3 tegen 2025 K3, 1 buurten"
    assert s.status == Status.ACHIEVED
    # Quarters with a few signals (1–4) are suppressed in the trend.
    signals(dt.date(2026, 2, 5), 2, area)
    s = status_of("K14")
    row = next(r for r in s.trend.rows if r.label == "2026 K1")
    assert row.cells[0].suppressed and row.cells[0].value is None


def test_k14_suppresses_its_growth_when_it_rests_on_a_small_count(police_officer, db):
    area = factories.neighbourhood()
    Kpi.objects.get(code="K14").neighbourhoods.set([area])
    for day, n in ((dt.date(2025, 8, 5), 3), (dt.date(2026, 8, 5), 12)):
        with time_machine.travel(at(day), tick=False):
            for _ in range(n):
                signal = factories.signal(police_officer)
                signal.youth.neighbourhood = area
                signal.youth.save(update_fields=["neighbourhood"])
    s = status_of("K14")
    assert s.suppressed and s.value is None and s.value_text == "<5"


def _case_on(level: str, reporter, director):
    case = factories.signal(reporter).case
    return ladder.case_screen_in(
        case=case,
        actor=director,
        target_level=level,
        reason="Voldoet aan de criteria",
        criteria=factories.criteria_for(level),
    )


def test_k17_counts_youths_on_jonge_aanwas_and_pga_and_suppresses_few(police_officer, director):
    with time_machine.travel(at(dt.date(2025, 2, 3)), tick=False):
        for level in (JONGE_AANWAS, JONGE_AANWAS, PGA, NETWERKOVERLEG):
            _case_on(level, police_officer, director)
    s = status_of("K17")
    assert s.suppressed and s.value is None  # 3 youths: fewer than 5
    with time_machine.travel(at(dt.date(2025, 8, 3)), tick=False):
        for _ in range(3):
            _case_on(PGA, police_officer, director)
    s = status_of("K17")
    assert not s.suppressed and s.value == 6
    trend = {row.label: row.cells[0] for row in s.trend.rows}
    assert trend["2025 K1"].suppressed and trend["2025 K1"].value is None
    assert trend["2025 K3"].value == 6
    assert trend["2024 K4"].value == 0  # zero is not small: nobody can be singled out


def test_k5_is_the_longest_run_of_months_with_a_held_session(db):
    series = MeetingSeries.objects.get(name="Overleg Jonge Aanwas")
    series.is_interpretation_session = True
    series.save(update_fields=["is_interpretation_session"])
    months = [dt.date(2025, m, 10) for m in (1, 2, 3, 5, 6, 7, 8)] + [dt.date(2025, 9, 10)]
    for day in months:
        Meeting.objects.create(series=series, starts_at=at(day), status=Meeting.Status.HELD)
    # A planned (not held) sitting in April does not fill the gap.
    Meeting.objects.create(series=series, starts_at=at(dt.date(2025, 4, 10)))
    s = status_of("K5")
    assert s.value == 5  # May–September
    trend = {row.label: row.cells[0].value for row in s.trend.rows}
    assert trend["2025 K1"] == 3 and trend["2025 K3"] == 5


def test_a_measure_without_its_configuration_says_what_is_missing(db):
    s = status_of("K5")
    assert s.value is None and s.status == Status.UNKNOWN
    assert s.missing == "Er is nog geen overlegreeks als duidingsbijeenkomst aangemerkt."


# --- Manual values: the programme manager, audited -----------------------------------------


def test_the_programme_manager_records_a_manual_value_audited(programme_manager):
    kpi = Kpi.objects.get(code="K12")
    with time_machine.travel(at(TODAY), tick=False):
        kpi_manual_value_record(
            actor=programme_manager,
            kpi_id=kpi.pk,
            value=Decimal("49"),
            summary="Op 4 van 6 scholen trainingen gegeven",
            source="Registratie RIEC, najaar 2026",
            measured_on=dt.date(2026, 11, 1),
        )
        s = status_of("K12")
    assert s.value == Decimal("49") and s.manual.source == "Registratie RIEC, najaar 2026"
    assert s.progress == 98.0 and s.status == Status.ON_TRACK  # the line: 48,6
    event = AuditEvent.objects.get(action="kpi.value_recorded")
    assert event.actor == programme_manager
    assert event.after["waarde"] == "49" and event.after["bron"].startswith("Registratie")


def test_a_stuurgroep_member_cannot_record_a_manual_value(steering_member):
    kpi = Kpi.objects.get(code="K1")
    with pytest.raises(NotAllowed):
        kpi_manual_value_record(
            actor=steering_member,
            kpi_id=kpi.pk,
            summary="Goed",
            source="Eigen indruk",
            measured_on=dt.date(2026, 1, 1),
        )
    assert not KpiManualValue.objects.exists()


@pytest.mark.parametrize(
    ("code", "changes", "message"),
    [
        ("K1", {"measured_on": dt.date(2099, 1, 1)}, "De peildatum ligt in de toekomst."),
        ("K1", {"source": "  "}, "Noem de bron van deze waarde."),
        ("K8", {}, "IJAM meet deze KPI zelf; een handmatige waarde is niet nodig."),
    ],
)
def test_bad_manual_values_are_refused_in_dutch_and_change_nothing(
    programme_manager, code, changes, message
):
    data = {"summary": "Stand", "source": "Bron", "measured_on": dt.date(2026, 1, 1)} | changes
    with pytest.raises(ValidationFailed) as refused:
        kpi_manual_value_record(
            actor=programme_manager, kpi_id=Kpi.objects.get(code=code).pk, **data
        )
    assert refused.value.message == message
    assert not KpiManualValue.objects.exists()
    assert not AuditEvent.objects.filter(action="kpi.value_recorded").exists()


# --- The pages ----------------------------------------------------------------------------


def test_the_stuurgroep_lands_on_the_dashboard_and_others_do_not(client, steering_member, director):
    client.force_login(steering_member)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("stuurgroep:dashboard")
    client.force_login(director)
    assert client.get(reverse("home")).url == reverse("casebook:case-list")


def test_the_dashboard_shows_every_kpi_with_charts_and_tables(
    client, steering_member, police_officer, django_assert_max_num_queries
):
    for _ in range(6):
        factories.signal(police_officer)
    client.force_login(steering_member)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("stuurgroep:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>KPI-dashboard Preventie met Gezag — IJAM</title>" in html
    for code in ("K5", "K8", "K10", "K14", "K17", "K19", "K1", "K12"):
        assert f">{code} " in html
    assert html.count('role="img"') >= 6
    assert "Tabel bij de grafiek" in html
    assert "Stand vastleggen" not in html  # a stuurgroep member does not record values


def test_the_query_count_does_not_grow_with_the_data(
    client, steering_member, police_officer, django_assert_max_num_queries
):
    """No N+1: many signals, schools and manual values cost the same queries as a few."""
    client.force_login(steering_member)
    for _ in range(15):
        factories.signal(police_officer)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("stuurgroep:dashboard"))
    for _ in range(15):
        factories.signal(police_officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("stuurgroep:dashboard"))


def test_the_programme_manager_records_a_value_on_the_dashboard(client, programme_manager):
    client.force_login(programme_manager)
    page = client.get(reverse("stuurgroep:dashboard"))
    assert "Stand vastleggen" in page.content.decode()
    kpi = Kpi.objects.get(code="K3")
    response = client.post(
        reverse("stuurgroep:kpi-value"),
        {
            "kpi": kpi.pk,
            "summary": "Partners geven de samenwerking een 7,4",
            "value": "7,4",
            "source": "Partnerenquête 2026",
            "measured_on": "2026-10-01",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("stuurgroep:dashboard")).content.decode()
    assert "Partners geven de samenwerking een 7,4" in page and "Partnerenquête 2026" in page
    bad = client.post(
        reverse("stuurgroep:kpi-value"),
        {"kpi": kpi.pk, "summary": "x", "source": "y", "measured_on": "2099-01-01"},
    )
    assert bad.status_code == 400
    assert "De peildatum ligt in de toekomst." in bad.content.decode()
    assert KpiManualValue.objects.count() == 1


# --- Exports ---------------------------------------------------------------------------------


def test_the_xlsx_export_has_a_sheet_per_table_numbers_as_numbers_and_no_small_values(
    client, steering_member, police_officer, director
):
    with time_machine.travel(at(dt.date(2025, 2, 3)), tick=False):
        for _ in range(3):
            _case_on(PGA, police_officer, director)  # K17: 3 youths, suppressed
        for _ in range(7):
            factories.signal(police_officer)
    client.force_login(steering_member)
    response = client.get(reverse("stuurgroep:dashboard-export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ijam-kpi-dashboard.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    tables = dashboard_tables(kpi_dashboard())
    assert book.sheetnames == [t.key for t in tables]
    summary = book["kpis"]
    rows = {r[0]: r[1:] for r in summary.iter_rows(values_only=True) if r and r[0]}
    k8 = next(v for k, v in rows.items() if k.startswith("K8 "))
    assert k8[0] == 10 and isinstance(k8[0], int)  # 3 + 7 signals, a number
    k17 = next(v for k, v in rows.items() if k.startswith("K17 "))
    assert k17[0] == "<5"
    trend = book["kpi-k17"]
    values = [
        r[1] for r in trend.iter_rows(min_row=5, values_only=True) if r[0] and r[0][:2] == "20"
    ]
    assert "<5" in values and 3 not in values  # the suppressed value is nowhere


def test_the_csv_export_is_for_dutch_excel(client, steering_member):
    client.force_login(steering_member)
    response = client.get(reverse("stuurgroep:dashboard-export", args=["csv"]))
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "KPI (beoordeling);Stand;Streefwaarde;Voortgang (%);Verwachting nu" in text
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_an_unknown_export_format_is_a_404(client, steering_member):
    client.force_login(steering_member)
    assert client.get(reverse("stuurgroep:dashboard-export", args=["pdf"])).status_code == 404


def test_nothing_on_the_dashboard_or_in_its_exports_names_a_person(
    client, steering_member, police_officer, director
):
    """Youths, reporters and the procesregisseur leave no trace on the page or in a download:
    not a name, not a birth date, not a case number."""
    cases = [_case_on(PGA, police_officer, director) for _ in range(6)]
    client.force_login(steering_member)
    traces = {police_officer.last_name, director.last_name}
    for case in cases:
        traces |= {
            case.youth.first_name,
            case.youth.last_name,
            case.reference,
            case.youth.date_of_birth.strftime("%d-%m-%Y"),
        }
    page = client.get(reverse("stuurgroep:dashboard")).content.decode()
    csv_text = client.get(reverse("stuurgroep:dashboard-export", args=["csv"])).content.decode()
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("stuurgroep:dashboard-export", args=["xlsx"])).content)
    )
    xlsx_text = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
    )
    for where, text in (("page", page), ("csv", csv_text), ("xlsx", xlsx_text)):
        assert not sorted(t for t in traces if t in text), where
    assert "K17 " in xlsx_text and "6" in csv_text


def test_k19_counts_group_approaches_closed_after_step_7(director):
    """Decisions recorded as the group services write them (the full walk through the seven
    gates is the group approach's own test): only a close from step 7 counts."""
    from casebook.models import GroupStepDecision

    done, assessed = (factories.youth_group(director, n) for n in ("Groep A", "Groep B"))
    GroupStepDecision.objects.create(
        group=done,
        move="close",
        from_step=GroupStep.CONCLUDE,
        to_step=GroupStep.CLOSED,
        reason="Geëvalueerd",
        decided_by=director,
        decided_at=at(dt.date(2025, 10, 2)),
    )
    GroupStepDecision.objects.create(
        group=assessed,
        move="not_problematic",
        from_step=GroupStep.ASSESS,
        to_step=GroupStep.CLOSED,
        reason="Niet problematisch",
        decided_by=director,
        decided_at=at(dt.date(2025, 11, 2)),
    )
    s = status_of("K19")
    assert s.value == 1 and s.status == Status.ACHIEVED
    trend = {row.label: row.cells[0].value for row in s.trend.rows}
    assert trend["2025 K3"] == 0 and trend["2025 K4"] == 1
