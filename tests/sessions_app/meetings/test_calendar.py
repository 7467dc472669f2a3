from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from sessions_app.meetings import feeds, services
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def meeting(forum):
    starts_at = datetime(2030, 10, 29, 13, 0, tzinfo=HELSINKI)  # the week after DST ends
    return make_meeting(
        forum, starts_at=starts_at, place="Pori", agenda="Kuulumiset", theme="Rajat"
    )


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_meeting_ics_has_a_stable_uid_timezone_and_sequence(client, meeting, member, coordinator):
    client.force_login(member)
    calendar = parse(client.get(reverse("meetings:ics", kwargs={"meeting_id": meeting.pk})))
    (event,) = calendar.walk("VEVENT")
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Europe/Helsinki"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"{meeting.uid}@foorumix"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime(2030, 10, 29, 13, 0, tzinfo=HELSINKI)
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert str(event["LOCATION"]) == "Pori"
    meeting.forum = meeting.forum
    services.meeting_update(
        meeting=meeting, actor=coordinator, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
        place="Rauma", online_url="", theme="Rajat", agenda="Kuulumiset",
    )  # fmt: skip
    (changed,) = parse(client.get(reverse("meetings:ics", kwargs={"meeting_id": meeting.pk}))).walk(
        "VEVENT"
    )
    assert str(changed["UID"]) == str(event["UID"])
    assert changed["SEQUENCE"] == 1


def test_cancelled_meeting_downloads_as_a_cancelled_event(client, meeting, member, coordinator):
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    client.force_login(member)
    calendar = parse(client.get(reverse("meetings:ics", kwargs={"meeting_id": meeting.pk})))
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "PUBLISH"  # no reply buttons (see calendar.py)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_ics_carries_no_member_names_or_private_text(client, meeting, member, coordinator):
    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note="POISSAOLO-SYY")
    services.preparation_save(
        meeting=meeting, user=member, current_situation="VALMISTELU", to_bring="", shared=True
    )
    client.force_login(coordinator)
    body = client.get(reverse("meetings:ics", kwargs={"meeting_id": meeting.pk})).content.decode()
    for secret in ("Liisa", "Virtanen", member.email, "POISSAOLO-SYY", "VALMISTELU"):
        assert secret not in body


def test_personal_feed_lists_my_meetings_and_a_revoked_token_is_404(
    client, meeting, other_forum, member
):
    make_meeting(
        other_forum, starts_at=datetime(2030, 11, 5, 9, 0, tzinfo=HELSINKI), theme="VIERAS"
    )
    client.force_login(member)
    client.post(reverse("meetings:calendar"), {"action": "create"})
    feed = feeds.live_feed(member)
    url = feeds.feed_url(feed).split("8000", 1)[1]
    client.logout()
    calendar = parse(client.get(url))
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"{meeting.uid}@foorumix"]
    assert "VIERAS" not in client.get(url).content.decode()
    client.force_login(member)
    client.post(reverse("meetings:calendar"), {"action": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404


def test_new_feed_address_replaces_the_old_one(client, member):
    old = feeds.feed_url(feeds.feed_create(user=member)).split("8000", 1)[1]
    new = feeds.feed_url(feeds.feed_create(user=member)).split("8000", 1)[1]
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


@pytest.mark.parametrize("token", ["x", "0" * 64, "../../etc"])
def test_bad_feed_token_is_404(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_feed_stops_when_the_member_leaves(client, meeting, member):
    from forums.services import membership_leave

    url = feeds.feed_url(feeds.feed_create(user=member)).split("8000", 1)[1]
    membership_leave(forum=meeting.forum, user=member)
    assert list(parse(client.get(url)).walk("VEVENT")) == []
