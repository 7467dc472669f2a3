"""Scheduling: series in Helsinki local time across DST, and the refusal rules."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions_app.meetings import services
from sessions_app.meetings.scheduling import Occurrence, Repeat, occurrences
from sessions_app.models import Meeting, MeetingChange, MeetingSeries
from tests.factories import make_meeting

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_monthly_series_across_october_dst_change_keeps_13_local():
    # First Tuesday of Sept 2027 … the last Sunday of October 2027 is the 31st.
    series = occurrences(
        first_day=date(2027, 9, 7), start=time(13), end=time(16),
        repeat=Repeat.MONTHLY_WEEKDAY, count=3,
    )  # fmt: skip
    assert [o.starts_at.astimezone(HELSINKI).time() for o in series] == [time(13)] * 3
    assert [o.starts_at.date() for o in series] == [
        date(2027, 9, 7),
        date(2027, 10, 5),
        date(2027, 11, 2),
    ]
    # The UTC instant moves by an hour when summer time ends.
    assert [o.starts_at.astimezone(ZoneInfo("UTC")).hour for o in series] == [10, 10, 11]
    assert all(o.ends_at - o.starts_at == timedelta(hours=3) for o in series)


def test_weekly_series_across_the_last_sunday_of_march_keeps_13_local():
    series = occurrences(
        first_day=date(2027, 3, 22), start=time(13), end=time(16), repeat=Repeat.WEEKLY, count=2
    )
    assert [o.starts_at.astimezone(HELSINKI).time() for o in series] == [time(13), time(13)]
    assert [o.starts_at.utcoffset() for o in series] == [timedelta(hours=2), timedelta(hours=3)]


def test_weekly_series_across_the_last_sunday_of_october():
    series = occurrences(
        first_day=date(2027, 10, 25), start=time(13), end=time(16), repeat=Repeat.WEEKLY, count=2
    )
    assert [o.starts_at.astimezone(HELSINKI).hour for o in series] == [13, 13]
    assert [o.starts_at.utcoffset() for o in series] == [timedelta(hours=3), timedelta(hours=2)]


def test_first_tuesday_series_lands_on_first_tuesdays():
    series = occurrences(
        first_day=date(2027, 1, 5), start=time(13), end=time(16),
        repeat=Repeat.MONTHLY_WEEKDAY, count=10,
    )  # fmt: skip
    assert len(series) == 10
    assert all(o.starts_at.weekday() == 1 and o.starts_at.day <= 7 for o in series)


pytestmark_db = pytest.mark.django_db


def future(days=10, hour=13):
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour)).replace(tzinfo=HELSINKI)


@pytest.mark.django_db
def test_schedule_a_series_records_each_meeting_and_its_change(forum, coordinator):
    start = future()
    meetings = services.meeting_schedule(
        forum=forum,
        actor=coordinator,
        occurrences=[
            Occurrence(start + timedelta(weeks=i), start + timedelta(weeks=i, hours=3))
            for i in range(4)
        ],
        theme="Vaikeat keskustelut",
        rule="RRULE:FREQ=WEEKLY;COUNT=4",
    )
    assert len(meetings) == 4
    assert MeetingSeries.objects.get().meetings.count() == 4
    assert MeetingChange.objects.filter(kind="scheduled").count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: [Occurrence(future(), future() - timedelta(hours=1))], "end after it starts"),
        (lambda: [Occurrence(future(-1), future(-1) + timedelta(hours=3))], "in the past"),
        (
            lambda: [
                Occurrence(future(i + 1), future(i + 1) + timedelta(hours=1)) for i in range(53)
            ],
            "at most 52",
        ),
    ],
)
def test_bad_times_are_refused_and_nothing_is_saved(forum, coordinator, make, message):
    with pytest.raises(ValidationError, match=message):
        services.meeting_schedule(forum=forum, actor=coordinator, occurrences=make())
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_overlapping_meeting_of_the_same_forum_is_refused(forum, other_forum, coordinator):
    make_meeting(forum, starts_at=future())
    make_meeting(other_forum, starts_at=future(11))
    with pytest.raises(ValidationError, match="overlaps"):
        services.meeting_schedule(
            forum=forum,
            actor=coordinator,
            occurrences=[Occurrence(future() + timedelta(hours=2), future() + timedelta(hours=4))],
        )
    # Another forum's meeting at the same time is no clash.
    services.meeting_schedule(
        forum=forum,
        actor=coordinator,
        occurrences=[Occurrence(future(11), future(11) + timedelta(hours=3))],
    )
    assert forum.meetings.count() == 2


@pytest.mark.django_db
def test_cancelled_meeting_does_not_block_the_time(forum, coordinator):
    make_meeting(forum, starts_at=future(), status=Meeting.Status.CANCELLED)
    services.meeting_schedule(
        forum=forum,
        actor=coordinator,
        occurrences=[Occurrence(future(), future() + timedelta(hours=3))],
    )
    assert forum.meetings.count() == 2


@pytest.mark.django_db
def test_schedule_form_reports_errors_and_keeps_the_input(client, forum, coordinator):
    client.force_login(coordinator)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("meetings:schedule", kwargs={"forum_id": forum.pk}),
        {"day": day, "start": "16:00", "end": "13:00", "repeat": "monthly_weekday", "count": "60",
         "place": "Pori", "agenda": "Kuulumiset"},
    )  # fmt: skip
    form = response.context["form"]
    assert set(form.errors) == {"end", "count"}
    assert form["agenda"].value() == "Kuulumiset"
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_schedule_form_creates_a_first_tuesday_series(client, forum, coordinator):
    client.force_login(coordinator)
    first_tuesday = next(
        d
        for d in (timezone.localdate() + timedelta(days=n) for n in range(1, 60))
        if d.weekday() == 1 and d.day <= 7
    )
    response = client.post(
        reverse("meetings:schedule", kwargs={"forum_id": forum.pk}),
        {"day": first_tuesday.isoformat(), "start": "13:00", "end": "16:00",
         "repeat": "monthly_weekday", "count": "10", "place": "Pori"},
    )  # fmt: skip
    assert response.status_code == 302
    meetings = list(forum.meetings.order_by("starts_at"))
    assert len(meetings) == 10
    assert {timezone.localtime(m.starts_at).strftime("%a %H:%M") for m in meetings} == {"Tue 13:00"}
    assert all(timezone.localtime(m.starts_at).day <= 7 for m in meetings)
    assert MeetingSeries.objects.get().rule == "RRULE:FREQ=MONTHLY;COUNT=10;BYDAY=+1TU"


@pytest.mark.django_db
def test_editing_a_meeting_raises_its_sequence_and_records_the_change(client, forum, coordinator):
    meeting = make_meeting(forum, starts_at=future())
    client.force_login(coordinator)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    client.post(
        reverse("meetings:edit", kwargs={"meeting_id": meeting.pk}),
        {"day": day, "start": "14:00", "end": "17:00", "place": "Rauma", "theme": meeting.theme},
    )
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).hour == 14
    assert (meeting.sequence, meeting.place) == (1, "Rauma")
    change = meeting.changes.get(kind="changed")
    assert change.fields == "starts_at,ends_at,place"


@pytest.mark.django_db
def test_cancelling_a_meeting(client, forum, coordinator, member):
    meeting = make_meeting(forum, starts_at=future())
    client.force_login(member)
    assert (
        client.post(reverse("meetings:cancel", kwargs={"meeting_id": meeting.pk})).status_code
        == 403
    )
    client.force_login(coordinator)
    client.post(reverse("meetings:cancel", kwargs={"meeting_id": meeting.pk}))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    assert meeting.changes.filter(kind="cancelled").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_edit_form_shows_the_meetings_date_and_times_in_every_language(
    client, forum, coordinator, language
):
    """HTML date/time inputs take ISO values only: a Finnish "28.11.2026" or "13.00"
    would leave them empty and saving would fail with "this field is required"."""
    meeting = make_meeting(forum, starts_at=future())
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    client.cookies["django_language"] = language
    html = client.get(reverse("meetings:edit", kwargs={"meeting_id": meeting.pk})).content.decode()
    local = timezone.localtime(meeting.starts_at)
    assert f'type="date" name="day" value="{local.date().isoformat()}"' in html
    assert f'type="time" name="start" value="{local:%H:%M}"' in html
    assert f'type="time" name="end" value="{timezone.localtime(meeting.ends_at):%H:%M}"' in html
