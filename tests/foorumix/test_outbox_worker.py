"""The outbox with real parts: a Celery worker (with its embedded beat) on Redis, the
PostgreSQL test database, a web process, and an SMTP server on loopback."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from sessions_app.models import Meeting, OutboxMessage
from tests.factories import UserFactory, make_forum, make_meeting
from tests.real_services import missing
from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class RedisServer:
    """A private redis-server, so the test can stop and restart "the broker"."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            missing("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                client.ping()
                return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def service_env(redis: RedisServer, smtp: SMTPServer, tmp_path: Path) -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "FOORUMIX_OUTBOX_SWEEP_SECONDS": "1",
        "FOORUMIX_OUTBOX_STUCK_SECONDS": "3",
        "FOORUMIX_VAR_DIR": str(tmp_path),
    }


def start_worker(env: dict, tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "foorumix", "worker", "--beat", "--pool", "solo",
         "--schedule", str(tmp_path / f"beat-{time.monotonic_ns()}"), "--without-gossip",
         "--without-mingle", "--loglevel", "INFO"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=open(tmp_path / "worker.log", "ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    process.wait(30)


def due_reminders(count: int) -> Meeting:
    """A meeting tomorrow whose one-day reminder is due now, for `count` members."""
    coordinator = UserFactory(is_coordinator=True)
    people = [UserFactory() for _ in range(count)]
    forum = make_forum(coordinator=coordinator, members=people)
    forum.reminder_days = "1"
    forum.save(update_fields=["reminder_days"])
    starts = timezone.now() + timedelta(hours=20)
    # A one-hour meeting that does not cross local midnight, whatever the time the test
    # runs: the edit form (and a coordinator) cannot end a meeting on the next day.
    if timezone.localdate(starts) != timezone.localdate(starts + timedelta(hours=1)):
        starts -= timedelta(hours=2)
    meeting = make_meeting(forum, starts_at=starts, hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(created_at=timezone.now() - timedelta(days=3))
    return meeting


def wait_until(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_killed_mid_sweep_sends_every_reminder_once_after_restart(tmp_path):
    meeting = due_reminders(30)
    smtp = SMTPServer().start()
    smtp.recorder.block_at = 11  # stall on the 11th message, mid-transaction
    redis = RedisServer().start()
    env = service_env(redis, smtp, tmp_path)
    worker = start_worker(env, tmp_path)
    try:
        assert smtp.recorder.blocked.wait(90), (tmp_path / "worker.log").read_text()[-3000:]
        kill(worker)  # SIGKILL: no cleanup, no acknowledgement
        smtp.recorder.release.set()
        rows = OutboxMessage.objects.filter(object_id=meeting.pk, kind="reminder")
        assert rows.filter(status="sent").count() == 10
        assert rows.filter(status="sending").count() == 20
        assert len(smtp.recorder.messages) == 10

        worker = start_worker(env, tmp_path)
        assert wait_until(lambda: rows.filter(status="sent").count() == 30, 90), (
            tmp_path / "worker.log"
        ).read_text()[-3000:]
        time.sleep(3)  # more sweeps run; nothing may be sent again
    finally:
        kill(worker)
        redis.stop()
        smtp.stop()
    recipients = [m["To"] for m in smtp.recorder.messages]
    assert len(recipients) == 30 == len(set(recipients))
    assert len(set(smtp.recorder.message_ids())) == 30


class Browser:
    """A signed-in HTTP client against a real web process (no test client shortcuts)."""

    def __init__(self, base: str, user):
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.session_cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def _cookies(self) -> str:
        return "; ".join([self.session_cookie, *(f"{c.name}={c.value}" for c in self.jar)])

    def get(self, path: str) -> tuple[int, str, float, str]:
        request = urllib.request.Request(self.base + path, headers={"Cookie": self._cookies()})
        started = time.monotonic()
        with self.opener.open(request, timeout=30) as response:
            body = response.read().decode()
            return response.status, body, time.monotonic() - started, response.geturl()

    def post(self, path: str, data: dict) -> tuple[int, float, str]:
        page = self.get(path)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode(),
            headers={"Cookie": self._cookies(), "Referer": self.base + path},
        )
        started = time.monotonic()
        with self.opener.open(request, timeout=30) as response:
            return response.status, time.monotonic() - started, response.geturl()


def test_redis_outage_keeps_pages_up_and_reminders_go_out_once_when_it_returns(tmp_path):
    meeting = due_reminders(12)
    coordinator = meeting.forum.coordinators.get()
    member = meeting.forum.memberships.first().user
    smtp = SMTPServer().start()
    redis = RedisServer().start()
    env = service_env(redis, smtp, tmp_path)
    port = free_port()
    web = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=(tmp_path / "web.log").open("ab"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )  # fmt: skip
    worker = start_worker(env, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: _up(base), 30), (tmp_path / "web.log").read_text()[-2000:]
        redis.stop()  # the broker goes away during the reminder window
        as_member = Browser(base, member)
        for path in ("/", "/meetings/", f"/meetings/{meeting.pk}/", f"/forums/{meeting.forum_id}/"):
            status, _page, took, final = as_member.get(path)
            assert (status, final) == (200, base + path) and took < 5, (path, status, took)
        status, body, _took, _final = Browser(base, coordinator).get("/healthz")
        assert (status, '"broker": "unreachable"' in body) == (200, True)
        day = timezone.localtime(meeting.starts_at)
        status, took, final = Browser(base, coordinator).post(
            f"/meetings/{meeting.pk}/edit/",
            {"day": day.date().isoformat(), "start": day.strftime("%H:%M"),
             "end": timezone.localtime(meeting.ends_at).strftime("%H:%M"), "place": "Uusi paikka"},
        )  # fmt: skip
        # Saved, redirected to the meeting page, quickly, although the kick found no broker.
        assert (status, final) == (200, f"{base}/meetings/{meeting.pk}/") and took < 5, took
        assert Meeting.objects.get(pk=meeting.pk).place == "Uusi paikka"
        time.sleep(2)
        assert OutboxMessage.objects.filter(kind="reminder").count() == 0  # nobody swept

        redis.start()  # same port: the worker and beat reconnect by themselves
        reminders = OutboxMessage.objects.filter(object_id=meeting.pk, kind="reminder")
        assert wait_until(
            lambda: (
                reminders.filter(status="sent").count() == 12
                and not OutboxMessage.objects.exclude(status="sent").exists()
            ),
            120,
        ), (tmp_path / "worker.log").read_text()[-3000:]
        time.sleep(3)
    finally:
        kill(worker)
        kill(web, signal.SIGTERM)
        redis.stop()
        smtp.stop()
    subjects = [(m["To"], m["Subject"]) for m in smtp.recorder.messages]
    assert len(subjects) == len(set(subjects)) == 24  # 12 reminders + 12 "meeting changed"
    assert len(set(smtp.recorder.message_ids())) == 24


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False
