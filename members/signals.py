"""What members tells the layers above it, without importing them."""

from django.dispatch import Signal

# Sent after an administrator changed a person's roles. Keyword arguments: actor,
# user, fields (the changed field names), detail ("is_coordinator=True, …"). forums
# records it in the audit log, and in the audit log of each forum whose access it
# changes (forums/receivers.py).
roles_changed = Signal()
