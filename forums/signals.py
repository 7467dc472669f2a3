"""What forums tells the layer above it (sessions_app), without importing it."""

from django.dispatch import Signal

# Sent inside forum_update's transaction when a forum's note retention period changed.
# Keyword argument: forum. sessions_app re-dates the forum's notes.
retention_changed = Signal()
