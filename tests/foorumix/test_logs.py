"""Secret links never reach a log line: access logs of runserver (django.server) and
gunicorn, and Django's own warnings, show <token> where the token was."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from gunicorn.config import Config
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from foorumix.logs import MARKER, GunicornLogger, RedactSecretLinks, redact

TOKEN = "3f" * 32  # the shape of every real token: 64 hex digits


@pytest.mark.parametrize(
    ("template", "secret"),
    [
        ('"GET /invitations/{}/ HTTP/1.1" 200 512', TOKEN),
        ('"POST /pulse/{}/ HTTP/1.1" 302 0', TOKEN),
        ('"GET /calendar/{}.ics HTTP/1.1" 200 900', TOKEN),
        # A malformed or percent-encoded token may still open the page: gone too.
        ('"GET /invitations/{}/ HTTP/1.1" 404 10', "%33f%33f"),
        ("Not Found: /pulse/{}", "abc"),
        # In a login redirect's ?next=, plain or encoded, and in a Referer.
        ("/accounts/login/?next=/invitations/{}/", TOKEN),
        ("/accounts/login/?next=%2Finvitations%2F{}%2F", TOKEN),
        ('"https://foorumix.example.org/pulse/{}/"', TOKEN),
        # allauth's one-time keys are secret links too.
        ("/accounts/password/reset/key/{}/", "1-cx3hz4-0f1e2d"),
        ("/accounts/confirm-email/{}/", "MQ:1vabc:xyz"),
        # A bare token anywhere.
        ("token={}", TOKEN.upper()),
    ],
)
def test_secret_links_are_redacted(template, secret):
    assert redact(template.format(secret)) == template.format(MARKER)


@pytest.mark.parametrize(
    "line",
    [
        '"GET /forums/3/pulse/ HTTP/1.1" 200 10',
        '"POST /forums/3/invitations/12/resend/ HTTP/1.1" 302 0',
        '"GET /accounts/login/?next=%2Fforums%2F3%2Finvitations%2F HTTP/1.1" 200 10',
        '"GET /calendar/ HTTP/1.1" 200 10',
        '"GET /meetings/7/calendar.ics HTTP/1.1" 200 10',
        '"GET /static/css/site.3f2a1b4c5d6e.css HTTP/1.1" 200 10',
        '"GET /accounts/confirm-email/ HTTP/1.1" 200 10',
    ],
)
def test_other_paths_are_left_alone(line):
    assert redact(line) == line


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    before=st.text(max_size=30),
    prefix=st.sampled_from(["/invitations/", "/pulse/", "/calendar/", "%2Finvitations%2F", ""]),
    after=st.text(max_size=30),
)
def test_no_token_survives_whatever_surrounds_it(before, prefix, after):
    line = redact(f"{before}{prefix}{TOKEN}{after}")
    assert TOKEN not in line
    assert redact(line) == line


def test_redacting_twice_changes_nothing():
    once = redact(f"/invitations/{TOKEN}/ /calendar/{TOKEN}.ics")
    assert redact(once) == once
    assert once.count(MARKER) == 2


def record(msg, *args, name="test"):
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_the_filter_rewrites_the_message_and_keeps_the_record():
    entry = record('"%s" %s %s', f"GET /invitations/{TOKEN}/ HTTP/1.1", "200", "512")
    assert RedactSecretLinks().filter(entry) is True
    assert entry.getMessage() == '"GET /invitations/<token>/ HTTP/1.1" 200 512'


def test_the_filter_leaves_a_malformed_record_to_logging():
    entry = record("%s %s", "only one")
    assert RedactSecretLinks().filter(entry) is True
    assert entry.msg == "%s %s"


@pytest.fixture
def configured_logging():
    """The handlers settings.LOGGING set up at start-up (those with the filter: all of
    ours), writing to a buffer for the test."""
    loggers = [logging.getLogger(name) for name in ("", "django.server")]
    handlers = {
        handler
        for logger in loggers
        for handler in logger.handlers
        if any(isinstance(f, RedactSecretLinks) for f in handler.filters)
    }
    assert len(handlers) == 2  # the console (root) and runserver's access log
    buffer = io.StringIO()
    old_streams = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in old_streams.items():
        handler.setStream(stream)


def test_runserver_access_log_shows_no_token(configured_logging):
    # What django.core.servers.basehttp.WSGIRequestHandler.log_message logs.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /calendar/{TOKEN}.ics HTTP/1.1", "200", "900",
        extra={"status_code": 200, "request": None},
    )  # fmt: skip
    output = configured_logging.getvalue()
    assert '"GET /calendar/<token>.ics HTTP/1.1" 200 900' in output
    assert TOKEN not in output


def test_djangos_not_found_warning_shows_no_token(configured_logging):
    logging.getLogger("django.request").warning("Not Found: %s", f"/invitations/{TOKEN}/")
    output = configured_logging.getvalue()
    assert "Not Found: /invitations/<token>/" in output
    assert TOKEN not in output


def test_gunicorn_access_log_shows_no_token_in_the_path_or_the_referer():
    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    logger.setup(config)  # as on a reload (SIGHUP): the filter is not added twice
    assert sum(isinstance(f, RedactSecretLinks) for f in logger.access_log.filters) == 1
    buffer = io.StringIO()
    logger.access_log.handlers[0].setStream(buffer)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/pulse/{TOKEN}/",
        "PATH_INFO": f"/pulse/{TOKEN}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://foorumix.example.org/invitations/{TOKEN}/",
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    line = buffer.getvalue()
    assert '"GET /pulse/<token>/ HTTP/1.1" 200 512' in line
    assert '"https://foorumix.example.org/invitations/<token>/"' in line
    assert TOKEN not in line


def test_the_procfile_runs_gunicorn_with_the_redacting_logger():
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    assert "--logger-class foorumix.logs.GunicornLogger" in web
    assert "--access-logfile -" in web
