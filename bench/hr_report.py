"""Time the HR report for one organisation and one year on the benchmark data set.

    .venv/bin/python bench/hr_generate.py        # once
    .venv/bin/python bench/hr_report.py [--organisation 1] [--year 2025] [--runs 15]
        [--random-page-cost 1.1]

Uses BENCH_DATABASE_URL (default foorumix_bench), like bench/hr_generate.py.

Runs, in turn and several times over (so that a burst of load on the shared machine hits
all of them alike):
- raw SQL: hand-written aggregate SQL returning the same per-unit, per-period counts that
  the report is built from, every count computed by the database (the floor: what the
  database alone needs);
- report: sessions_app.hr.report.participation_report (its queries plus suppression),
  with the remembered results (process memory and shared cache) cleared first: a first
  view after the data changed, before the worker has prepared it;
- page: GET /hr/participation/ as the organisation's HR viewer, through the whole Django
  stack (session, user, form, report, template, chart), also cleared first;
- page, prepared: the same with only the process's memory cleared: the first view in a
  fresh process after the worker's prepare_hr_reports put the result in the shared cache;
- warm report: participation_report again without clearing: a later view, a filter or
  the CSV of the same data (the suppression is remembered per process);
- the page's own SQL: the report's queries exactly as the page sends them, on a plain
  cursor (for comparison only: they leave the unions of months' people to Python);
and prints their medians and ranges, the ratios to the floor (also per run, against the
floor measured just before) and the page's query count. Not a test: the numbers depend on
the machine, see bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime

from _setup import use_bench_database

use_bench_database("foorumix_bench")

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import Organisation, User  # noqa: E402
from sessions_app.hr import report as report_module  # noqa: E402
from sessions_app.hr.periods import Period, is_reportable, year_periods  # noqa: E402
from sessions_app.hr.report import participation_report  # noqa: E402

RAW_MEMBERSHIPS = """
SELECT u.unit_id, {columns}
FROM forums_membership m JOIN members_user u ON u.id = m.user_id
WHERE u.organisation_id = %(organisation)s AND m.joined_at < %(last)s
  AND (m.ended_at IS NULL OR m.ended_at > %(first)s)
GROUP BY u.unit_id
"""
RAW_PARTICIPATIONS = """
SELECT u.unit_id, {columns}
FROM sessions_app_participation p
JOIN sessions_app_meeting mt ON mt.id = p.meeting_id
JOIN members_user u ON u.id = p.user_id
WHERE u.organisation_id = %(organisation)s AND mt.status = 'held'
  AND mt.starts_at >= %(first)s AND mt.starts_at < %(last)s
GROUP BY u.unit_id
"""
RAW_PULSE = """
SELECT unit_id, month, count(*), sum(useful), sum(safe_place), sum(important_to_group),
       sum(helps_coping)
FROM sessions_app_organisationpulseanswer
WHERE organisation_id = %(organisation)s AND month >= %(year_start)s AND month < %(year_end)s
GROUP BY unit_id, month
"""


def raw_sql(organisation_id: int, year: int, periods: list[Period]):
    """The per-unit, per-period counts the report is built from, all computed by the
    database: one pass per table with a FILTER clause per period (count(DISTINCT ...)
    for people). The page's queries lead to exactly these counts, partly in Python."""
    membership_columns, participation_columns = [], []
    parameters = {
        "organisation": organisation_id,
        "year_start": date(year, 1, 1),
        "year_end": date(year + 1, 1, 1),
    }
    for index, period in enumerate(periods):
        start, end = period.bounds()
        parameters[f"s{index}"], parameters[f"e{index}"] = start, end
        window = f"mt.starts_at >= %(s{index})s AND mt.starts_at < %(e{index})s"
        membership_columns += [
            f"count(DISTINCT m.user_id) FILTER (WHERE m.joined_at < %(e{index})s AND "
            f"(m.ended_at IS NULL OR m.ended_at > %(s{index})s))",
            f"count(DISTINCT m.user_id) FILTER (WHERE m.joined_at <= %(s{index})s AND "
            f"(m.ended_at IS NULL OR m.ended_at >= %(e{index})s))",
        ]
        participation_columns += [
            f"count(DISTINCT p.user_id) FILTER (WHERE p.attended AND {window})",
            f"count(*) FILTER (WHERE p.attended AND {window})",
            f"count(*) FILTER (WHERE p.attended IS NOT NULL AND {window})",
        ]
    parameters["first"] = min(p.bounds()[0] for p in periods)
    parameters["last"] = max(p.bounds()[1] for p in periods)
    results = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name FROM members_unit WHERE organisation_id = %(organisation)s",
            parameters,
        )
        results.append(cursor.fetchall())
        for sql, columns in (
            (RAW_MEMBERSHIPS, membership_columns),
            (RAW_PARTICIPATIONS, participation_columns),
            (RAW_PULSE, None),
        ):
            cursor.execute(sql.format(columns=", ".join(columns or [])), parameters)
            results.append(cursor.fetchall())
    return results


def timings_ms(functions: dict, runs: int) -> dict[str, list[float]]:
    """Run each function once to warm up, then `runs` rounds of all of them in turn, so
    that a burst of load on the shared machine hits the floor and the page alike."""
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisation", type=int, help="organisation id (default: busiest)")
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--random-page-cost",
        type=float,
        help="SET random_page_cost for this session (1.1 is usual for SSD storage)",
    )
    options = parser.parse_args()
    if options.random_page_cost is not None:
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = %s", [options.random_page_cost])

    year = options.year
    zone = timezone.get_default_timezone()
    year_bounds = [datetime(y, 1, 1, tzinfo=zone) for y in (year, year + 1)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.organisation_id, count(*) FROM sessions_app_participation p "
            "JOIN members_user u ON u.id = p.user_id "
            "JOIN sessions_app_meeting m ON m.id = p.meeting_id "
            "WHERE m.starts_at >= %s AND m.starts_at < %s AND u.organisation_id IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
            year_bounds,
        )
        busiest = cursor.fetchone()
    if options.organisation:
        organisation = Organisation.objects.get(pk=options.organisation)
    elif busiest:
        organisation = Organisation.objects.get(pk=busiest[0])
    else:
        sys.exit(f"No participation in {year}: run bench/hr_generate.py first.")
    viewer = User.objects.filter(hr_organisation=organisation).first()
    if viewer is None:
        sys.exit("No HR viewer for that organisation: run bench/hr_generate.py first.")
    today = timezone.localdate()
    periods = [p for p in year_periods(year) if is_reportable(p, today)]
    if not periods:
        sys.exit(f"No reportable period in {year} yet.")

    client = Client()
    client.force_login(viewer)
    url = f"/hr/participation/?year={year}&period=month"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    with CaptureQueriesContext(connection) as report_queries:
        participation_report(organisation.pk, year=year)
    own_sql = [  # the report's own queries, not the shared cache's
        query["sql"]
        for query in report_queries.captured_queries
        if query["sql"].startswith("SELECT") and "foorumix_cache" not in query["sql"]
    ]

    def page_sql():
        with connection.cursor() as cursor:
            for sql in own_sql:  # as sent, parameters included
                cursor.execute(sql)
                cursor.fetchall()

    def cold(function):
        def run():
            report_module._MEMORY.clear()  # measure the suppression, not the memory
            cache.clear()  # nor the shared cache the worker fills
            function()

        return run

    def prepared(function):
        def run():
            report_module._MEMORY.clear()  # a fresh process; the worker has prepared it
            function()

        return run

    times = timings_ms(
        {
            "raw": lambda: raw_sql(organisation.pk, year, periods),
            "report": cold(lambda: participation_report(organisation.pk, year=year)),
            "page": cold(page),
            "prepared": prepared(page),
            "warm": lambda: participation_report(organisation.pk, year=year),
            "own": page_sql,
        },
        options.runs,
    )
    with CaptureQueriesContext(connection) as queries:
        page()
    result = participation_report(organisation.pk, year=year)
    hidden = sum(value is None for figures in result.figures.values() for value in figures.values())
    shown = sum(len(figures) for figures in result.figures.values()) - hidden

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sessions_app_participation")
        participations = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM sessions_app_participation p JOIN members_user u "
            "ON u.id = p.user_id JOIN sessions_app_meeting m ON m.id = p.meeting_id "
            "WHERE u.organisation_id = %s AND m.starts_at >= %s AND m.starts_at < %s",
            [organisation.pk, *year_bounds],
        )
        in_scope = cursor.fetchone()[0]

    print(f"data: {participations:,} participation rows; {organisation.name} {year}: {in_scope:,}")
    print(
        f"grid: {len(result.rows)} rows x {len(result.periods)} periods, "
        f"{shown} figures shown, {hidden} hidden"
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        setting = cursor.fetchone()[0]
    raw, report, full = (statistics.median(times[name]) for name in ("raw", "report", "page"))
    # Each page run against the floor measured just before it.
    ratios = sorted(p / r for p, r in zip(times["page"], times["raw"], strict=True))
    over = sum(ratio > 2 for ratio in ratios)

    def spread(name: str) -> str:
        return f"({min(times[name]):.1f}-{max(times[name]):.1f})"

    print(f"median of {options.runs} runs (random_page_cost {setting}, {os.cpu_count()} CPUs):")
    print(f"  raw SQL (floor)      {raw:8.1f} ms {spread('raw'):>14}")
    for label, name, value in (
        ("report (report.py)  ", "report", report),
        ("page (GET, rendered)", "page", full),
    ):
        print(f"  {label} {value:8.1f} ms {spread(name):>14}   {value / raw:4.2f} x floor")
    print(
        f"  page / floor per run {statistics.median(ratios):8.2f} median, "
        f"{ratios[0]:.2f}-{ratios[-1]:.2f}, over 2x in {over} of {len(ratios)} runs"
    )
    ready = statistics.median(times["prepared"])
    print(
        f"  page, prepared       {ready:8.1f} ms {spread('prepared'):>14}   "
        f"{ready / raw:4.2f} x floor  (result read from the shared cache)"
    )
    warm = statistics.median(times["warm"])
    print(f"  warm report          {warm:8.1f} ms {spread('warm'):>14}   {warm / raw:4.2f} x floor")
    own = statistics.median(times["own"])
    print(f"  page's own SQL       {own:8.1f} ms {spread('own'):>14}   {own / raw:4.2f} x floor")
    print(f"  page queries         {len(queries):8d}")


if __name__ == "__main__":
    main()
