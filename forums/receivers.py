"""forums listens to members: role changes made in the admin go to the audit log."""

from django.dispatch import receiver

from forums.models import AuditEvent
from forums.services import audit_record
from members.signals import roles_changed


@receiver(roles_changed, dispatch_uid="forums.audit_roles_changed")
def audit_roles_changed(sender, *, actor, user, detail: str, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGED, actor=actor, subject_user=user, detail=detail
    )
