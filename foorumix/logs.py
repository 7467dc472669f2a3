"""Log lines without secret links.

An invitation, pulse or calendar-feed URL is a credential: whoever has it opens the
page. Access logs (gunicorn's, and runserver's `django.server` logger) and Django's
"Not Found: /path" warnings would otherwise write it down for anyone who reads logs,
also inside Referer headers and `?next=` parameters. `redact` replaces the secret part
with `<token>`, so the path still tells which kind of page was asked for:

    "GET /invitations/<token>/ HTTP/1.1" 200

settings.LOGGING puts `RedactSecretLinks` on every handler; the Procfile's gunicorn
uses `GunicornLogger`, which puts it on gunicorn's access and error logs.
"""

from __future__ import annotations

import logging
import re

from gunicorn import glogging

MARKER = "<token>"

# A path segment that is a secret: after one of these prefixes, up to the next
# separator, whatever it holds (a token may arrive percent-encoded and still work).
# "/" may be encoded as %2F when the path sits in a query string (?next=...).
_SLASH = r"(?:/|%2F)"
_SECRET_SEGMENT = re.compile(
    # A coordinator's /forums/<id>/invitations/<id>/... is no secret: matched first (as
    # the leftmost match) and left as it is.
    rf"(?P<forum_page>{_SLASH}forums{_SLASH}\d+{_SLASH}invitations{_SLASH})|"
    rf"(?P<prefix>{_SLASH}(?:invitations|pulse|calendar"
    rf"|accounts{_SLASH}confirm-email|accounts{_SLASH}password{_SLASH}reset{_SLASH}key)"
    rf"{_SLASH})"
    r"(?P<secret>(?:[^/?#&%\s\"'<>]|%(?!2F))+?)"
    r"(?P<suffix>\.ics)?(?=[/?#&\s\"'<>]|%2F|$)",
    re.IGNORECASE,
)
# Any token wherever it appears (tokens are 64 hex digits, foorumix/tokens.py), e.g.
# twice-encoded inside a parameter; a longer run of hex digits may hold one too.
_TOKEN = re.compile(r"[0-9a-f]{64,}", re.IGNORECASE)


def _redact_segment(match: re.Match) -> str:
    if match["forum_page"]:
        return match[0]
    return f"{match['prefix']}{MARKER}{match['suffix'] or ''}"


def redact(text: str) -> str:
    """`text` with every secret-link token replaced by MARKER."""
    return _TOKEN.sub(MARKER, _SECRET_SEGMENT.sub(_redact_segment, text))


class RedactSecretLinks(logging.Filter):
    """Rewrites a record's message with `redact`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            return True  # a malformed record: logging reports it; a filter must not raise
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class GunicornLogger(glogging.Logger):
    """gunicorn's logger (`--logger-class foorumix.logs.GunicornLogger`) with secret
    links redacted from its access log (request line, Referer) and error log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            # setup() runs again on every reload (SIGHUP); add the filter only once.
            if not any(isinstance(f, RedactSecretLinks) for f in log.filters):
                log.addFilter(RedactSecretLinks())


def logging_config(level: str) -> dict:
    """settings.LOGGING. Secret links (invitation, pulse and calendar-feed tokens) are
    credentials: every handler replaces them with <token>, also in runserver's access log
    (django.server) and in Django's "Not Found: /path" warnings, which would otherwise go
    through Django's own, unfiltered handlers. gunicorn's access log: see the Procfile."""
    redacted = {"filters": ["redact_secret_links"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_secret_links": {"()": "foorumix.logs.RedactSecretLinks"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain", **redacted},
            "server": {"class": "logging.StreamHandler", "formatter": "server", **redacted},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "propagate": True},
            "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
            "django.db.backends": {"level": "WARNING"},
        },
    }
