import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from foorumix.tasks import echo, heartbeat

ROOT = Path(__file__).resolve().parents[2]


def test_beat_runs_the_heartbeat_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry == {"task": "foorumix.tasks.heartbeat", "schedule": 60.0}


def test_tasks_run_eagerly_in_tests(caplog):
    with caplog.at_level("INFO"):
        assert echo.delay("hei").get() == "hei"
        heartbeat.delay()
    assert "Foorumix heartbeat" in caplog.text


def test_development_broker_is_embedded_without_redis():
    # Start a fresh interpreter so REDIS_URL from the CI environment does not apply.
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    code = "from foorumix.celery import app; print(app.conf.broker_url)"
    env["DJANGO_SETTINGS_MODULE"] = "foorumix.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "filesystem://"


@pytest.mark.redis
def test_a_real_worker_runs_a_task_through_redis():
    from celery import Celery

    from tests.real_services import require_redis

    url = require_redis()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": url, "CELERY_TASK_ALWAYS_EAGER": "0"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "foorumix",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        client = Celery(broker=url, backend=url)
        result = client.send_task("foorumix.tasks.echo", args=["päivää"], queue=queue)
        assert result.get(timeout=60) == "päivää"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
