from django.contrib import admin

from forums.models import AuditEvent, Forum, GroupAgreement, Invitation, Membership
from forums.services import audit_record


class MembershipInline(admin.TabularInline):
    """Read-only: people join through invitations and leave through the forum's pages,
    where every change is audited."""

    model = Membership
    extra = 0
    fields = ["user", "joined_at", "accepted_version", "ended_at", "end_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "capacity", "language", "agreement_version"]
    list_filter = ["status", "language"]
    search_fields = ["name"]
    filter_horizontal = ["organisations", "coordinators"]
    inlines = [MembershipInline]

    def save_related(self, request, form, formsets, change):
        """Coordinators added or removed here land in the forum's audit log, like
        changes made on the forum's own settings page."""
        forum = form.instance
        before = set(forum.coordinators.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(forum.coordinators.values_list("pk", flat=True))
        for action, people in (
            (AuditEvent.Action.COORDINATOR_ADDED, after - before),
            (AuditEvent.Action.COORDINATOR_REMOVED, before - after),
        ):
            for user in forum.coordinators.model.objects.filter(pk__in=people):
                audit_record(action=action, actor=request.user, forum=forum, subject_user=user)


@admin.register(GroupAgreement)
class GroupAgreementAdmin(admin.ModelAdmin):
    list_display = ["forum", "version", "created_at"]
    readonly_fields = ["forum", "version", "text", "created_by", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "forum", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email"]
    # The nonce and hash are never shown: together with the key they make a link.
    exclude = ["nonce", "token_hash"]
    readonly_fields = ["forum", "email", "invited_by", "accepted_by", "created_at", "sent_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "forum", "subject_user", "detail"]
    list_filter = ["action"]
    list_select_related = ["actor", "forum", "subject_user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
