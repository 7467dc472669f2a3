"""The HR report's filter form as the page prints it (sessions_app/hr/forms.py): its
hand-written selects are the markup Django's Select widget makes for the same state."""

import re
from datetime import date

import pytest
from django.utils import translation

from members.models import Unit
from sessions_app.hr.forms import ReportForm

TODAY = date(2026, 11, 29)
UNITS = [Unit(pk=2, name='<b>"Asiakas" & palvelu</b>'), Unit(pk=1, name="Tuotanto")]


def widgets(form: ReportForm) -> str:
    """What `{{ form.<name> }}` with its label printed, whitespace between tags left out."""
    html = "".join(
        f'<div><label for="{field.id_for_label}">{field.label}</label>{field}</div>'
        for field in form
    )
    return re.sub(r">\s+<", "><", html)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    "query",
    [
        None,
        {"year": "2025", "period": "quarter", "unit": "unit-1"},
        {"year": "2026"},
        {"year": "abc"},
        {"period": ""},
        {"unit": "unit-999"},
        {"year": "2019", "period": "nope", "unit": "unit-2"},
    ],
)
def test_filters_are_the_markup_of_the_select_widgets(query, language):
    with translation.override(language):
        form = ReportForm(query, units=UNITS, today=TODAY)
        form.choice()  # the view validates before printing

        assert form.filters_html() == widgets(form)


def test_a_refused_value_is_marked_invalid_and_nothing_is_selected():
    form = ReportForm({"year": "abc"}, units=UNITS, today=TODAY)

    html = form.filters_html()

    assert '<select name="year" aria-invalid="true" aria-describedby="id_year_error"' in html
    assert re.search(r'<select name="year".*?</select>', html)[0].count("selected") == 0
    assert '<option value="month" selected>' in html
    assert "&lt;b&gt;&quot;Asiakas&quot; &amp; palvelu&lt;/b&gt;" in html
