"""The HR CSV opens as a table in Excel, in the viewer's language (sessions_app/hr/export.py):
Finnish and Swedish with ";" and a decimal comma, English with ",", a UTF-8 byte order
mark in all, translated headers and file name. Only the presentation changes: the same
figures and the same hidden cells as the machine-named rows (export.csv_rows)."""

import csv
import io

import pytest
from django.urls import reverse

from sessions_app.hr.export import CSV_HEADER, csv_read, csv_rows
from sessions_app.hr.report import FIGURES, participation_report
from tests.sessions_app.hr.test_report import YEAR
from tests.sessions_app.hr.test_views import build_world

pytestmark = pytest.mark.django_db
CSV_URL = reverse("hr:participation_csv")
UNIT_WITH_UMLAUTS = "Työhyvinvointi ÄÖ åäö"

FINNISH_HEADER = [
    "Jakso", "Taso", "Yksikkö", "Mukana", "Osallistuneet", "Osallistumiset tapaamisiin",
    "Osallistumisaste (%)", "Mukana koko jakson", "Palautekyselyn vastaukset",
    "Palautekysely: Tapaaminen oli hyödyllinen",
]  # fmt: skip


@pytest.fixture
def world():
    world = build_world()
    unit = world["units"]["Asiakaspalvelu"]
    unit.name = UNIT_WITH_UMLAUTS
    unit.save(update_fields=["name"])
    return world


def download(client, world, language, period="quarter"):
    hr = world["hr"]
    hr.language = language
    hr.save(update_fields=["language"])
    client.force_login(hr)
    response = client.get(CSV_URL, {"year": YEAR, "period": period})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel then reads UTF-8
    return response


def machine_rows(world, period):
    """What the export held before it was made for Excel: machine names, "." decimals."""
    report = participation_report(world["org"].pk, year=YEAR)
    return csv_rows(report, period)[1:]


def test_finnish_file_uses_semicolons_finnish_headers_and_decimal_commas(client, world):
    response = download(client, world, "fi")
    text = response.content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")

    assert header[: len(FINNISH_HEADER)] == FINNISH_HEADER
    assert len(header) == len(CSV_HEADER)
    assert not set(header) & set(CSV_HEADER)  # no code names
    assert {row[1] for row in rows} == {"Yksikkö", "Kaikki yksiköt"}
    assert UNIT_WITH_UMLAUTS in {row[2] for row in rows}  # "ä" survives the round trip
    expected = machine_rows(world, "quarter")
    assert len(rows) == len(expected)
    averages = set()
    for row, old in zip(rows, expected, strict=True):
        assert row[0] == old[0] and row[2] == old[2]
        for shown, value in zip(row[3:], old[3:], strict=True):
            if value in ("..", "<5"):  # the same cells hidden, with the same markers
                assert shown == value
            else:
                assert shown == value.replace(".", ","), (row, old)
                if "." in value:
                    averages.add(shown)
    assert averages and all("," in value for value in averages)  # e.g. "4,0"


def test_finnish_file_name_is_finnish(client, world):
    response = download(client, world, "fi")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename*=utf-8''osallistuminen-{YEAR}-nelj%C3%A4nnesvuosittain.csv"
    )


def test_swedish_file_uses_semicolons_and_swedish_headers(client, world):
    response = download(client, world, "sv", period="year")
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    assert header[:4] == ["Period", "Nivå", "Enhet", "Anslutna"]
    assert {row[1] for row in rows} == {"Enhet", "Alla enheter"}
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename*=utf-8''deltagande-{YEAR}-per-%C3%A5r.csv"
    )


def test_english_file_keeps_commas_and_decimal_points(client, world):
    response = download(client, world, "en", period="month")
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert header[:4] == ["Period", "Level", "Unit", "Enrolled"]
    assert {row[1] for row in rows} == {"Unit", "All units"}
    expected = machine_rows(world, "month")
    assert [row[3:] for row in rows] == [old[3:] for old in expected]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="participation-{YEAR}-month.csv"'
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_language_shows_the_same_figures_and_hides_the_same_cells(client, world, language):
    for period in ("month", "quarter", "year"):
        read = csv_read(download(client, world, language, period).content)
        expected = [dict(zip(CSV_HEADER, row, strict=True)) for row in machine_rows(world, period)]
        assert read == expected
        hidden = {(row["period"], row["unit"], name) for row in read for name in FIGURES
                  if row[name] in ("<5", "..")}  # fmt: skip
        assert hidden  # the disclosure control hides cells in this world
