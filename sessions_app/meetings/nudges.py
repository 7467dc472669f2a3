"""Follow-up emails from outbox rows (kinds meeting_nudge and rsvp_declined)."""

from __future__ import annotations


def build_follow_up_emails(messages):
    """TODO(meeting helper): build the batch; None cancels a row."""
    return lambda message: None
