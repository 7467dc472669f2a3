"""Personal calendar subscription feeds (secret, revocable links)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from foorumix import tokens
from members.models import User
from sessions_app.models import CalendarFeed


def token_for(feed: CalendarFeed) -> str:
    return tokens.derive("calendar-feed", feed.nonce)


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("meetings:feed", kwargs={"token": token_for(feed)})


def live_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def feed_create(*, user: User) -> CalendarFeed:
    """A new feed address; any previous one stops working."""
    feed_revoke(user=user)
    feed = CalendarFeed(user=user, nonce=tokens.new_nonce())
    feed.token_hash = tokens.hash_token(token_for(feed))
    feed.save()
    return feed


def feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def find_feed(token: str) -> CalendarFeed | None:
    if not tokens.well_formed(token):
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=tokens.hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
