"""forums listens to members: role changes made in the admin go to the audit log, and to
the audit log of every forum whose access they change, so the forum's coordinators see
them on its audit page."""

from django.db.models import Q
from django.dispatch import receiver

from forums.models import AuditEvent, Forum, membership_is_active
from forums.services import audit_record
from members.signals import roles_changed

# Fields that change what a person may reach in the forums they coordinate or belong to
# (forums/access.py): the coordinator role, being an HR viewer (HR sees no forum) and the
# account being active.
FORUM_ACCESS_FIELDS = frozenset({"is_coordinator", "hr_organisation", "is_active"})


@receiver(roles_changed, dispatch_uid="forums.audit_roles_changed")
def audit_roles_changed(sender, *, actor, user, detail: str, fields=(), **kwargs) -> None:
    action = AuditEvent.Action.ROLE_CHANGED
    audit_record(action=action, actor=actor, subject_user=user, detail=detail)
    if not FORUM_ACCESS_FIELDS & set(fields):
        return
    affected = Forum.objects.filter(
        Q(coordinators=user) | Q(membership_is_active("memberships__"), memberships__user=user)
    ).distinct()
    for forum in affected.order_by("pk"):
        audit_record(action=action, actor=actor, forum=forum, subject_user=user, detail=detail)
