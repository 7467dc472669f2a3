import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from foorumix.celery import app

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        logger.warning("healthz: broker unreachable")
        return "unreachable"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability for load balancers. Names no hosts or secrets.

    The database decides the status code: without it nothing works. A broker outage is
    reported but still 200, because pages keep working and mail waits in the outbox.
    """
    database = "ok" if _database_ok() else "unreachable"
    broker = _broker_status()
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "broker": broker}, status=status)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    # Rendered without the request context: the error may be the database itself.
    return HttpResponseServerError(loader.render_to_string("500.html"))


def _statement(request: HttpRequest, name: str):
    """A statement page in the interface language (legal texts are written per language,
    not translated phrase by phrase); Finnish when there is no text for it."""
    language = get_language() or "fi"
    names = [f"pages/{name}_{language[:2]}.html", f"pages/{name}_fi.html"]
    context = {
        "operator_name": settings.FOORUMIX_OPERATOR_NAME,
        "operator_email": settings.FOORUMIX_OPERATOR_EMAIL,
        "operator_address": settings.FOORUMIX_OPERATOR_ADDRESS,
        "accessibility_email": settings.FOORUMIX_ACCESSIBILITY_EMAIL,
        "account_months": settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS,
        "audit_months": settings.FOORUMIX_AUDIT_RETENTION_MONTHS,
    }
    return render(request, names, context)


def privacy_notice(request: HttpRequest):
    """Tietosuojaseloste: the privacy notice (GDPR articles 13-14)."""
    return _statement(request, "privacy")


def accessibility_statement(request: HttpRequest):
    """Saavutettavuusseloste: the accessibility statement (Act 306/2019)."""
    return _statement(request, "accessibility")
