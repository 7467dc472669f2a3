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
    access = meeting_for_member(request.user, meeting_id)
    meeting = access.meeting
    method = "CANCEL" if meeting.is_cancelled else "PUBLISH"
    response = HttpResponse(
        calendar.calendar_for([meeting], method=method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="foorumix-{meeting.pk}.ics"'
    return response


@login_required
@never_cache
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Show the personal feed address; create, replace or revoke it."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            feeds.feed_create(user=request.user)
            messages.success(request, _("Your calendar address is ready."))
        elif action == "revoke":
            feeds.feed_revoke(user=request.user)
            messages.success(request, _("The calendar address was revoked and stops working now."))
        return redirect("meetings:calendar")
    feed = feeds.live_feed(request.user)
    return render(
        request,
        "sessions_app/calendar_settings.html",
        {"feed_url": feeds.feed_url(feed) if feed else None},
    )


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
