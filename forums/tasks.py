"""Periodic jobs of forums, run by Celery beat (foorumix/settings.py)."""

from celery import shared_task

from forums.retention import apply_retention as apply


@shared_task
def apply_retention() -> dict[str, int]:
    """Warn and erase inactive accounts, forget old invitations and audit entries
    (forums/retention.py). Safe to run again: what is done is not found twice."""
    return apply()
