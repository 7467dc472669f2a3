"""Calendars: one meeting's .ics and the personal subscription feed."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sessions_app.access import calendar_feed_by_token, meeting_for_member, meetings_visible_to
from sessions_app.meetings import calendar, feeds


@login_required
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting as a calendar file: PUBLISH, a cancelled one with STATUS:CANCELLED
    (sessions_app/meetings/calendar.py says why)."""
    access = meeting_for_member(request.user, meeting_id)
    meeting = access.meeting
    response = HttpResponse(
        calendar.calendar_for([meeting]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="foorumix-{meeting.pk}.ics"'
    return response


# What a GET with ?confirm=… asks before the POST with the same action does it: both
# stop the current address, so calendars subscribed with it stop updating.
CONFIRMABLE = ("create", "revoke")


@login_required
@never_cache
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The personal feed address and how to subscribe to it; create, replace or revoke
    it. Replacing or revoking a live address is confirmed first (GET ?confirm=…)."""
    feed = feeds.live_feed(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            feeds.feed_create(user=request.user)
            messages.success(request, _("Your calendar address is ready."))
        elif action == "revoke" and feed is not None:
            feeds.feed_revoke(user=request.user)
            messages.success(request, _("The calendar address was revoked and stops working now."))
        return redirect("meetings:calendar")
    confirm = request.GET.get("confirm")
    if feed is not None and confirm in CONFIRMABLE:
        return render(request, "sessions_app/calendar_confirm.html", {"action": confirm})
    context = {}
    if feed is not None:
        context = {"feed_url": feeds.feed_url(feed), "webcal_url": feeds.webcal_url(feed)}
    return render(request, "sessions_app/calendar_settings.html", context)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription feed: the token is the credential; revoked or unknown → 404."""
    feed = calendar_feed_by_token(token)
    if feed is None:
        raise Http404
    since = timezone.now() - timedelta(days=30)
    meetings = (
        meetings_visible_to(feed.user)
        .filter(ends_at__gte=since)
        .select_related("forum")
        .order_by("starts_at")
    )
    return HttpResponse(
        calendar.calendar_for(meetings, name="Foorumix"),
        content_type="text/calendar; charset=utf-8",
    )
