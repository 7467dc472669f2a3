"""Personal calendar subscription feeds (secret, revocable links)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import User
from sessions_app.models import CalendarFeed


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("meetings:feed", kwargs={"token": feed.token()})


def webcal_url(feed: CalendarFeed) -> str:
    """The same address with the webcal scheme: opening it asks the device's calendar
    (Apple Calendar, Outlook) to subscribe. Google Calendar takes the https address."""
    return "webcal://" + feed_url(feed).split("://", 1)[1]


def live_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def feed_create(*, user: User) -> CalendarFeed:
    """A new feed address; any previous one stops working."""
    feed_revoke(user=user)
    feed = CalendarFeed(user=user)
    feed.draw_token()
    feed.save()
    return feed


def feed_revoke(*, user: User) -> None:
    """The user's address stops working now; calendars subscribed with it stop updating."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
