"""Periodic jobs of sessions_app, run by Celery beat (foorumix/settings.py)."""

import logging

from celery import shared_task

from sessions_app.hr.report import reports_prepare
from sessions_app.notes.retention import notes_delete_expired
from sessions_app.pulse.services import pulse_answers_release
from sessions_app.retention import records_forget

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


@shared_task
def release_pulse_answers() -> int:
    """Write the staged pulse answers whose batch is complete into the answer tables,
    each table in its own random order (sessions_app/pulse/services.py,
    pulse_answers_release). Safe to run concurrently and again: a batch is written and
    removed from the staging table in one transaction, under row locks, so it is
    written exactly once. Logs the count only."""
    count = pulse_answers_release()
    logger.info("Released %d staged pulse answer rows", count)
    return count


@shared_task
def prepare_hr_reports() -> int:
    """Compute the HR reports of the current year into the shared cache, so that no
    viewer waits for the disclosure-control search (sessions_app/hr/report.py,
    reports_prepare). Read-only apart from the cache; safe to run at any time."""
    count = reports_prepare()
    logger.info("Prepared the HR reports of %d organisations", count)
    return count


@shared_task
def forget_old_records() -> dict[str, int]:
    """Delete sent emails, closed pulses' receipts and revoked feeds past their time
    (sessions_app/retention.py). Logs counts only."""
    counts = records_forget()
    logger.info("Forgot old records: %s", counts)
    return counts
