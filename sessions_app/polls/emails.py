"""Poll emails from outbox rows (kinds poll_opened and poll_reminder)."""

from __future__ import annotations


def build_poll_emails(messages):
    """TODO(polls helper): build the batch; None cancels a row."""
    return lambda message: None


def plan_poll_reminders(now) -> int:
    """TODO(polls helper): queue reminders before poll deadlines; returns rows queued."""
    return 0
