"""Where one page of bench/pages.py spends its time: the median against the bare view,
each SQL query with its median time, and a cProfile listing.

    .venv/bin/python bench/profile_page.py "forum page (member)" [--runs 200]
        [--sort tottime|cumulative] [--lines 40] [--prepare]

Uses the database and production settings of bench/pages.py; run that script (or pass
--prepare) once first so the demo data and static files exist. Page names are the ones
bench/pages.py prints.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

import pages


def _median_ms(client, path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--prepare", action="store_true", help="migrate and seed first")
    options = parser.parse_args()
    if options.prepare:
        pages.prepare_database()
    else:
        os.environ.update(pages.PRODUCTION)
        os.environ.setdefault(
            "DATABASE_URL",
            os.environ.get("BENCH_DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/foorumix_bench_pages",
        )
        os.environ["DJANGO_SETTINGS_MODULE"] = "pages_settings"
    sys.path.insert(0, str(pages.ROOT))
    import django

    django.setup()
    from django.db import connection

    chosen = [t for t in pages.targets() if t[0] in ("bare view", options.page)]
    if len(chosen) != 2:
        raise SystemExit(f"unknown page {options.page!r}")
    signed_in = pages.clients(chosen)
    (_b, bare_email, bare_path), (_p, email, path) = chosen
    bare, client = signed_in[bare_email], signed_in[email]
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answers {response.status_code}")
    for _ in range(20):
        bare.get(bare_path)
        client.get(path)
    rounds = [(_median_ms(bare, bare_path, 10), _median_ms(client, path, 10)) for _ in range(5)]
    bare_ms = statistics.median(b for b, _ in rounds)
    page_ms = statistics.median(p for _, p in rounds)
    print(f"{options.page}: {page_ms:.2f} ms, bare {bare_ms:.2f} ms, {page_ms / bare_ms:.2f}x")

    timings: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.setdefault(sql, []).append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(timed):
        for _ in range(20):
            client.get(path)
    print("queries (median ms of 20 requests):")
    for sql, times in timings.items():
        print(f"  {statistics.median(times):5.2f} x{len(times) // 20}  {sql[:150]}")
    total = sum(statistics.median(t) * len(t) / 20 for t in timings.values())
    print(f"  {total:5.2f} ms of SQL per request")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(options.runs):
        client.get(path)
    profile.disable()
    pstats.Stats(profile).sort_stats(options.sort).print_stats(options.lines)


if __name__ == "__main__":
    main()
