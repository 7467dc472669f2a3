"""The report tables' rows and cells as the page shows them (sessions_app/hr/tables.py
and templates/sessions_app/hr/participation.html)."""

import re

import pytest
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from sessions_app.hr.report import TOTAL
from tests.sessions_app.hr.test_report import YEAR
from tests.sessions_app.hr.test_views import PAGE, build_world

pytestmark = pytest.mark.django_db


def test_table_cells_carry_the_plain_value_and_hidden_ones_only_the_marker(client):
    world = build_world()
    client.force_login(world["hr"])
    talous = f"unit-{world['units']['Talous'].pk}"

    html = client.get(PAGE, {"year": YEAR, "period": "month"}).content.decode()

    def row(key: str) -> str:
        """The row's cells in January, in the participation table and the pulse table."""
        period = f"{YEAR}-01"
        pattern = f'<tr class="[a-z_]+-row" data-row="{key}" data-period="{period}">(.*?)</tr>'
        return "".join(re.findall(pattern, html, re.S))

    with translation.override("fi"):  # the viewer's language
        hidden_text = gettext("hidden")
    assert row(talous).startswith('<th scope="row">Talous</th>')
    assert (
        '<td class="num hidden-figure" data-figure="participants" data-value="hidden">'
        '<span aria-hidden="true">&lt; 5</span>'
        f'<span class="visually-hidden">{hidden_text}</span></td>'
    ) in row(talous)
    total = row(TOTAL)
    assert '<td class="num" data-figure="enrolled" data-value="16">16</td>' in total
    rate = re.search(r'data-figure="attendance_rate" data-value="(\d+)">([^<]*)</td>', total)
    assert rate.group(2) == f"{rate.group(1)}\u00a0%"
    quarters = client.get(PAGE, {"year": YEAR, "period": "quarter"}).content.decode()
    pattern = r'data-figure="pulse_useful" data-value="([0-9.]+)">([^<]*)</td>'
    pulse = re.search(pattern, quarters)
    with translation.override("fi"):
        assert pulse.group(2) == number_format(float(pulse.group(1)), 1)
    other = (
        '<td class="num hidden-figure" data-figure="pulse_answers" data-value="hidden">'
        '<span aria-hidden="true">..</span>'
    )
    assert other in html  # hidden for another figure's sake: ".."
