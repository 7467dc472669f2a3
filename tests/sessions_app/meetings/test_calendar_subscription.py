"""A calendar subscription people can use, and calendar files that ask for no reply.

- The settings page gives a webcal:// link (same path as the https feed), the https
  address in a read-only field with a Copy button (hidden until copy.js shows it) and
  steps for Outlook, Google Calendar and Apple Calendar.
- Making a new address or revoking it is confirmed first (GET ?confirm=…, POST does it).
- Every calendar file is METHOD:PUBLISH with no ORGANIZER, ATTENDEE or RSVP, so mail
  clients show no Accept/Decline buttons that would record nothing; a cancellation is
  STATUS:CANCELLED."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from sessions_app.meetings import calendar, feeds, services
from sessions_app.models import CalendarFeed, Participation
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
SETTINGS = reverse("meetings:calendar")
REPLY_PROPERTIES = ("ATTENDEE", "ORGANIZER", "RSVP", "X-MICROSOFT-CDO-APPT-SEQUENCE")


@pytest.fixture
def meeting(forum, member):
    starts_at = datetime(2030, 10, 29, 13, 0, tzinfo=HELSINKI)
    meeting = make_meeting(forum, starts_at=starts_at, place="Pori", theme="Rajat")
    Participation.objects.create(meeting=meeting, user=member, rsvp="yes")
    return meeting


def no_reply_buttons(ics: bytes) -> Calendar:
    """The parsed calendar, after checking it invites no reply."""
    parsed = Calendar.from_ical(ics)
    assert str(parsed["METHOD"]) == "PUBLISH"
    text = ics.decode()
    for name in REPLY_PROPERTIES:
        assert f"\n{name}" not in text and f";{name}=" not in text, name
    for event in parsed.walk("VEVENT"):
        assert not any(key in event for key in REPLY_PROPERTIES)
    return parsed


# --- The settings page ---------------------------------------------------------------


def test_page_offers_webcal_link_https_field_copy_button_and_steps(client, member):
    feed = feeds.feed_create(user=member)
    client.force_login(member)
    page = client.get(SETTINGS).content.decode()
    https = feeds.feed_url(feed)
    webcal = feeds.webcal_url(feed)
    assert https.startswith("http") and webcal.startswith("webcal://")
    assert webcal.split("://", 1)[1] == https.split("://", 1)[1]  # the same host and path
    assert f'id="webcal-link" href="{webcal}"' in page
    assert f'<input type="text" id="feed-url" value="{https}" readonly' in page
    assert 'data-copy="feed-url"' in page and 'data-copied="Kopioitu"' in page
    # Without JavaScript there is no button that does nothing: copy.js shows it.
    assert '<span hidden><button type="button" class="secondary" id="copy-feed-url"' in page
    assert '<span role="status" id="copy-status"></span>' in page
    assert "/static/js/copy.js" in page
    for heading in ("Outlook verkossa ja uusi Outlook", "Outlook for Windows", "Google-kalenteri",
                    "Applen Kalenteri"):  # fmt: skip
        assert f"<h3>{heading}" in page
    assert "URL-osoitteesta" in page  # Google's "From URL" takes the https address


def test_page_without_an_address_offers_to_create_one(client, member):
    client.force_login(member)
    page = client.get(SETTINGS).content.decode()
    assert 'value="create">Luo kalenteriosoitteeni</button>' in page
    assert "webcal://" not in page and "copy.js" not in page
    client.post(SETTINGS, {"action": "create"})
    assert feeds.live_feed(member) is not None


def test_revoking_asks_first_and_then_the_old_address_stops(client, member):
    feed = feeds.feed_create(user=member)
    path = feeds.feed_url(feed).split("8000", 1)[1]
    client.force_login(member)

    page = client.get(SETTINGS).content.decode()
    assert 'href="?confirm=revoke"' in page
    assert 'value="revoke"' not in page  # no one-click revoke on the settings page
    confirm = client.get(SETTINGS, {"confirm": "revoke"})
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Poistetaanko kalenteriosoitteesi käytöstä?" in text
    assert "eivätkä sillä tilatut kalenterit enää päivity" in text
    assert "Voit luoda täällä uuden osoitteen milloin tahansa." in text
    assert client.get(path).status_code == 200  # asking changed nothing

    response = client.post(SETTINGS, {"action": "revoke"})
    assert response.status_code == 302
    assert feeds.live_feed(member) is None
    client.logout()
    assert client.get(path).status_code == 404


def test_a_new_address_asks_first_and_replaces_the_old_one(client, member):
    old = feeds.feed_create(user=member)
    client.force_login(member)
    text = client.get(SETTINGS, {"confirm": "create"}).content.decode()
    assert "Luodaanko uusi kalenteriosoite?" in text
    assert feeds.live_feed(member) == old
    client.post(SETTINGS, {"action": "create"})
    new = feeds.live_feed(member)
    assert new is not None and new != old
    assert CalendarFeed.objects.get(pk=old.pk).revoked_at is not None


def test_confirmation_without_an_address_shows_the_page(client, member):
    client.force_login(member)
    response = client.get(SETTINGS, {"confirm": "revoke"})
    assert response.templates[0].name == "sessions_app/calendar_settings.html"


def test_settings_page_runs_a_fixed_number_of_queries(client, member, django_assert_num_queries):
    feeds.feed_create(user=member)
    client.force_login(member)
    client.get(SETTINGS)  # session and user warmed up as on any page
    with CaptureQueriesContext(connection) as first:
        client.get(SETTINGS)
    for _ in range(3):
        feeds.feed_create(user=member)  # revoked addresses pile up
    with django_assert_num_queries(len(first)):
        client.get(SETTINGS)


# --- Calendar files: no reply buttons ----------------------------------------------------


def test_emailed_calendar_is_a_publish_without_attendees_or_organizer(meeting):
    filename, content, mimetype = calendar.email_attachment(meeting)
    assert (filename, mimetype) == ("foorumix.ics", "text/calendar; method=PUBLISH")
    parsed = no_reply_buttons(content)
    (event,) = parsed.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@foorumix"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2030, 10, 29, 13, 0, tzinfo=HELSINKI)


def test_emailed_cancellation_is_a_publish_with_status_cancelled(meeting, coordinator):
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    meeting.refresh_from_db()
    _filename, content, mimetype = calendar.email_attachment(meeting)
    assert mimetype == "text/calendar; method=PUBLISH"
    (event,) = no_reply_buttons(content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_downloaded_and_subscribed_calendars_ask_for_no_reply(client, meeting, member, coordinator):
    client.force_login(member)
    ics_url = reverse("meetings:ics", kwargs={"meeting_id": meeting.pk})
    no_reply_buttons(client.get(ics_url).content)
    feed_path = feeds.feed_url(feeds.feed_create(user=member)).split("8000", 1)[1]
    (event,) = no_reply_buttons(client.get(feed_path).content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Foorumi A: Rajat"
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    (cancelled,) = no_reply_buttons(client.get(ics_url).content).walk("VEVENT")
    assert str(cancelled["STATUS"]) == "CANCELLED"
