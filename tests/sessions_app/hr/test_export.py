"""The CSV export: stable columns, the page's figures, the viewer's own organisation
only (sessions_app/hr/export.py)."""

import csv
import io

import pytest

from sessions_app.hr.export import CSV_HEADER, safe
from sessions_app.hr.report import FIGURES, TOTAL
from tests.factories import UserFactory
from tests.sessions_app.hr.test_report import YEAR
from tests.sessions_app.hr.test_views import (
    CSV_URL,
    PAGE,
    SECRETS,
    build_world,
    page_cells,
    rows_of,
)

pytestmark = pytest.mark.django_db


def test_hr_of_one_organisation_sees_only_its_own_people_in_a_shared_forum(client):
    world = build_world()
    neighbour_hr = UserFactory(organisation=world["other"], hr_organisation=world["other"])
    client.force_login(world["hr"])

    ours = rows_of(client.get(CSV_URL, {"year": YEAR, "period": "month"}))
    ignored = rows_of(
        client.get(CSV_URL, {"year": YEAR, "period": "month", "organisation": world["other"].pk})
    )

    assert ours == ignored
    january = next(row for row in ours if row["level"] == "total" and row["period"] == f"{YEAR}-01")
    assert january["enrolled"] == str(7 + 6 + 3)
    assert {row["unit"] for row in ours} == {"Tuotanto", "Asiakaspalvelu", "Talous", ""}
    client.force_login(neighbour_hr)
    theirs = rows_of(client.get(CSV_URL, {"year": YEAR, "period": "month"}))
    assert {row["unit"] for row in theirs} == {SECRETS["other unit"], ""}
    totals = {row["enrolled"] for row in theirs if row["level"] == "total"}
    assert totals <= {"6", "..", "<5"} and "6" in totals


def test_the_csv_has_stable_columns_and_the_pages_figures(client):
    world = build_world()
    client.force_login(world["hr"])
    units = {unit.name: f"unit-{unit.pk}" for unit in world["units"].values()}

    response = client.get(CSV_URL, {"year": YEAR, "period": "quarter"})

    assert response.headers["Content-Disposition"] == (
        f"attachment; filename*=utf-8''osallistuminen-{YEAR}-nelj%C3%A4nnesvuosittain.csv"
    )
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert len(header) == len(CSV_HEADER)
    assert header[:6] == [
        "Jakso",
        "Taso",
        "Yksikkö",
        "Mukana",
        "Osallistuneet",
        "Osallistumiset tapaamisiin",
    ]
    html = page_cells(client.get(PAGE, {"year": YEAR, "period": "quarter"}).content.decode())
    rows = rows_of(response)
    assert len(rows) == 4 * 4
    for row in rows:
        key = TOTAL if row["level"] == "total" else units[row["unit"]]
        for name in FIGURES:
            expected = "hidden" if row[name] in ("<5", "..") else row[name]
            assert html[(key, row["period"], name)] == expected, (key, row["period"], name)
    talous = [row for row in rows if row["unit"] == "Talous"]
    assert {row["participants"] for row in talous} == {"<5"}


def test_a_unit_named_like_a_formula_is_text_in_the_csv_and_numbers_stay_numbers(client):
    world = build_world()
    for unit, name in zip(
        world["units"].values(), ('=HYPERLINK("http://x")', "+cmd", "@SUM(A1)"), strict=True
    ):
        unit.name = name
        unit.save(update_fields=["name"])
    client.force_login(world["hr"])

    raw = client.get(CSV_URL, {"year": YEAR, "period": "month"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))

    names = {row[2] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://x")', "'+cmd", "'@SUM(A1)", ""}
    for row in rows[1:]:
        for cell in row[3:]:
            assert cell in ("<5", "..") or cell.replace(",", "", 1).isdigit(), cell


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("4.3", "4.3"),
        ("Tuotanto", "Tuotanto"),
        ("", ""),
    ],
)
def test_spreadsheet_formulas_are_neutralised_and_numbers_kept(cell, written):
    assert safe(cell) == written
