"""Who may see and do what with a forum. Every forum view starts here.

Rules (deny by default):
- Outsiders get 404 for every forum URL, never a hint that the forum exists.
- HR viewers get 404 on every forum page: HR sees aggregates only.
- Members who have not accepted the current group agreement reach only its page
  (AgreementPending, turned into a redirect by forums.middleware).
- Members get 403 on coordinator actions.
- Coordinating a forum needs the coordinator role as well as a place among the forum's
  coordinators: whoever loses the role loses the forum (unless also a member).

The helpers return a `ForumAccess`: the forum and what the viewer is in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from foorumix.rows import columns, fetch, instance
from forums.models import Forum, Invitation, Membership
from members.models import User
from members.roles import is_coordinator, is_hr_viewer

# The largest id a forum can have (a BigAutoField).
MAX_ID = 2**63 - 1


class AgreementPending(Exception):
    """The member must accept the forum's current group agreement first."""

    def __init__(self, forum: Forum):
        super().__init__(forum.pk)
        self.forum = forum


@dataclass(frozen=True)
class ForumAccess:
    """A forum as one viewer may use it."""

    forum: Forum
    membership: Membership | None  # the viewer's active membership, if a member
    is_coordinator: bool  # the viewer coordinates this forum

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def needs_agreement(self) -> bool:
        return (
            self.membership is not None
            and self.membership.accepted_version < self.forum.agreement_version
        )


def forums_for(user: User) -> QuerySet[Forum]:
    """Forums the user belongs to (active membership) or coordinates. Coordinating needs
    the coordinator role too: without it, being listed among a forum's coordinators
    gives nothing (giving the role back restores it)."""
    if not user.is_authenticated or not user.is_active or is_hr_viewer(user):
        return Forum.objects.none()
    member = Membership.objects.active().filter(forum=OuterRef("pk"), user=user)
    if not is_coordinator(user):
        return Forum.objects.filter(Exists(member))
    return Forum.objects.filter(Q(Exists(member)) | Q(coordinators=user)).distinct()


def forums_coordinated_by(user: User) -> QuerySet[Forum]:
    if not is_coordinator(user) or is_hr_viewer(user):
        return Forum.objects.none()
    return Forum.objects.filter(coordinators=user)


def forum_for_member(user: User, forum_id: int, *, agreement_page: bool = False) -> ForumAccess:
    """The forum, for its active members and its coordinators; 404 for everyone else.

    A member who has not accepted the current agreement raises AgreementPending unless
    this is the agreement page itself (`agreement_page=True`).

    The rule is forums_for's, asked about one forum in one statement (every page starts
    here): the forum with what the viewer is in it (`viewer_sql`).
    """
    refuse_non_participants(user)
    if not 0 < forum_id <= MAX_ID:
        raise Http404  # larger than any id: no query
    select, joins, params = viewer_sql(user)
    # Column names from the models, the rest constant; values only as parameters.
    sql = f"SELECT {columns(Forum, 'f')}, {select} FROM forums_forum f {joins} WHERE f.id = %s"  # noqa: S608
    rows = fetch(sql, [*params, forum_id])
    if not rows:
        raise Http404
    width = len(Forum._meta.concrete_fields)
    return access_from(instance(Forum, rows[0][:width]), rows[0][width:], agreement_page)


def refuse_non_participants(user: User) -> None:
    """404 for whoever takes part in no forum: anonymous, closed accounts and HR."""
    if not user.is_authenticated or not user.is_active or is_hr_viewer(user):
        raise Http404


def viewer_sql(user: User) -> tuple[str, str, list]:
    """(columns, joins, their parameters) that add to a statement over the forum `f` what
    the viewer is in it: their active membership (one per person and forum; the rule of
    MembershipQuerySet.active()) and, for the coordinator role, whether they are listed
    among its coordinators. Read back with `access_from`.

    Hand-written because every forum and meeting page starts with it: as an ORM query
    (a filtered join and an Exists) it took 1.3-1.9 ms of Python to build, compile and
    read, three times the statement's own time (bench/README.md). Constant SQL with the
    models' own column names; tests/sessions_app/meetings/test_visibility.py checks it
    against forums_for for every kind of person."""
    if is_coordinator(user):
        return f"{columns(Membership, 'vm')}, {_LISTED}", _MEMBERSHIP, [user.pk, user.pk]
    return f"{columns(Membership, 'vm')}, 1 = 0", _MEMBERSHIP, [user.pk]


_LISTED = (
    "EXISTS (SELECT 1 FROM forums_forum_coordinators c WHERE c.forum_id = f.id AND c.user_id = %s)"
)
_MEMBERSHIP = (
    "LEFT JOIN forums_membership vm"
    " ON vm.forum_id = f.id AND vm.user_id = %s AND vm.ended_at IS NULL"
)


def access_from(forum: Forum, values: Sequence, agreement_page: bool = False) -> ForumAccess:
    """The viewer's access to `forum` from the values `viewer_sql` added: 404 unless an
    active member or a listed coordinator (with the role); AgreementPending as
    forum_for_member says."""
    membership = instance(Membership, values[:-1])
    listed = bool(values[-1])
    if membership is None and not listed:
        raise Http404
    if membership is not None:
        membership.forum = forum
    access = ForumAccess(forum=forum, membership=membership, is_coordinator=listed)
    if not agreement_page and not access.is_coordinator and access.needs_agreement:
        raise AgreementPending(forum)
    return access


def forum_for_participant(
    user: User, forum_id: int, *, agreement_page: bool = False
) -> ForumAccess:
    """The forum, for its active members (leaving, voting, answering for oneself);
    404 for outsiders, 403 for a coordinator who is not a member."""
    access = forum_for_member(user, forum_id, agreement_page=agreement_page)
    if not access.is_member:
        raise PermissionDenied
    return access


def forum_for_coordinator(user: User, forum_id: int) -> ForumAccess:
    """The forum, for its coordinators; 404 for outsiders, 403 for its members."""
    access = forum_for_member(user, forum_id, agreement_page=True)
    if not access.is_coordinator:
        raise PermissionDenied
    return access


def invitation_for_coordinator(
    user: User, forum_id: int, invitation_id: int
) -> tuple[ForumAccess, Invitation]:
    """One of the forum's invitations, for its coordinators; 404 if it is another
    forum's (or none), 403 for members, 404 for outsiders."""
    access = forum_for_coordinator(user, forum_id)
    invitation = access.forum.invitations.filter(pk=invitation_id).select_related("forum").first()
    if invitation is None:
        raise Http404
    return access, invitation


def membership_for_coordinator(
    user: User, forum_id: int, membership_id: int
) -> tuple[ForumAccess, Membership]:
    """An active membership of the forum, for its coordinators (to remove a member)."""
    access = forum_for_coordinator(user, forum_id)
    membership = access.forum.memberships.active().filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    return access, membership


def invitation_by_token(token: object) -> Invitation | None:
    """The invitation a link opens, whatever its state (the page says why a used,
    revoked or expired one cannot be used); None if the token is malformed or unknown."""
    return Invitation.by_token(token).select_related("forum", "invited_by").first()


def require_coordinator_role(user: User) -> None:
    """Creating a forum needs the coordinator role; anyone else gets 403."""
    if not is_coordinator(user) or is_hr_viewer(user):
        raise PermissionDenied
