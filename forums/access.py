"""Who may see and do what with a forum. Every forum view starts here.

Rules (deny by default):
- Outsiders get 404 for every forum URL, never a hint that the forum exists.
- HR viewers get 404 on every forum page: HR sees aggregates only.
- Members who have not accepted the current group agreement reach only its page
  (AgreementPending, turned into a redirect by forums.middleware).
- Members get 403 on coordinator actions.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from forums.models import Forum, Membership
from members.models import User
from members.roles import is_coordinator, is_hr_viewer


class AgreementPending(Exception):
    """The member must accept the forum's current group agreement first."""

    def __init__(self, forum: Forum):
        super().__init__(forum.pk)
        self.forum = forum


def active_memberships(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, ended_at__isnull=True)


def forums_for(user: User) -> QuerySet[Forum]:
    """Forums the user belongs to (active membership) or coordinates."""
    if not user.is_authenticated or not user.is_active or is_hr_viewer(user):
        return Forum.objects.none()
    member = Membership.objects.filter(forum=OuterRef("pk"), user=user, ended_at__isnull=True)
    return Forum.objects.filter(Q(Exists(member)) | Q(coordinators=user)).distinct()


def forums_coordinated_by(user: User) -> QuerySet[Forum]:
    if not is_coordinator(user) or is_hr_viewer(user):
        return Forum.objects.none()
    return Forum.objects.filter(coordinators=user)


def _user_is_forum_coordinator(user: User, forum: Forum) -> bool:
    return is_coordinator(user) and forum.coordinators.filter(pk=user.pk).exists()


def get_forum_for_member(user: User, forum_id: int, *, agreement_page: bool = False) -> Forum:
    """The forum, for its active members and its coordinators; 404 for everyone else.

    A member who has not accepted the current agreement raises AgreementPending unless
    this is the agreement page itself (`agreement_page=True`).
    """
    forum = forums_for(user).filter(pk=forum_id).first()
    if forum is None:
        raise Http404
    forum.viewer_is_coordinator = _user_is_forum_coordinator(user, forum)
    forum.viewer_membership = active_memberships(user).filter(forum=forum).first()
    if (
        not agreement_page
        and not forum.viewer_is_coordinator
        and forum.viewer_membership is not None
        and forum.viewer_membership.accepted_version < forum.agreement_version
    ):
        raise AgreementPending(forum)
    return forum


def get_forum_for_participant(user: User, forum_id: int, *, agreement_page: bool = False) -> Forum:
    """The forum, for its active members (leaving, voting, answering for oneself);
    404 for outsiders, 403 for a coordinator who is not a member."""
    forum = get_forum_for_member(user, forum_id, agreement_page=agreement_page)
    if forum.viewer_membership is None:
        raise PermissionDenied
    return forum


def get_forum_for_coordinator(user: User, forum_id: int) -> Forum:
    """The forum, for its coordinators; 404 for outsiders, 403 for its members."""
    forum = get_forum_for_member(user, forum_id, agreement_page=True)
    if not forum.viewer_is_coordinator:
        raise PermissionDenied
    return forum


def require_coordinator_role(user: User) -> None:
    """Creating a forum needs the coordinator role; anyone else gets 403."""
    if not is_coordinator(user) or is_hr_viewer(user):
        raise PermissionDenied
