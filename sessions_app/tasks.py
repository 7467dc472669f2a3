"""Retention of session notes: a daily beat task deletes the expired ones."""

import logging

from celery import shared_task

from sessions_app.notes.retention import notes_delete_expired

logger = logging.getLogger(__name__)


@shared_task
def delete_expired_notes() -> int:
    """Delete every session note past its ``expires_at`` (meeting start + the forum's
    retention months), with its read log. Idempotent: a repeated or overlapping run
    finds nothing left to delete. Logs the count and the ids, never any content."""
    ids = notes_delete_expired()
    if ids:
        logger.info("Deleted %d expired session notes: ids %s", len(ids), ids)
    else:
        logger.info("Deleted 0 expired session notes")
    return len(ids)
