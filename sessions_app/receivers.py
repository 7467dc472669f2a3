"""sessions_app listens to forums: a changed note retention period re-dates the notes."""

from django.dispatch import receiver

from forums.signals import retention_changed
from sessions_app.notes.retention import notes_expiry_update


@receiver(retention_changed, dispatch_uid="sessions_app.notes_follow_retention")
def notes_follow_retention(sender, *, forum, **kwargs) -> None:
    notes_expiry_update(forum=forum)
