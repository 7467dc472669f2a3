#!/usr/bin/env bash
# `make run`: the web app plus one Celery worker with an embedded beat. Without
# REDIS_URL the broker is kombu's filesystem transport under var/broker, so no service
# is needed. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var

"$BIN/celery" -A foorumix worker --beat --loglevel INFO --concurrency 1 \
  --schedule var/celerybeat-schedule --without-gossip --without-mingle --without-heartbeat \
  --hostname "foorumix-dev@%h" &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM

# runserver writes its access log through the `django.server` logger, which
# settings.LOGGING filters: secret links (invitation, pulse, calendar feed) show as
# /invitations/<token>/ and so on (foorumix/logs.py).
echo
echo "Foorumix: http://127.0.0.1:${PORT:-8000}/  (Ctrl-C stops the app, the worker and beat)"
"$BIN/python" manage.py runserver "127.0.0.1:${PORT:-8000}"
