"""Benchmark: one outbox sweep of many due reminders through the locmem backend.

Usage:  .venv/bin/python bench/outbox_sweep.py [--sizes 5000,20000,50000]

For each size N it creates forums of 10 members with meetings tomorrow whose one-day
reminder is due, lets the planner create the N reminder rows, then sends them all
(batches of 500, as the worker does) and reports reminders per second, SQL queries per
reminder (planning and sending separately) and the process's peak memory. The data lives
in its own PostgreSQL database (BENCH_DATABASE_URL, default foorumix_bench_outbox).
"""

import argparse
import resource
import statistics
import time
from contextlib import contextmanager
from datetime import timedelta

from _setup import use_bench_database

use_bench_database("foorumix_bench_outbox")

from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from foorumix import outbox  # noqa: E402
from forums.models import Forum, Membership  # noqa: E402
from members.models import User  # noqa: E402
from sessions_app.meetings.reminders import plan_reminders  # noqa: E402
from sessions_app.models import Meeting, OutboxMessage  # noqa: E402

MEMBERS_PER_FORUM = 10
MEETINGS_PER_FORUM = 50


@contextmanager
def count_queries():
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE sessions_app_outboxmessage, sessions_app_participation, "
            "sessions_app_meeting, forums_membership, forums_forum_coordinators, "
            "forums_forum_organisations, forums_groupagreement, forums_forum, "
            "account_emailaddress, members_user CASCADE"
        )


def build(reminders: int) -> None:
    forums_needed = reminders // (MEMBERS_PER_FORUM * MEETINGS_PER_FORUM)
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.fi", first_name="Bench", last_name=str(i), password="!")
        for i in range(forums_needed * MEMBERS_PER_FORUM)
    )
    forums = Forum.objects.bulk_create(
        Forum(name=f"Bench {i}", reminder_days="1", agreement_version=1)
        for i in range(forums_needed)
    )
    Membership.objects.bulk_create(
        Membership(forum=forum, user=user, accepted_version=1)
        for index, forum in enumerate(forums)
        for user in users[index * MEMBERS_PER_FORUM : (index + 1) * MEMBERS_PER_FORUM]
    )
    Meeting.objects.bulk_create(
        Meeting(
            forum=forum,
            starts_at=now + timedelta(hours=20, minutes=number),
            ends_at=now + timedelta(hours=23, minutes=number),
            place="Pori",
            theme="Muutoksen johtaminen",
            created_at=now - timedelta(days=3),
        )
        for forum in forums
        for number in range(MEETINGS_PER_FORUM)
    )
    Meeting.objects.update(created_at=now - timedelta(days=3))


def run(reminders: int) -> dict:
    reset()
    build(reminders)
    with count_queries() as planned:
        started = time.perf_counter()
        plan_reminders()
        plan_seconds = time.perf_counter() - started
    assert OutboxMessage.objects.filter(kind="reminder").count() == reminders
    sent = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        with count_queries() as sending:
            started = time.perf_counter()
            while claimed := outbox.claim(500):
                sent += outbox.send_claimed(claimed)["sent"]
                mail.outbox.clear()  # locmem keeps every message; the bench does not need them
            send_seconds = time.perf_counter() - started
    assert sent == reminders, sent
    return {
        "reminders": reminders,
        "plan_s": plan_seconds,
        "send_s": send_seconds,
        "per_second": reminders / send_seconds,
        "plan_queries_per_reminder": planned["n"] / reminders,
        "send_queries_per_reminder": sending["n"] / reminders,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,20000,50000")
    args = parser.parse_args()
    print("reminders | plan s | send s | sent/s | queries/reminder plan | send | peak RSS MB")
    rates = []
    for size in (int(s) for s in args.sizes.split(",")):
        r = run(size)
        rates.append(r["per_second"])
        print(
            f"{r['reminders']:>9} | {r['plan_s']:6.1f} | {r['send_s']:6.1f} "
            f"| {r['per_second']:6.0f} "
            f"| {r['plan_queries_per_reminder']:21.3f} | {r['send_queries_per_reminder']:.3f} "
            f"| {r['peak_rss_mb']:.0f}"
        )
    print(f"median sent/s: {statistics.median(rates):.0f}")
    reset()


if __name__ == "__main__":
    main()
