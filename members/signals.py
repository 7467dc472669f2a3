"""What members tells the layers above it, without importing them."""

from django.dispatch import Signal

# Sent after an administrator changed a person's roles. Keyword arguments: actor,
# user, detail ("is_coordinator=True, …"). forums records it in the audit log.
roles_changed = Signal()
