"""English dates are day-month-year with a 24-hour clock (foorumix/formats/en), not
Django's American m/d/Y; Finnish and Swedish keep Django's own formats."""

import re
from datetime import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import reset_format_cache

from tests.factories import make_held_meeting

pytestmark = pytest.mark.django_db

US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


@pytest.fixture(autouse=True)
def _formats(settings):
    # Django empties its format cache when a format setting changes, but not for
    # FORMAT_MODULE_PATH itself.
    settings.FORMAT_MODULE_PATH = ["foorumix.formats"]
    reset_format_cache()
    yield
    reset_format_cache()


def render(language: str, text: str, value) -> str:
    with translation.override(language):
        return Template(text).render(Context({"value": value}))


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "12 Jan 2027", "12 January 2027"),
        ("fi", "12.1.2027", "12. tammikuuta 2027"),
        ("sv", "2027-01-12", "12 januari 2027"),
    ],
)
def test_dates_in_each_language(language, short, long):
    day = datetime(2027, 1, 12, 14, 5)
    assert render(language, '{{ value|date:"SHORT_DATE_FORMAT" }}', day) == short
    assert render(language, '{{ value|date:"DATE_FORMAT" }}', day) == long


def test_english_time_is_on_a_24_hour_clock():
    moment = datetime(2027, 1, 12, 14, 5)
    assert render("en", '{{ value|date:"SHORT_DATETIME_FORMAT" }}', moment) == "12 Jan 2027, 14:05"
    assert render("en", '{{ value|time:"TIME_FORMAT" }}', moment) == "14:05"


def test_english_notes_list_shows_day_month_year(client, forum, member):
    member.language = "en"
    member.save(update_fields=["language"])
    meeting = make_held_meeting(forum, attendees=[member], days_ago=3)
    client.force_login(member)
    response = client.get(reverse("notes:forum_notes", kwargs={"forum_id": forum.pk}))
    html = response.content.decode()
    day = timezone.localtime(meeting.starts_at)
    assert f"{day.day} {day:%b} {day.year}" in html
    assert not US_DATE.search(html)
