"""The start page: each role lands on its own. Part of the site shell, so it may
combine what every app offers."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from forums import selectors
from members.roles import is_coordinator, is_hr_viewer
from sessions_app.meetings import dashboard
from sessions_app.meetings import selectors as meeting_selectors
from sessions_app.meetings.todo import coordinator_todo
from sessions_app.polls.selectors import polls_waiting_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if is_hr_viewer(user):
        return render(request, "members/home_hr.html", {"organisation": user.hr_organisation})
    if is_coordinator(user):
        return _coordinator_dashboard(request)
    memberships = selectors.member_memberships(user)
    context = _common(request, memberships, selectors.open_invitations_for(user))
    # A member's home leads with what to do next: the next meeting (answer, prepare),
    # then the time polls waiting for an answer; the rest below.
    next_meeting = meeting_selectors.next_meeting_for(user, memberships.accepted_forum_ids())
    context["next_meeting"] = next_meeting
    context["waiting_polls"] = polls_waiting_for(user, [m.forum_id for m in memberships.mine])
    if next_meeting is not None:
        context["upcoming"] = [row for row in context["upcoming"] if row.pk != next_meeting.pk]
    return render(request, "members/home.html", context)


def _common(
    request: HttpRequest,
    memberships: selectors.HomeMemberships,
    invitations: selectors.HomeInvitations,
) -> dict:
    """What both homes show: upcoming meetings, my forums, what needs my attention."""
    return {
        "upcoming": meeting_selectors.upcoming_meetings(request.user, limit=5),
        "memberships": memberships.mine,
        "agreements_due": [m for m in memberships.mine if m.needs_agreement],
        "invitations": invitations.mine,
    }


def _coordinator_dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinated forums' cards and to-do list, then what any member sees. The
    forums, their members and their invitations are read once for both."""
    user, now = request.user, timezone.now()
    forums = dashboard.coordinated_forums(user, now)
    ids = [forum.pk for forum in forums]
    memberships = selectors.member_memberships(user, also=ids)
    invitations = selectors.open_invitations_for(user, also=ids)
    context = _common(request, memberships, invitations)
    context["forums"] = dashboard.forum_cards(forums, memberships.members, invitations.expiries)
    context["todo"] = coordinator_todo(
        user,
        forums=forums,
        members=memberships.members,
        expiries=invitations.expiries,
        now=now,
    )
    return render(request, "members/home_coordinator.html", context)
