"""Reads that span relations, with a fixed number of queries whatever the data size."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from forums.access import forums_coordinated_by
from forums.models import (
    AuditEvent,
    Forum,
    Invitation,
    Membership,
    invitation_is_open,
    membership_is_active,
)
from members.models import User


def coordinator_dashboard(user: User) -> QuerySet[Forum]:
    """The forums `user` coordinates, each with member, invitation and agreement counts."""
    active = membership_is_active("memberships__")
    return (
        forums_coordinated_by(user)
        .annotate(
            member_count=Count("memberships", filter=active, distinct=True),
            accepted_count=Count(
                "memberships",
                filter=active & Q(memberships__accepted_version__gte=F("agreement_version")),
                distinct=True,
            ),
            pending_invitations=Count(
                "invitations", filter=invitation_is_open("invitations__"), distinct=True
            ),
        )
        .prefetch_related("organisations")
        .order_by("status", "name")
    )


def forums_at_work(user: User) -> QuerySet[Forum]:
    """The forums `user` coordinates that still meet or take members (not archived):
    the ones whose loose ends the coordinator's to-do list shows."""
    return forums_coordinated_by(user).exclude(status=Forum.Status.ARCHIVED)


def expiring_invitations(user: User, *, within: timedelta) -> list[dict]:
    """Per forum at work, the open invitations whose link stops working within
    `within`: ``forum_id``, ``forum__name``, ``count`` and the first ``expires`` time.
    One query."""
    return list(
        Invitation.objects.open()
        .filter(forum__in=forums_at_work(user), expires_at__lte=timezone.now() + within)
        .values("forum_id", "forum__name")
        .annotate(count=Count("pk"), expires=Min("expires_at"))
        .order_by("expires", "forum_id")
    )


def member_memberships(user: User) -> QuerySet[Membership]:
    """The user's active memberships with their forums."""
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("forum")
        .annotate(
            needs_agreement=Q(accepted_version__lt=F("forum__agreement_version")),
            member_count=Count(
                "forum__memberships",
                filter=membership_is_active("forum__memberships__"),
                distinct=True,
            ),
        )
        .order_by("forum__name")
    )


def open_invitations_for(user: User) -> QuerySet[Invitation]:
    """Invitations addressed to the user's email that they have not answered yet."""
    return Invitation.objects.open().filter(email__iexact=user.email).select_related("forum")


def forum_members(forum: Forum) -> QuerySet[Membership]:
    return (
        forum.memberships.active()
        .select_related("user")
        .annotate(has_accepted=Q(accepted_version__gte=F("forum__agreement_version")))
        .order_by("user__last_name", "user__first_name")
    )


def forum_coordinators(forum: Forum) -> QuerySet[User]:
    return forum.coordinators.order_by("last_name", "first_name")


def forum_invitations(forum: Forum) -> QuerySet[Invitation]:
    return forum.invitations.select_related("invited_by").order_by("-created_at")


def forum_audit(forum: Forum, limit: int = 200) -> QuerySet[AuditEvent]:
    return forum.audit_events.select_related("actor", "subject_user").order_by("-at", "-id")[:limit]


def forum_detail(forum_id: int) -> Forum:
    return Forum.objects.prefetch_related(
        "organisations", Prefetch("coordinators", queryset=User.objects.order_by("last_name"))
    ).get(pk=forum_id)
