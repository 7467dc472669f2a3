"""Which real services this test run has, and the rule for when one is missing.

Without FOORUMIX_REQUIRE_SERVICES=1 a test needing PostgreSQL, Redis or Chromium is
skipped with the reason; with it, the same situation is a failure, so CI cannot pass
by silently skipping the real-service tests.
"""

import os
import shutil
from functools import cache

import pytest

REQUIRE_SERVICES = os.environ.get("FOORUMIX_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("FOORUMIX_CHROMIUM", "/usr/bin/chromium")


def missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"FOORUMIX_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@cache
def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


def chromium_available() -> bool:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("this test needs PostgreSQL (set DATABASE_URL=postgres://…)")


def require_redis() -> str:
    url = redis_url()
    if url is None:
        missing("this test needs a reachable Redis (set REDIS_URL=redis://…)")
    return url


def require_chromium() -> None:
    if not chromium_available():
        missing(f"this test needs Chromium at {CHROMIUM} and the playwright package")
