"""The start page: each role lands on its own. Part of the site shell, so it may
combine what every app offers."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forums import selectors
from members.roles import is_coordinator, is_hr_viewer
from sessions_app.meetings import selectors as meeting_selectors
from sessions_app.meetings.todo import coordinator_todo
from sessions_app.polls.selectors import polls_waiting_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if is_hr_viewer(user):
        return render(request, "members/home_hr.html", {"organisation": user.hr_organisation})
    memberships = list(selectors.member_memberships(user))
    context = {
        "upcoming": meeting_selectors.upcoming_meetings(user, limit=5),
        "memberships": memberships,
        "agreements_due": [m for m in memberships if m.needs_agreement],
        "invitations": [
            (invitation, invitation.token()) for invitation in selectors.open_invitations_for(user)
        ],
    }
    if is_coordinator(user):
        dashboard = selectors.coordinator_dashboard(user)
        context["forums"] = list(
            dashboard.annotate(next_meeting_at=meeting_selectors.next_meeting_start())
        )
        context["todo"] = coordinator_todo(user)
        return render(request, "members/home_coordinator.html", context)
    # A member's home leads with what to do next: the next meeting (answer, prepare),
    # then the time polls waiting for an answer; the rest below.
    next_meeting = meeting_selectors.next_meeting_for(user)
    context["next_meeting"] = next_meeting
    context["waiting_polls"] = polls_waiting_for(user)
    if next_meeting is not None:
        context["upcoming"] = [row for row in context["upcoming"] if row.pk != next_meeting.pk]
    return render(request, "members/home.html", context)
