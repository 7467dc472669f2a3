import logging

from celery import shared_task
from django.utils import timezone

from foorumix.outbox import outbox_sweep  # noqa: F401 - the worker registers it here

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
