import logging

from celery import shared_task

from sessions_app import outbox

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def outbox_sweep() -> dict[str, int]:
    """Plan due reminders and send every due outbox row (see sessions_app/outbox.py for
    the delivery guarantee). Safe to run concurrently and to run again: rows are claimed
    with a conditional UPDATE and de-duplicated by a unique constraint."""
    return outbox.sweep()
