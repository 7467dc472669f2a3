"""Reads that span relations, with a fixed number of queries whatever the data size."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

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
