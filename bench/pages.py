"""Each persona's main page against a bare login-required view, in one process and under
load, with the demo data and production settings.

    .venv/bin/python bench/pages.py [--runs 40] [--seconds 5] [--connections 16]
        [--workers 2] [--no-load]

Uses BENCH_DATABASE_URL (default foorumix_bench_pages); the demo data is loaded into it
with `manage.py seed_demo` (in a child process with DEBUG on, because seed_demo refuses
to run otherwise; it is idempotent).

Settings: the app's own settings with DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
FOORUMIX_NOTES_KEYS (a key of the benchmark's own), SECURE_SSL_REDIRECT=false (no TLS
proxy on loopback), CONN_MAX_AGE=60 (persistent connections, as a deployment sets) and
FOORUMIX_MFA_REQUIRED=false (so the coordinator and HR viewer can be signed in without
an authenticator). bench/pages_settings.py only adds the bare view's URLconf
(bench/pages_urls.py) and a STATIC_ROOT of its own for collectstatic.

The bare view renders base.html for a signed-in member: session, user, every
middleware, the context processors and the base template. Every page is timed against
it:
1. in one process through Django's test client, interleaved (bare, page 1, page 2, ...,
   `--runs` rounds after a warm-up), median per page and the ratio of medians; the
   queries of one request of each page;
2. under load: gunicorn with the Procfile's options (`--workers 2`), `--connections`
   concurrent clients on loopback for `--seconds` each, pages alternating with the
   bare view; requests per second, p50/p99 and errors (anything but 200), each page
   against the mean of the bare runs just before and after it.

The HR page reads its disclosure control from the shared cache, as after the worker's
prepare_hr_reports: the benchmark runs that task first.
Prints a last line `pages: worst=R× (PAGE)` (the one-process ratio).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _setup import create_database

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-pages-secret-key-not-for-any-real-deployment-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "CONN_MAX_AGE": "60",
    "FOORUMIX_MFA_REQUIRED": "false",
    # A Fernet key of the benchmark's own; the demo notes are encrypted with it.
    "FOORUMIX_NOTES_KEYS": "YmVuY2gtcGFnZXMta2V5LTMyLWJ5dGVzLWxvbmctISE=",
    "LOG_LEVEL": "WARNING",
}


def prepare_database() -> str:
    """Create the database if missing, migrate and seed the demo data (child processes,
    the seeding one with DEBUG on), collect static files for the manifest storage."""
    url = os.environ.get("BENCH_DATABASE_URL") or (
        "postgres://postgres@127.0.0.1:5432/foorumix_bench_pages"
    )
    python = sys.executable
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": url}
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), str(ROOT)])
    env["DJANGO_SETTINGS_MODULE"] = "pages_settings"
    create_database(url)
    for command, extra in (
        (["migrate", "--noinput", "-v", "0"], {}),
        (["seed_demo"], {"DEBUG": "true"}),
        (["collectstatic", "--noinput", "-v", "0"], {}),
    ):
        subprocess.run(
            [python, str(ROOT / "manage.py"), *command],
            env={**env, **extra},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    analyse(url)
    os.environ.update(PRODUCTION)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "pages_settings"
    return url


def analyse(url: str) -> None:
    """Planner statistics for the fresh demo data, as autovacuum keeps them for a database
    in use (its threshold, 50 changed rows, is never reached by the small demo tables, and
    without statistics the planner guesses row counts and picks nested loops)."""
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def targets() -> list[tuple[str, str, str]]:
    """(page, persona's email, path) for every persona's main page, the bare view first."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from forums.models import Forum
    from members.demo import DEMO_DOMAIN
    from sessions_app.models import Meeting

    forum = Forum.objects.get(name="Esihenkilöfoorumi Satakunta 1")
    meeting = (
        Meeting.objects.filter(forum=forum, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    member, coordinator = f"member01@{DEMO_DOMAIN}", f"coordinator1@{DEMO_DOMAIN}"
    pages = [
        ("bare view", member, "/bench/bare/"),
        ("member home", member, "/"),
        ("my meetings", member, "/meetings/"),
        ("forum page (member)", member, f"/forums/{forum.pk}/"),
        ("forum page (coordinator)", coordinator, f"/forums/{forum.pk}/"),
        ("meeting page", member, f"/meetings/{meeting.pk}/"),
        ("coordinator dashboard", coordinator, "/"),
        ("HR report", f"hr1@{DEMO_DOMAIN}", "/hr/participation/"),
        ("notes list", member, f"/forums/{forum.pk}/notes/"),
    ]
    try:  # the live meeting page, where the app has one
        room = reverse("live:room", kwargs={"meeting_id": meeting.pk})
    except NoReverseMatch:
        return pages
    return [*pages, ("live meeting page", member, room)]


def clients(pages):
    from django.test import Client

    from members.models import User

    signed_in = {}
    for _page, email, _path in pages:
        if email not in signed_in:
            client = Client()
            client.force_login(User.objects.get(email=email))
            signed_in[email] = client
    return signed_in


def answering(pages) -> list:
    """The pages that answer 200 (a page the app does not offer for the demo data, e.g. a
    live meeting page outside a meeting, is reported and left out)."""
    signed_in = clients(pages)
    kept = []
    for page, email, path in pages:
        status = signed_in[email].get(path).status_code
        if status == 200:
            kept.append((page, email, path))
        else:
            print(f"  {page}: {path} answers {status}, not measured")
    return kept


def one_process(pages, runs: int) -> dict[str, dict]:
    """Median time of each page in this process (interleaved rounds) and its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in = clients(pages)

    def get(email, path):
        response = signed_in[email].get(path)
        assert response.status_code == 200, (path, response.status_code)

    for _page, email, path in pages:  # warm up: templates, translations, connections
        for _ in range(3):
            get(email, path)
    times: dict[str, list[float]] = {page: [] for page, _e, _p in pages}
    for _ in range(runs):
        for page, email, path in pages:
            started = time.perf_counter()
            get(email, path)
            times[page].append((time.perf_counter() - started) * 1000)
    results = {}
    for page, email, path in pages:
        with CaptureQueriesContext(connection) as queries:
            get(email, path)
        results[page] = {"ms": statistics.median(times[page]), "queries": len(queries)}
    return results


# --- Load ---------------------------------------------------------------------------------


async def _client(port, request, deadline, latencies, errors):
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            data = await reader.read()  # gunicorn's sync workers close after each answer
            writer.close()
        except OSError:
            errors.append("connection")
            continue
        latencies.append(time.perf_counter() - started)
        if not data.startswith(b"HTTP/1.1 200"):
            errors.append(data[:15])


async def _load(port, path, cookie, seconds, connections):
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors: list = []
    warm = time.perf_counter() + 1
    await asyncio.gather(*(_client(port, request, warm, [], []) for _ in range(connections)))
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(port, request, deadline, latencies, errors) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": len(errors),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def under_load(pages, seconds: float, connections: int, workers: int) -> dict[str, dict]:
    """Start gunicorn as the Procfile does, then load each page between bare runs."""
    from django.conf import settings

    signed_in = clients(pages)
    cookies = {
        email: client.cookies[settings.SESSION_COOKIE_NAME].value
        for email, client in signed_in.items()
    }
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)])}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"), "foorumix.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--logger-class", "foorumix.logs.GunicornLogger",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        bare_page, bare_email, bare_path = pages[0]

        def load(email, path):
            return asyncio.run(_load(port, path, cookies[email], seconds, connections))

        results: dict[str, dict] = {}
        before = load(bare_email, bare_path)
        bare_runs = [before]
        for page, email, path in pages[1:]:
            result = load(email, path)
            after = load(bare_email, bare_path)
            bare_runs.append(after)
            result["bare_rps"] = (before["rps"] + after["rps"]) / 2
            results[page] = result
            before = after
        results[bare_page] = {
            "rps": statistics.median(r["rps"] for r in bare_runs),
            "p50": statistics.median(r["p50"] for r in bare_runs),
            "p99": statistics.median(r["p99"] for r in bare_runs),
            "errors": sum(r["errors"] for r in bare_runs),
            "bare_rps": statistics.median(r["rps"] for r in bare_runs),
        }
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    options = parser.parse_args()
    prepare_database()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from sessions_app.tasks import prepare_hr_reports

    prepare_hr_reports()  # as the worker does; the HR page then reads the shared cache
    pages = answering(targets())
    results = one_process(pages, options.runs)
    bare = results[pages[0][0]]["ms"]
    print(f"one process, median of {options.runs} interleaved runs ({os.cpu_count()} CPUs):")
    print(f"  {'page':<26} {'ms':>7} {'x bare':>7} {'queries':>8}")
    for page, _email, path in pages:
        row = results[page]
        print(f"  {page:<26} {row['ms']:7.2f} {row['ms'] / bare:6.2f}x {row['queries']:8d}  {path}")
    if not options.no_load:
        loaded = under_load(pages, options.seconds, options.connections, options.workers)
        print(
            f"under load: gunicorn, {options.workers} workers, {options.connections} "
            f"connections, {options.seconds:g} s per page, bare runs between pages:"
        )
        print(
            f"  {'page':<26} {'req/s':>7} {'% bare':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}"
        )
        for page, _email, _path in pages:
            row = loaded[page]
            print(
                f"  {page:<26} {row['rps']:7.0f} {100 * row['rps'] / row['bare_rps']:6.0f}% "
                f"{row['p50']:7.1f} {row['p99']:7.1f} {row['errors']:7d}"
            )
    worst = max((page for page, _e, _p in pages[1:]), key=lambda page: results[page]["ms"])
    print(f"pages: worst={results[worst]['ms'] / bare:.2f}× ({worst})")


if __name__ == "__main__":
    main()
