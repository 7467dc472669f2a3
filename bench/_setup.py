"""Shared set-up for the benchmark scripts: a PostgreSQL database of their own."""

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]


def create_database(url: str) -> None:
    """Create the PostgreSQL database of `url` unless it exists."""
    import psycopg2

    parsed = urlparse(url)
    admin = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed.path[1:]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{parsed.path[1:]}"')
    admin.close()


def use_bench_database(default_name: str) -> str:
    """Point Django at DATABASE_URL (default: a local bench database), create it if
    missing, and set Django up. Returns the URL."""
    url = (
        os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{default_name}"
    )
    create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foorumix.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url
