"""The start page: each role lands on its own. Part of the site shell, so it may
combine what every app offers."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forums import selectors
from members.roles import is_coordinator, is_hr_viewer
from sessions_app.meetings import selectors as meeting_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if is_hr_viewer(user):
        return render(request, "members/home_hr.html", {"organisation": user.hr_organisation})
    memberships = list(selectors.member_memberships(user))
    context = {
        "upcoming": list(meeting_selectors.upcoming_meetings(user, limit=5)),
        "memberships": memberships,
        "agreements_due": [m for m in memberships if m.needs_agreement],
        "invitations": [
            (invitation, invitation.token()) for invitation in selectors.open_invitations_for(user)
        ],
    }
    if is_coordinator(user):
        forums = list(selectors.coordinator_dashboard(user))
        next_meetings = meeting_selectors.next_meeting_by_forum([forum.pk for forum in forums])
        for forum in forums:
            meeting = next_meetings.get(forum.pk)
            forum.next_meeting_at = meeting.starts_at if meeting else None
        context["forums"] = forums
        return render(request, "members/home_coordinator.html", context)
    return render(request, "members/home.html", context)
