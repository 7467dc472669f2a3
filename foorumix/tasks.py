import logging

from celery import shared_task
from django.utils import timezone

from foorumix import outbox

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Beat runs this every minute so an operator sees that worker and beat are alive."""
    now = timezone.localtime().isoformat(timespec="seconds")
    logger.info("Foorumix heartbeat: worker and beat are running (%s)", now)
    return now


@shared_task(ignore_result=False)
def echo(value: str) -> str:
    """Round-trip a value through the broker; used by the real-worker test and /healthz."""
    return value


@shared_task(ignore_result=True)
def outbox_sweep() -> dict[str, int]:
    """Plan due messages and send every due outbox row (see foorumix/outbox.py for the
    delivery guarantee). Safe to run concurrently and to run again: rows are claimed
    with a conditional UPDATE and de-duplicated by a unique constraint."""
    return outbox.sweep()
