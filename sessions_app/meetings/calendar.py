"""iCalendar (RFC 5545) files for meetings, via the icalendar library.

An event carries the forum's name, time, place or link, theme and agenda — never other
members' names, RSVPs, preparation or notes. The texts go through
foorumix.text.normalise: a right-to-left override or zero-width character in a forum
name, theme or place must not change how a calendar shows the event.

Every calendar Foorumix hands out, by email, download or feed, is METHOD:PUBLISH with no
ORGANIZER and no ATTENDEE: a copy of the meeting to keep, not an iTIP invitation. A
REQUEST (or an ORGANIZER/ATTENDEE) makes Outlook, Gmail and Apple Mail show
Accept/Decline buttons whose answers would go to a no-reply address and record
nothing; people answer on the meeting page instead. A cancellation is the same event
(same UID, higher SEQUENCE) with STATUS:CANCELLED, which calendars show as cancelled;
METHOD:CANCEL is an organizer's message and some clients answer it with buttons too."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from foorumix.text import normalise, normalise_line
from sessions_app.meetings.scheduling import HELSINKI
from sessions_app.models import Meeting


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})


def event_for(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"{meeting.uid}@foorumix")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(HELSINKI))
    event.add("dtend", meeting.ends_at.astimezone(HELSINKI))
    summary = meeting.forum.name if not meeting.theme else f"{meeting.forum.name}: {meeting.theme}"
    event.add("summary", normalise_line(summary))
    if meeting.place or meeting.online_url:
        event.add("location", normalise_line(meeting.place or meeting.online_url))
    description = "\n\n".join(
        part for part in (meeting.agenda, meeting.online_url, meeting_url(meeting)) if part
    )
    event.add("description", normalise(description))
    event.add("url", meeting_url(meeting))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_for(meetings: Iterable[Meeting], *, method: str = "PUBLISH", name: str = "") -> bytes:
    """A calendar with a VTIMEZONE for Europe/Helsinki and one VEVENT per meeting."""
    calendar = Calendar()
    calendar.add("prodid", "-//Foorumix//Foorumix//FI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    for meeting in meetings:
        calendar.add_component(event_for(meeting))
    for tzid in calendar.get_missing_tzids():  # what add_missing_timezones() does
        if (vtimezone := _vtimezone(tzid)) is not None:
            calendar.add_component(vtimezone)
    return calendar.to_ical()


def email_attachment(meeting: Meeting) -> tuple[str, bytes, str]:
    """(filename, content, MIME type) of the calendar file attached to a meeting email:
    PUBLISH also for a cancellation (the event says STATUS:CANCELLED), so no mail client
    offers reply buttons. The MIME type's method matches the file's, as RFC 6047 asks."""
    return "foorumix.ics", calendar_for([meeting]), "text/calendar; method=PUBLISH"


@cache
def _vtimezone(tzid: str) -> Timezone | None:
    """The VTIMEZONE of a time zone over icalendar's default range of years, the same for
    every calendar; working it out took most of the time of building one."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None
