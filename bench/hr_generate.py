"""Generate the HR benchmark data set in its own PostgreSQL database.

    .venv/bin/python bench/hr_generate.py            # create, migrate, fill (once)
    .venv/bin/python bench/hr_generate.py --reset    # empty the tables and fill again

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
foorumix_bench), created if missing and migrated (bench/_setup.py); its name must contain
"bench", because --reset empties the tables. Everything is generated inside
PostgreSQL with set-based SQL (generate_series, INSERT ... SELECT), seeded with setseed
and without parallel workers so that the same rows come out every time:

- 50 organisations with 7 units each, sized so that small units exist (suppression
  has work to do);
- 5,000 supervisors (100 per organisation), 100 coordinators, 50 HR viewers;
- 600 forums started 2016-2022 (one in five shared by two organisations), meeting every
  two weeks until they end (three in ten end after 3-6 years) or until now;
- ten membership slots per forum, half of them changing hands once;
- a participation row for every member of every held meeting, 80% attended (about a
  million rows), and pulse answers from 60% of the attendances.
"""

from __future__ import annotations

import argparse
import time
from urllib.parse import urlparse

from _setup import use_bench_database

TABLES = [
    "sessions_app_forumpulseanswer",
    "sessions_app_organisationpulseanswer",
    "sessions_app_participation",
    "sessions_app_meeting",
    "forums_membership",
    "forums_forum_coordinators",
    "forums_forum_organisations",
    "forums_forum",
    "members_user",
    "members_unit",
    "members_organisation",
]

STEPS: list[tuple[str, str]] = [
    (
        "organisations and units",
        """
        INSERT INTO members_organisation (id, name, created_at)
        SELECT o, format('Bench Oy %s', lpad(o::text, 2, '0')), now()
        FROM generate_series(1, 50) o;
        INSERT INTO members_unit (id, name, organisation_id)
        SELECT (o - 1) * 7 + u, format('Yksikkö %s', u), o
        FROM generate_series(1, 50) o, generate_series(1, 7) u;
        """,
    ),
    (
        "people",
        """
        -- Supervisors 1-5000: organisation (i - 1) % 50 + 1; units 1-7 from large to small.
        INSERT INTO members_user (id, password, is_superuser, email, first_name, last_name,
            language, is_coordinator, is_staff, is_active, date_joined, organisation_id,
            unit_id, email_meeting_updates, email_pulse, email_reminders)
        SELECT i, '!', false, format('supervisor%s@bench.example', i), 'Bench',
            format('Supervisor %s', i), 'fi', false, false, true, now(), (i - 1) % 50 + 1,
            ((i - 1) % 50) * 7 + 1 + floor(7 * power(random(), 2.2))::int, true, true, true
        FROM generate_series(1, 5000) i;
        INSERT INTO members_user (id, password, is_superuser, email, first_name, last_name,
            language, is_coordinator, is_staff, is_active, date_joined,
            email_meeting_updates, email_pulse, email_reminders)
        SELECT 5000 + c, '!', false, format('coordinator%s@bench.example', c), 'Bench',
            format('Coordinator %s', c), 'fi', true, false, true, now(), true, true, true
        FROM generate_series(1, 100) c;
        INSERT INTO members_user (id, password, is_superuser, email, first_name, last_name,
            language, is_coordinator, is_staff, is_active, date_joined, organisation_id,
            hr_organisation_id, email_meeting_updates, email_pulse, email_reminders)
        SELECT 5100 + o, '!', false, format('hr%s@bench.example', o), 'Bench',
            format('HR %s', o), 'fi', false, false, true, now(), o, o, true, true, true
        FROM generate_series(1, 50) o;
        """,
    ),
    (
        "forums",
        """
        CREATE TEMP TABLE bench_forum AS
        SELECT f, (f - 1) % 50 + 1 AS org, (f - 1) / 50 AS nth,
            CASE WHEN f % 5 = 0 THEN f % 50 + 1 END AS org2, began,
            CASE WHEN random() < 0.3
                THEN least(began + (3 + random() * 3) * interval '365 days',
                           timestamptz '2026-10-31 12:00+02') END AS ended
        FROM (
            SELECT f, timestamptz '2016-06-07 13:00+03'
                + floor(random() * 6.5 * 365) * interval '1 day' AS began
            FROM generate_series(1, 600) f
        ) started;
        INSERT INTO forums_forum (id, name, description, capacity, language, status,
            agreement_version, created_at, created_by_id, note_retention_months,
            reminder_days)
        SELECT f, format('Bench forum %s', f), '', 12, 'fi',
            CASE WHEN ended IS NULL THEN 'active' ELSE 'archived' END, 1, began,
            5000 + (f - 1) % 100 + 1, 24, '7,1'
        FROM bench_forum;
        INSERT INTO forums_forum_organisations (forum_id, organisation_id)
        SELECT f, org FROM bench_forum
        UNION ALL SELECT f, org2 FROM bench_forum WHERE org2 IS NOT NULL;
        INSERT INTO forums_forum_coordinators (forum_id, user_id)
        SELECT f, 5000 + (f - 1) % 100 + 1 FROM bench_forum;
        """,
    ),
    (
        "memberships",
        """
        -- Supervisor j of organisation o has id o + 50 * j (j = 0..99).
        CREATE TEMP TABLE bench_slot AS
        SELECT f, s, began, ended, org_of_slot,
            org_of_slot + 50 * ((nth * 10 + s) % 100) AS first_holder,
            org_of_slot + 50 * ((nth * 10 + s + 37) % 100) AS second_holder,
            CASE WHEN random() < 0.5 THEN began + random()
                * (coalesce(ended, timestamptz '2026-11-20 12:00+02') - began) END AS switch
        FROM (
            SELECT bench_forum.*, s,
                CASE WHEN org2 IS NOT NULL AND s >= 5 THEN org2 ELSE org END AS org_of_slot
            FROM bench_forum, generate_series(0, 9) s
        ) slots;
        INSERT INTO forums_membership (joined_at, accepted_version, ended_at, end_reason,
            forum_id, user_id)
        SELECT began, 1, coalesce(switch, ended), '', f, first_holder FROM bench_slot
        UNION ALL
        SELECT switch, 1, ended, '', f, second_holder FROM bench_slot
        WHERE switch IS NOT NULL;
        """,
    ),
    (
        "meetings",
        """
        INSERT INTO sessions_app_meeting (starts_at, ends_at, place, online_url, theme,
            agenda, status, uid, sequence, created_at, updated_at, forum_id)
        SELECT t, t + interval '3 hours', '', '', '', '',
            CASE WHEN t < now() THEN 'held' ELSE 'scheduled' END, gen_random_uuid(), 0,
            now(), now(), f
        FROM bench_forum,
            generate_series(began, coalesce(ended, timestamptz '2026-12-31 12:00+02'),
                            interval '14 days') t;
        """,
    ),
    (
        "participations",
        """
        INSERT INTO sessions_app_participation (rsvp, absence_note, attended, meeting_id,
            user_id)
        SELECT CASE WHEN attended THEN 'yes' ELSE 'no' END, '', attended, meeting_id,
            user_id
        FROM (
            SELECT m.id AS meeting_id, ms.user_id, random() < 0.8 AS attended
            FROM sessions_app_meeting m
            JOIN forums_membership ms ON ms.forum_id = m.forum_id
                AND ms.joined_at <= m.starts_at
                AND (ms.ended_at IS NULL OR ms.ended_at > m.starts_at)
            WHERE m.status = 'held'
        ) rows;
        """,
    ),
    (
        "pulse answers",
        """
        CREATE TEMP TABLE bench_answer AS
        SELECT m.forum_id, u.organisation_id, u.unit_id,
            (m.starts_at AT TIME ZONE 'Europe/Helsinki')::date AS meeting_day,
            date_trunc('month', (m.starts_at AT TIME ZONE 'Europe/Helsinki')
                + floor(random() * 5) * interval '1 day')::date AS month,
            3 + floor(random() * 3)::int AS a, 2 + floor(random() * 4)::int AS b,
            3 + floor(random() * 3)::int AS c, 2 + floor(random() * 4)::int AS d
        FROM sessions_app_participation p
        JOIN sessions_app_meeting m ON m.id = p.meeting_id
        JOIN members_user u ON u.id = p.user_id
        WHERE p.attended AND random() < 0.6;
        INSERT INTO sessions_app_organisationpulseanswer (id, useful, safe_place,
            important_to_group, helps_coping, month, organisation_id, unit_id)
        SELECT gen_random_uuid(), a, b, c, d, month, organisation_id, unit_id
        FROM bench_answer;
        INSERT INTO sessions_app_forumpulseanswer (id, useful, safe_place,
            important_to_group, helps_coping, answered_on, forum_id)
        SELECT gen_random_uuid(), a, b, c, d, meeting_day, forum_id FROM bench_answer;
        """,
    ),
]

SEQUENCES = [
    ("members_organisation", "id"),
    ("members_unit", "id"),
    ("members_user", "id"),
    ("forums_forum", "id"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="empty the tables first")
    options = parser.parse_args()
    url = use_bench_database("foorumix_bench")
    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to fill {name!r}: a benchmark database name contains 'bench'.")
    print(f"database: {name}")

    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM members_user")
        if cursor.fetchone()[0] and not options.reset:
            print("already generated; run with --reset to generate again")
            return
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT setseed(0.2026)")
        started = time.perf_counter()
        for step_name, sql in STEPS:
            step = time.perf_counter()
            cursor.execute(sql)
            print(f"{step_name:>24}: {time.perf_counter() - step:6.1f} s")
        for table, column in SEQUENCES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"(SELECT max({column}) FROM {table}))"
            )
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        step = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"{'vacuum analyze':>24}: {time.perf_counter() - step:6.1f} s")
        print(f"{'total':>24}: {time.perf_counter() - started:6.1f} s")
        for table in reversed(TABLES):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"{table:>38}: {cursor.fetchone()[0]:>9,}")


if __name__ == "__main__":
    main()
