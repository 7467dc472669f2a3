"""HR pages and the CSV export: aggregates only, own organisation only, same figures
everywhere (sessions_app/hr/views.py, tables.py, export.py)."""

import re
from datetime import date
from html import unescape as html_unescape
from html.parser import HTMLParser
from itertools import product
from urllib.parse import urlencode, urljoin, urlparse

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.hr import report as report_module
from sessions_app.hr.export import csv_read
from sessions_app.hr.periods import default_year
from sessions_app.hr.report import FIGURES, TOTAL, participation_report
from sessions_app.models import Participation, Preparation
from tests.factories import UnitFactory, UserFactory
from tests.sessions_app.hr.test_report import (
    YEAR,
    answers,
    enrol,
    forum,
    held,
    monthly,
    organisation,
    own_queries,
    people,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("hr:participation")
CSV_URL = reverse("hr:participation_csv")


# --- A world with things that must not leak -----------------------------------------------


SECRETS = {
    "forum": "Salaisuuksien Foorumi Xyzzy",
    "theme": "Teema Plugh",
    "place": "Paikka Frobozz",
    "absence": "Poissaolon syy Quux",
    "preparation": "Valmistelu Grault",
    "other organisation": "Naapuri Oy Zork",
    "other unit": "Naapurin Yksikkö Garply",
}


def build_world():
    org, units = organisation("Tuotanto", "Asiakaspalvelu", "Talous", name="Esimerkki Oy")
    other, other_units = organisation(SECRETS["other unit"], name=SECRETS["other organisation"])
    hr = UserFactory(
        first_name="Helena", last_name="Lindqvist", organisation=org, hr_organisation=org
    )
    members = {}
    for unit_name, size in (("Tuotanto", 7), ("Asiakaspalvelu", 6), ("Talous", 3)):
        members[unit_name] = [
            UserFactory(
                organisation=org,
                unit=units[unit_name],
                first_name=f"Zyxwia{unit_name}{n}",
                last_name=f"Qwertyson{n}",
                email=f"zyx.secret.{unit_name.lower()}{n}@leak.example",
            )
            for n in range(size)
        ]
    neighbours = [
        UserFactory(
            organisation=other,
            unit=other_units[SECRETS["other unit"]],
            first_name=f"Naapuri{n}",
            last_name="Vierasmaa",
            email=f"naapuri{n}@leak.example",
        )
        for n in range(6)
    ]
    coordinator = UserFactory(
        first_name="Kirsikka", last_name="Koordinoija", email="coord.secret@leak.example"
    )
    shared = forum(SECRETS["forum"], orgs=[org, other])
    shared.coordinators.add(coordinator)
    ours = [person for group in members.values() for person in group]
    enrol(shared, [*ours, *neighbours])
    for month in range(1, 13):
        # One member of each unit (a different one each month) is away, and one member
        # of Tuotanto misses the first quarter: not everyone attends in every period.
        away = {group[month % len(group)] for group in [*members.values(), neighbours]}
        if month <= 3:
            away.add(members["Tuotanto"][-1])
        present = [person for person in [*ours, *neighbours] if person not in away]
        meeting = held(shared, date_in(month), present=present, absent=sorted(away, key=str))
        meeting.theme, meeting.place = SECRETS["theme"], SECRETS["place"]
        meeting.save(update_fields=["theme", "place"])
        Participation.objects.filter(meeting=meeting, attended=False).update(
            absence_note=SECRETS["absence"]
        )
        Preparation.objects.create(
            meeting=meeting, author=ours[0], to_bring=SECRETS["preparation"], shared=True
        )
        for unit_name, group in members.items():
            answers(org, units[unit_name], month, len(group))
        answers(other, other_units[SECRETS["other unit"]], month, 6)
    return {
        "org": org,
        "units": units,
        "hr": hr,
        "members": members,
        "neighbours": neighbours,
        "coordinator": coordinator,
        "other": other,
    }


def date_in(month: int) -> date:
    return date(YEAR, month, 12)


def forbidden(world) -> list[str]:
    words = list(SECRETS.values())
    for person in [
        *(p for group in world["members"].values() for p in group),
        *world["neighbours"],
        world["coordinator"],
    ]:
        words += [person.first_name, person.last_name, person.email]
    return words


# --- Crawling what an HR viewer can reach -------------------------------------------------


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and attrs.get("method", "get").lower() == "get":
            self._form = {"action": attrs.get("action", ""), "fields": {}}
            self.forms.append(self._form)
        elif tag == "select" and self._form is not None:
            self._select = self._form["fields"].setdefault(attrs["name"], [])
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def form_urls(form: dict, base: str) -> list[str]:
    """Every combination of the form's select options."""
    action = urljoin(base, form["action"] or base)
    names = list(form["fields"])
    return [
        f"{action}?{urlencode(dict(zip(names, values, strict=True)))}"
        for values in product(*(form["fields"][name] for name in names))
    ]


def crawl(client, start: str = "/", limit: int = 300) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or urlparse(url).netloc or not url.startswith("/"):
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            seen[url] = ""
            queue.append(response.headers["Location"])
            continue
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8-sig")
        seen[url] = text
        if response.headers["Content-Type"].startswith("text/html"):
            page = Page()
            page.feed(text)
            for href in page.links:
                if not href.startswith("#") and "logout" not in href:
                    queue.append(urljoin(url, href).split("#")[0])
            for form in page.forms:
                queue += form_urls(form, url)
    return seen


def test_an_hr_crawl_of_every_reachable_page_shows_no_person_forum_or_other_organisation(client):
    world = build_world()
    client.force_login(world["hr"])

    pages = crawl(client)

    for period in ("month", "quarter", "year"):
        assert f"{CSV_URL}?year={YEAR}&period={period}" in pages
        assert f"{PAGE}?year={YEAR}&period={period}&unit=" in pages
    assert any("unit=unit-" in url for url in pages)
    words = forbidden(world)
    for url, text in pages.items():
        for word in words:
            assert word not in text, (word, url)


# --- Access -------------------------------------------------------------------------------


def test_hr_pages_are_404_for_everyone_but_hr_viewers(client, member, coordinator, outsider):
    for person in (member, coordinator, outsider):
        client.force_login(person)
        assert client.get(PAGE).status_code == 404
        assert client.get(CSV_URL).status_code == 404


def test_hr_navigation_and_home_lead_to_the_report(client, hr_viewer):
    client.force_login(hr_viewer)
    home = client.get("/").content.decode()
    assert f'href="{PAGE}"' in home
    assert 'id="participation-link"' in home
    assert client.get(PAGE).context["nav_items"][1]["current"] is True


# --- One set of figures, whichever way it is viewed ---------------------------------------


def rows_of(response) -> list[dict]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return csv_read(response.content)


CELL = re.compile(
    r'data-row="(?P<row>[^"]+)" data-period="(?P<period>[^"]+)">(?P<cells>.*?)</tr>', re.S
)
FIGURE = re.compile(r'data-figure="(?P<name>[^"]+)" data-value="(?P<value>[^"]+)"')


MARKER = re.compile(r'data-value="hidden"><span aria-hidden="true">(?P<marker>[^<]*)</span>')


def page_cells(html: str, markers: bool = False) -> dict:
    """(row, period, figure) -> the cell's data-value ("hidden" for a hidden one, or
    with `markers` "hidden " and its marker)."""
    found = {}
    for row in CELL.finditer(html):
        for cell in FIGURE.finditer(row["cells"]):
            value = cell["value"]
            if markers and value == "hidden":
                rest = row["cells"][cell.start() :]
                value = "hidden " + html_unescape(MARKER.search(rest)["marker"])
            found[(row["row"], row["period"], cell["name"])] = value
    return found


def test_every_view_and_csv_shows_the_same_figures_and_markers(client):
    """Month, quarter and year views, each unit filter, the CSVs: overlapping views of
    one suppressed grid, so stacking them gives nothing more than the grid (what an
    exact attacker can make of the grid: test_disclosure.py)."""
    world = build_world()
    client.force_login(world["hr"])
    units = {unit.name: f"unit-{unit.pk}" for unit in world["units"].values()}
    seen: dict[tuple, str] = {}

    def record(cell, value):
        assert seen.setdefault(cell, value) == value, cell

    for period, unit in product(("month", "quarter", "year"), ["", *units.values()]):
        html = client.get(PAGE, {"year": YEAR, "period": period, "unit": unit}).content
        for cell, value in page_cells(html.decode(), markers=True).items():
            record(cell, value)
    for period in ("month", "quarter", "year"):
        for row in rows_of(client.get(CSV_URL, {"year": YEAR, "period": period})):
            key = TOTAL if row["level"] == "total" else units[row["unit"]]
            for name in FIGURES:
                value = row[name]
                marked = {"<5": "hidden < 5", "..": "hidden .."}.get(value, value)
                record((key, row["period"], name), marked)

    structure = participation_report(world["org"].pk, year=YEAR)
    assert len(seen) == len(structure.rows) * 17 * len(FIGURES)
    values = set(seen.values())
    assert {"hidden < 5", "hidden .."} <= values
    assert any(not value.startswith("hidden") for value in values)


# --- The page -----------------------------------------------------------------------------


def test_the_page_runs_a_fixed_number_of_queries_at_small_and_large_data(client, hr_viewer):
    org = hr_viewer.hr_organisation
    client.force_login(hr_viewer)

    def queries() -> tuple[int, int]:
        """The page's own queries and all of them (the shared cache's included), on a
        first view: nothing remembered in the process or the shared cache."""
        cache.clear()
        report_module._MEMORY.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE, {"year": YEAR}).status_code == 200
        return len(own_queries(captured)), len(captured)

    small = queries()
    group = forum()
    for index in range(4):
        unit = UnitFactory(organisation=org, name=f"Yksikkö {index}")
        crowd = people(org, unit, 8 + index)
        enrol(group, crowd)
        monthly(group, range(1, 13), present=crowd[1:], absent=crowd[:1])
        for month in range(1, 13):
            answers(org, unit, month, 7)
    large = queries()
    assert large == small
    # Session, user, the organisation with its units, memberships, participations,
    # pulse answers and account deletions (sessions_app/hr/queries.py).
    assert large[0] == 7, large


def test_unit_names_are_escaped_in_the_tables_the_chart_and_the_form(client):
    org, units = organisation('<b class="x">Tuotanto</b> & co', name="Esimerkki Oy")
    unit = units['<b class="x">Tuotanto</b> & co']
    hr = UserFactory(organisation=org, hr_organisation=org)
    crew = people(org, unit, 6)
    group = forum()
    enrol(group, crew)
    monthly(group, range(1, 13), present=crew)
    client.force_login(hr)

    for unit_choice in ("", f"unit-{unit.pk}"):
        html = client.get(PAGE, {"year": YEAR, "unit": unit_choice}).content.decode()

        assert '<b class="x">' not in html
        escaped = "&lt;b class=&quot;x&quot;&gt;Tuotanto&lt;/b&gt; &amp; co"
        assert f'<th scope="row">{escaped}</th>' in html  # the table
        assert f'<option value="unit-{unit.pk}"' in html and escaped in html  # the form
        if unit_choice:
            assert '<title id="participation-chart-title">' in html
            assert escaped in re.search(r"<svg.*?</svg>", html, re.S).group(0)  # the chart


def test_the_chart_is_accessible_svg_with_gaps_for_hidden_points_and_no_inline_styles(client):
    world = build_world()
    client.force_login(world["hr"])
    unit = f"unit-{world['units']['Talous'].pk}"

    html = client.get(PAGE, {"year": YEAR, "unit": unit}).content.decode()

    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="participation-chart-title participation-chart-desc"' in svg
    assert '<title id="participation-chart-title">' in svg
    assert '<desc id="participation-chart-desc">' in svg
    assert svg.count('class="chart-gap"') == 2 * 12  # Talous (3 people) is hidden
    assert "chart-series-participants" in svg  # only in the legend
    assert 'id="chart-table"' in html
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # scripts only from files


def test_bad_choices_fall_back_to_the_default_view(client, hr_viewer):
    client.force_login(hr_viewer)
    response = client.get(PAGE, {"year": "1900", "period": "week", "unit": "unit-999999"})
    assert response.status_code == 200
    assert response.context["choice"] == {
        "year": default_year(timezone.localdate()),
        "period": "month",
        "unit": None,
    }


def test_a_year_without_reportable_months_says_so(client, hr_viewer):
    client.force_login(hr_viewer)
    this_year = timezone.localdate().year
    response = client.get(PAGE, {"year": this_year, "period": "year"})
    assert response.status_code == 200
    assert 'id="no-figures"' in response.content.decode()
