# SPDX-License-Identifier: AGPL-3.0-or-later
"""The stuurgroep's report page and PDF as a stuurgroep member meets them: the last complete
quarter by default, a period picker with Dutch errors, accessible tables, small numbers
suppressed, and nowhere a person, a case reference or a link to a case."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reports.periods import last_complete_quarter
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _first_row(html: str, key: str) -> list[str]:
    """The cells of the first row (this period) of the table ``key``."""
    table = html.split(f'id="tabel-{key}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    row = body.split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def _this_week() -> str:
    today = timezone.localdate()
    return f"?soort=periode&van={today - dt.timedelta(days=6):%Y-%m-%d}&tot={today:%Y-%m-%d}"


def test_the_page_opens_on_the_last_complete_quarter(client, steering_member):
    client.force_login(steering_member)
    response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    quarter = last_complete_quarter()
    assert f"<title>Doorstroomrapportage {quarter.label} — IJAM</title>" in html
    assert f"Doorstroomrapportage: {quarter.label}" in html
    # Every table has a caption and headers with their scope.
    assert html.count("<caption") == html.count("<table") >= 7
    assert 'scope="col"' in html and 'scope="rowgroup"' in html and 'scope="row"' in html


def test_four_are_hidden_and_five_are_shown(client, steering_member, police_officer, zvh):
    client.force_login(steering_member)
    for _ in range(4):
        factories.signal(police_officer)
    url = reverse("reports:overview") + _this_week()
    new_cases = _first_row(client.get(url).content.decode(), "aanmelding-en-screening")[1]
    assert new_cases == "<5"
    factories.signal(police_officer)
    cache.clear()
    cells = _first_row(client.get(url).content.decode(), "aanmelding-en-screening")
    assert cells[1] == "5"  # nieuw aangemeld
    assert cells[2] == "0"  # ingestroomd: a zero is shown


def test_no_person_no_case_reference_no_link_to_a_case(client, steering_member, police_officer):
    cases = [factories.signal(police_officer).case for _ in range(6)]
    client.force_login(steering_member)
    for url in (reverse("reports:overview"), reverse("reports:overview") + _this_week()):
        html = client.get(url).content.decode()
        for case in cases:
            assert case.youth.last_name not in html
            assert case.youth.first_name not in html
            assert case.reference not in html
        assert "/casussen/" not in html
        assert police_officer.last_name not in html  # the reporter is no person here either
    assert "Politie Basisteam Maastricht" in html  # organisations are named


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?soort=kwartaal&jaar=abc&kwartaal=1", "Vul een jaar in, bijvoorbeeld 2026."),
        ("?soort=kwartaal&jaar=2026&kwartaal=5", "Kies het 1e, 2e, 3e of 4e kwartaal."),
        ("?soort=kwartaal&jaar=1999&kwartaal=1", "Kies een jaar van 2020 tot en met"),
        ("?soort=jaar&jaar=", "Vul een jaar in."),
        ("?soort=eeuw", "Kies kwartaal, jaar of een periode van – tot en met."),
        (
            "?soort=periode&van=2026-05-01&tot=2026-04-01",
            "De laatste dag ligt vóór de eerste dag.",
        ),
        ("?soort=periode&van=31-02-2026&tot=2026-04-01", "Vul een geldige datum in"),
        ("?soort=periode&van=2026-01-01&tot=2099-01-01", "niet in de toekomst eindigen"),
        ("?soort=periode&van=2020-01-01&tot=2026-06-30", "hoogstens vijf jaar"),
    ],
)
def test_bad_periods_get_a_dutch_message_and_no_report(client, steering_member, query, message):
    client.force_login(steering_member)
    response = client.get(reverse("reports:overview") + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "tabel-doorstroom-per-niveau" not in html
    pdf = client.get(reverse("reports:overview-pdf") + query)
    assert pdf.status_code == 400 and pdf["Content-Type"].startswith("text/html")


def test_a_year_and_a_from_to_period(client, steering_member):
    client.force_login(steering_member)
    html = client.get(reverse("reports:overview") + "?soort=jaar&jaar=2025").content.decode()
    assert "Doorstroomrapportage: 2025" in html and "vorige periode (2024)" in html
    html = client.get(
        reverse("reports:overview") + "?soort=periode&van=2026-01-10&tot=2026-02-08"
    ).content.decode()
    assert "10 januari 2026 t/m 8 februari 2026" in html


def test_the_pdf_has_a_cover_contents_every_table_and_page_numbers(
    client, steering_member, police_officer
):
    import pypdf

    for _ in range(6):
        factories.signal(police_officer)
    client.force_login(steering_member)
    response = client.get(reverse("reports:overview-pdf") + _this_week())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 5
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Doorstroomrapportage Integrale Jeugdaanpak Maastricht" in text
    assert "Inhoud" in text
    for title in (
        "Doorstroom per niveau van de ladder",
        "Doorlooptijden",
        "Signalen per organisatie",
        "Partnerwerk per organisatie",
        "Toelichting: definities en afscherming",
    ):
        assert title in text
    assert f"Pagina 1 van {len(reader.pages)}" in text
    assert police_officer.last_name not in text


def test_the_page_costs_the_same_queries_for_few_or_many_cases(
    client, steering_member, police_officer, halt_worker, django_assert_max_num_queries
):
    """A fixed number of set-based queries per section, whatever the data: no query per
    case, signal, task or organisation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(steering_member)
    url = reverse("reports:overview") + _this_week()
    factories.signal(police_officer)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for reporter in (police_officer, halt_worker) * 4:
        factories.signal(reporter)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 90
    # The second time the published report comes from the cache.
    with django_assert_max_num_queries(8):
        client.get(url)


def test_the_worker_computes_the_default_quarter_ahead(
    client, steering_member, django_assert_max_num_queries
):
    from reports.jobs import reports_precompute

    reports_precompute(timestamp=0)
    client.force_login(steering_member)
    with django_assert_max_num_queries(8):  # session, user, second factor… no figure
        response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    assert "tabel-doorstroom-per-niveau" in response.content.decode()


def test_charts_beside_their_tables_and_downloads_of_every_table(
    client, steering_member, police_officer, halt_worker
):
    import openpyxl

    for _ in range(6):
        factories.signal(police_officer)
    for _ in range(2):
        factories.signal(halt_worker)
    client.force_login(steering_member)
    html = client.get(reverse("reports:overview") + _this_week()).content.decode()
    assert html.count('role="img"') >= 4  # flows, lead times, signals, partner work…
    assert 'href="/rapportages/export.xlsx?' in html and 'href="/rapportages/export.csv?' in html
    response = client.get(reverse("reports:overview-export", args=["xlsx"]) + _this_week())
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) >= 10
    values = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "<5" in values  # suppressed cells are exported as suppressed
    label = f"Halt Limburg — {timezone.localdate() - dt.timedelta(days=6):%d-%m-%Y}"
    assert any(str(v).startswith(label) for v in values)  # the group and the period
    assert police_officer.last_name not in {str(v) for v in values}
    csv = client.get(reverse("reports:overview-export", args=["csv"]) + _this_week())
    assert csv.status_code == 200 and "Doorstroom per niveau van de ladder" in csv.content.decode()
    assert client.get(reverse("reports:overview-export", args=["doc"])).status_code == 404
