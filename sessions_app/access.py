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
from django.db.models.expressions import RawSQL
from django.http import Http404

from foorumix.rows import columns, fetch, instance
from forums.access import (
    MAX_ID,
    ForumAccess,
    access_from,
    forum_for_coordinator,
    forum_for_member,
    forum_for_participant,
    refuse_non_participants,
    viewer_sql,
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
    coordinate: with the coordinator role that is accepted or listed; without it
    (forums_for: active memberships only) accepted, or listed and an active member.

    Written as one SQL fragment because this filter starts every list of meetings and
    building it with the ORM (three subqueries) cost more than running it (0.8 ms of
    Python per page; bench/README.md). The membership rules are those of
    MembershipQuerySet.active()/accepted(); tests/sessions_app/meetings/test_visibility.py
    holds the two to each other.
    """
    visible = visible_forum_ids(user)
    if visible is None:
        return Meeting.objects.none()
    forums, params = visible
    return Meeting.objects.filter(forum_id__in=RawSQL(forums, params))  # noqa: S611


def visible_forum_ids(user: User) -> tuple[str, list[int]] | None:
    """(a SELECT of the ids of the forums whose meetings the user sees, its parameters),
    for meetings_visible_to and the hand-written meeting lists; None for whoever sees no
    meetings. Constant SQL, the user's id as its parameters."""
    if not user.is_authenticated or not user.is_active or is_hr_viewer(user):
        return None
    if is_coordinator(user):
        return _ACCEPTED_OR_LISTED, [user.pk, user.pk]
    return _ACCEPTED_OR_LISTED_MEMBER, [user.pk, user.pk]


# The forums of an active membership (not ended) whose accepted agreement version is the
# forum's current one, or where the user is listed among the coordinators: with the
# coordinator role, either; without it, listed counts only for an active member.
_ACTIVE = (
    "SELECT m.forum_id FROM forums_membership m JOIN forums_forum f ON f.id = m.forum_id"
    " WHERE m.user_id = %s AND m.ended_at IS NULL"
)
_LISTED = "SELECT forum_id FROM forums_forum_coordinators WHERE user_id = %s"
_ACCEPTED_OR_LISTED = f"{_ACTIVE} AND m.accepted_version >= f.agreement_version UNION {_LISTED}"
_ACCEPTED_OR_LISTED_MEMBER = (
    f"{_ACTIVE} AND (m.accepted_version >= f.agreement_version OR m.forum_id IN ({_LISTED}))"
)


def meeting_for_member(user: User, meeting_id: int) -> MeetingAccess:
    """The meeting, for its forum's members and coordinators; 404 for everyone else.
    One statement: the meeting, its forum and what the viewer is in it (forums.access
    .viewer_sql, hand-written for the reason given there; the rule is forum_for_member's).
    """
    refuse_non_participants(user)
    if not 0 < meeting_id <= MAX_ID:
        raise Http404  # larger than any id: no query
    select, joins, params = viewer_sql(user)
    # Column names from the models, the rest constant; values only as parameters.
    sql = (
        f"SELECT {columns(Meeting, 'mt')}, {columns(Forum, 'f')}, {select}"  # noqa: S608
        f" FROM sessions_app_meeting mt JOIN forums_forum f ON f.id = mt.forum_id {joins}"
        " WHERE mt.id = %s"
    )
    rows = fetch(sql, [*params, meeting_id])
    if not rows:
        raise Http404
    meeting_width = len(Meeting._meta.concrete_fields)
    forum_width = meeting_width + len(Forum._meta.concrete_fields)
    meeting = instance(Meeting, rows[0][:meeting_width])
    meeting.forum = instance(Forum, rows[0][meeting_width:forum_width])
    access = access_from(meeting.forum, rows[0][forum_width:])
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
