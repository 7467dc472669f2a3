"""Who may see and do what with meetings, polls, themes, notes, HR figures and the
secret links of sessions_app. Every view of sessions_app starts with one helper here.

A meeting is visible exactly when its forum is (forums/access.py): outsiders, HR and
members of other forums get 404; members who have not accepted the current group
agreement are sent to it; members get 403 on coordinator actions. Notes are written by
the forum's coordinators and the meeting's note-taker. HR viewers see the aggregates
of their own organisation only. A secret link (pulse, calendar feed) is its own
credential: an unknown, malformed or revoked one opens nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from forums.access import (
    ForumAccess,
    forum_for_coordinator,
    forum_for_member,
    forum_for_participant,
)
from forums.models import Forum, Membership
from members.models import User
from members.roles import hr_organisation_id, is_coordinator, is_hr_viewer
from sessions_app.models import CalendarFeed, Meeting, PulseReceipt, SchedulingPoll, Theme


@dataclass(frozen=True)
class MeetingAccess:
    """A meeting as one viewer may use it; `forum_access` says what the viewer is in its
    forum."""

    meeting: Meeting
    forum_access: ForumAccess

    @property
    def forum(self) -> Forum:
        return self.forum_access.forum

    @property
    def membership(self) -> Membership | None:
        return self.forum_access.membership

    @property
    def is_coordinator(self) -> bool:
        return self.forum_access.is_coordinator

    @property
    def is_member(self) -> bool:
        return self.forum_access.is_member

    @property
    def may_write_notes(self) -> bool:
        return may_write_notes(self.forum_access, self.meeting)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings of forums the user coordinates or belongs to with the current agreement
    accepted. (A member with a pending agreement sees no meetings until accepting.)

    The forums are forums_for(user) that the user has accepted or is listed to
    coordinate, written out flat because this query starts every list of meetings and
    the nested form took longer to build than to run: with the coordinator role that is
    accepted or listed; without it (forums_for: active memberships only) accepted, or
    listed and an active member."""
    if not user.is_authenticated or not user.is_active or is_hr_viewer(user):
        return Meeting.objects.none()
    memberships = Membership.objects.filter(user=user)
    accepted = Q(forum_id__in=memberships.accepted().values("forum_id"))
    listed = Q(forum_id__in=Forum.coordinators.through.objects.filter(user=user).values("forum_id"))
    if is_coordinator(user):
        return Meeting.objects.filter(accepted | listed)
    member = Q(forum_id__in=memberships.active().values("forum_id"))
    return Meeting.objects.filter(accepted | (member & listed))


def meeting_for_member(user: User, meeting_id: int) -> MeetingAccess:
    """The meeting, for its forum's members and coordinators; 404 for everyone else.
    (The meeting is read first only to know its forum: nobody outside sees anything.)"""
    meeting = Meeting.objects.select_related("note_taker").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    access = forum_for_member(user, meeting.forum_id)
    meeting.forum = access.forum  # the forum already loaded, not a second query
    return MeetingAccess(meeting=meeting, forum_access=access)


def meeting_for_coordinator(user: User, meeting_id: int) -> MeetingAccess:
    """The meeting, for its forum's coordinators; 404 for outsiders, 403 for members."""
    access = meeting_for_member(user, meeting_id)
    if not access.is_coordinator:
        raise PermissionDenied
    return access


def meeting_for_participant(user: User, meeting_id: int) -> MeetingAccess:
    """The meeting, for its forum's members (RSVP, own preparation); 404 for outsiders,
    403 for a coordinator who is not a member of the forum."""
    access = meeting_for_member(user, meeting_id)
    if not access.is_member:
        raise PermissionDenied
    return access


# --- Session notes ----------------------------------------------------------------------


def may_write_notes(access: ForumAccess, meeting: Meeting) -> bool:
    """The forum's coordinators, and the meeting's note-taker while an active member.
    (Whether the meeting takes notes at all is notes.services.meeting_accepts_notes.)"""
    if access.is_coordinator:
        return True
    return access.is_member and meeting.note_taker_id == access.membership.user_id


def meeting_for_note_writer(user: User, meeting_id: int) -> MeetingAccess:
    """The meeting, for those who may write its notes; 403 for other members, 404 for
    everyone outside the forum."""
    access = meeting_for_member(user, meeting_id)
    if not access.may_write_notes:
        raise PermissionDenied
    return access


# --- Polls and themes -------------------------------------------------------------------


def _poll(user: User, poll_id: int, forum_helper) -> tuple[ForumAccess, SchedulingPoll]:
    forum_id = SchedulingPoll.objects.filter(pk=poll_id).values_list("forum_id", flat=True).first()
    if forum_id is None:
        raise Http404
    access = forum_helper(user, forum_id)
    poll = SchedulingPoll.objects.select_related("meeting").get(pk=poll_id)
    poll.forum = access.forum
    return access, poll


def poll_for_member(user: User, poll_id: int) -> tuple[ForumAccess, SchedulingPoll]:
    """A scheduling poll, for its forum's members and coordinators; 404 for others."""
    return _poll(user, poll_id, forum_for_member)


def poll_for_coordinator(user: User, poll_id: int) -> tuple[ForumAccess, SchedulingPoll]:
    """A scheduling poll, for its forum's coordinators (picking a slot); 403 members."""
    return _poll(user, poll_id, forum_for_coordinator)


def theme_for_participant(user: User, forum_id: int, theme_id: int) -> tuple[ForumAccess, Theme]:
    """A theme a member may vote on: the forum's own or one from the shared library."""
    access = forum_for_participant(user, forum_id)
    theme = Theme.objects.filter(Q(forum=access.forum) | Q(forum__isnull=True), pk=theme_id).first()
    if theme is None:
        raise Http404
    return access, theme


# --- HR ---------------------------------------------------------------------------------


def organisation_for_hr_viewer(user: User) -> int:
    """The one organisation whose aggregates this HR viewer may see; 404 for everyone
    else. The organisation comes from the account, never from the request."""
    organisation_id = hr_organisation_id(user)
    if organisation_id is None:
        raise Http404
    return organisation_id


# --- Secret links -----------------------------------------------------------------------


def pulse_receipt_by_token(token: object) -> PulseReceipt | None:
    """The pulse receipt a link opens, answered or not; None if malformed or unknown."""
    return PulseReceipt.by_token(token).select_related("meeting__forum").first()


def calendar_feed_by_token(token: object) -> CalendarFeed | None:
    """The live feed a link opens; None if malformed, unknown, revoked or its owner's
    account is closed."""
    return (
        CalendarFeed.by_token(token)
        .filter(revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
