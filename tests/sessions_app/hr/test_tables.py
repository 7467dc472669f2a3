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

    html = client.get(PAGE, {"year": YEAR, "period": "year"}).content.decode()

    def row(key: str) -> str:
        """The row's cells in the participation table, then in the pulse table."""
        pattern = f'<tr class="[a-z_]+-row" data-row="{key}" data-period="{YEAR}">(.*?)</tr>'
        return "".join(re.findall(pattern, html, re.S))

    with translation.override("fi"):  # the viewer's language
        hidden_text, average = gettext("hidden"), number_format(4.0, 1)
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
    assert f'data-figure="pulse_useful" data-value="4.0">{average}</td>' in total
