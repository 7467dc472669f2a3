"""Who may see and do what with a meeting. Every meeting view starts here.

A meeting is visible exactly when its forum is (forums/access.py): outsiders, HR and
members of other forums get 404; members who have not accepted the current group
agreement are sent to it; members get 403 on coordinator actions.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404

from forums.access import forums_for, get_forum_for_member
from forums.models import Membership
from members.models import User
from members.roles import hr_organisation_id
from sessions_app.models import Meeting


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings of forums the user coordinates or belongs to with the current agreement
    accepted. (A member with a pending agreement sees no meetings until accepting.)"""
    accepted = Membership.objects.filter(
        user=user, ended_at__isnull=True, accepted_version__gte=F("forum__agreement_version")
    ).values("forum_id")
    visible = forums_for(user).filter(Q(pk__in=accepted) | Q(coordinators=user))
    return Meeting.objects.filter(forum__in=visible.values("pk"))


def get_meeting_for_member(user: User, meeting_id: int) -> Meeting:
    """The meeting, for its forum's members and coordinators; 404 for everyone else.

    Sets `meeting.forum` to the forum returned by the forum access helper, which carries
    `viewer_is_coordinator` and `viewer_membership`.
    """
    meeting = Meeting.objects.filter(pk=meeting_id).only("pk", "forum_id").first()
    if meeting is None:
        raise Http404
    forum = get_forum_for_member(user, meeting.forum_id)
    meeting = Meeting.objects.select_related("note_taker").get(pk=meeting_id)
    meeting.forum = forum
    return meeting


def get_meeting_for_coordinator(user: User, meeting_id: int) -> Meeting:
    """The meeting, for its forum's coordinators; 404 for outsiders, 403 for members."""
    meeting = get_meeting_for_member(user, meeting_id)
    if not meeting.forum.viewer_is_coordinator:
        raise PermissionDenied
    return meeting


def get_meeting_for_participant(user: User, meeting_id: int) -> Meeting:
    """The meeting, for its forum's members (RSVP, own preparation); 404 for outsiders,
    403 for a coordinator who is not a member of the forum."""
    meeting = get_meeting_for_member(user, meeting_id)
    if meeting.forum.viewer_membership is None:
        raise PermissionDenied
    return meeting


def organisation_for_hr_viewer(user: User) -> int:
    """The one organisation whose aggregates this HR viewer may see; 404 for everyone
    else. The organisation comes from the account, never from the request."""
    organisation_id = hr_organisation_id(user)
    if organisation_id is None:
        raise Http404
    return organisation_id


__all__ = [
    "forums_for",
    "get_meeting_for_coordinator",
    "get_meeting_for_member",
    "get_meeting_for_participant",
    "meetings_visible_to",
    "organisation_for_hr_viewer",
]
