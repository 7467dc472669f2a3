"""Reads that span relations, with a fixed number of queries whatever the data size."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from forums.access import forums_coordinated_by
from forums.models import AuditEvent, Forum, Invitation, Membership
from members.models import User


def coordinator_dashboard(user: User) -> QuerySet[Forum]:
    """The forums `user` coordinates, each with member, invitation and agreement counts."""
    now = timezone.now()
    active = Q(memberships__ended_at__isnull=True)
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
                "invitations",
                filter=Q(
                    invitations__accepted_at__isnull=True,
                    invitations__revoked_at__isnull=True,
                    invitations__expires_at__gt=now,
                ),
                distinct=True,
            ),
        )
        .prefetch_related("organisations")
        .order_by("status", "name")
    )


def member_memberships(user: User) -> QuerySet[Membership]:
    """The user's active memberships with their forums."""
    return (
        Membership.objects.filter(user=user, ended_at__isnull=True)
        .select_related("forum")
        .annotate(
            needs_agreement=Q(accepted_version__lt=F("forum__agreement_version")),
            member_count=Count(
                "forum__memberships",
                filter=Q(forum__memberships__ended_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("forum__name")
    )


def open_invitations_for(user: User) -> QuerySet[Invitation]:
    """Invitations addressed to the user's email that they have not answered yet."""
    return Invitation.objects.filter(
        email__iexact=user.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("forum")


def forum_members(forum: Forum) -> QuerySet[Membership]:
    return (
        forum.memberships.filter(ended_at__isnull=True)
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
