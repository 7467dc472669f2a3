"""The HR report withstands an exact attacker (tests/sessions_app/hr/attacker.py): on
the demo data and on generated organisations, every hidden figure keeps at least three
possible values, and nothing true of every member of a group smaller than 2k follows
from everything an HR viewer can download."""

import time

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from forums.demo import seed_forums
from members.demo import seed_people
from members.models import Unit, User
from sessions_app.demo.meetings import seed_meetings
from sessions_app.demo.pulse import seed_history
from sessions_app.hr.periods import default_year, is_reportable, year_periods
from sessions_app.hr.queries import period_counts
from sessions_app.hr.report import NO_UNIT, TOTAL
from sessions_app.models import PULSE_QUESTION_NAMES, Meeting, Participation
from tests.sessions_app.hr.attacker import Attacker, Side, read_published, width
from tests.sessions_app.hr.generated import random_organisation

pytestmark = pytest.mark.django_db

PAGE = reverse("hr:participation")
CSV_URL = reverse("hr:participation_csv")
GENERATED_YEAR = timezone.localdate().year - 2  # all 17 periods reportable
GENERATED_SEEDS = (0, 1, 2)
RESULTS: dict[str, dict] = {}  # what each run found, printed with -s
CHECKED: list[str] = []  # the true statements of the last attack, that must not follow


def side_knowledge(organisation, year: int, periods: list[str]) -> Side:
    """The most held meetings one person of the organisation attended / was recorded at,
    per period: an insider knowing the forums' calendars can bound as much."""
    attended, recorded = {}, {}
    for period in year_periods(year):
        if period.key not in periods:
            continue
        start, end = period.bounds()
        rows = (
            Participation.objects.filter(
                user__organisation=organisation,
                meeting__status=Meeting.Status.HELD,
                meeting__starts_at__gte=start,
                meeting__starts_at__lt=end,
            )
            .values("user")
            .annotate(
                present=Count("id", filter=Q(attended=True)),
                marked=Count("id", filter=Q(attended__isnull=False)),
            )
        )
        attended[period.key] = max((row["present"] for row in rows), default=0)
        recorded[period.key] = max((row["marked"] for row in rows), default=0)
    return Side(attended, recorded)


def true_counts(organisation, year: int, published_rows: list[str]):
    """Per (row key, period key), the true counts: only to know which statements about
    every member of a small group are true, and so must not follow."""
    periods = [p for p in year_periods(year) if is_reportable(p, timezone.localdate())]
    counts = period_counts(organisation.pk, periods)
    units = {f"unit-{unit_id}": unit_id for unit_id in counts if unit_id is not None}
    found = {}
    for row in published_rows:
        if row == TOTAL:
            parts = list(counts.values())
        elif row == NO_UNIT:
            known = {u.pk for u in Unit.objects.filter(organisation=organisation)}
            parts = [c for unit_id, c in counts.items() if unit_id not in known]
        else:
            parts = [counts[units[row]]] if row in units else []
        for p, period in enumerate(periods):
            found[(row, period.key)] = {
                name: sum(part[name][p] for part in parts if name in part)
                for name in (
                    "enrolled",
                    "participants",
                    "attended",
                    "recorded",
                    "answers",
                    *PULSE_QUESTION_NAMES,
                )
            }
    return found


def attack(client, hr: User, year: int, label: str):
    started = time.perf_counter()
    organisation = hr.hr_organisation
    client.force_login(hr)
    units = {u.name: f"unit-{u.pk}" for u in Unit.objects.filter(organisation=organisation)}
    published, pages = read_published(client, PAGE, CSV_URL, year, units)
    attacker = Attacker(
        published, side_knowledge(organisation, year, published.periods), threshold=5
    )
    ranges = attacker.ranges()
    narrow = {var: interval for var, interval in ranges.items() if width(interval) < 3}
    pinned = pinned_statements(attacker, true_counts(organisation, year, published.rows))
    RESULTS[label] = {
        "pages": pages,
        "hidden figures": len(ranges),
        "minimum range": min((width(i) for i in ranges.values() if i[0] != "seen"), default=None),
        "solves": attacker.solves,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(label, RESULTS[label])
    assert ranges, "nothing hidden: the check would be empty"
    assert narrow == {}
    assert pinned == []


def pinned_statements(attacker: Attacker, truth: dict) -> list:
    """Statements about every member of a group smaller than 2k that follow exactly."""
    twice = 2 * attacker.k
    pinned, CHECKED[:] = [], []
    for (row, period), counts in truth.items():

        def var(count, row=row, period=period):
            return (count, row, period)

        everyone = 0 < counts["enrolled"] < twice and counts["participants"] == counts["enrolled"]
        CHECKED.extend(["everyone attended"] * everyone)
        if everyone and not attacker.statement_open([(var("E"), 1), (var("P"), -1)]):
            pinned.append(("everyone attended", row, period))
        present = 0 < counts["participants"] < twice and counts["attended"] == counts["recorded"]
        CHECKED.extend(["always present"] * present)
        if present and not attacker.statement_open([(var("R"), 1), (var("A"), -1)]):
            pinned.append(("always present", row, period))
        answers = counts["answers"]
        if not 0 < answers < twice:
            continue
        for index, question in enumerate(PULSE_QUESTION_NAMES):
            score_sum, u = counts[question], var(f"U{index}")
            # Everyone who answered gave 1 (sum = N), or everyone gave 5 (sum = 5N).
            CHECKED.extend(["unanimous answers"] * (score_sum in (answers, 5 * answers)))
            if score_sum == answers and not attacker.statement_open([(u, 1), (var("N"), -1)]):
                pinned.append(("everyone answered 1", question, row, period))
            if score_sum == 5 * answers and not attacker.statement_open([(var("N"), 5), (u, -1)]):
                pinned.append(("everyone answered 5", question, row, period))
    return pinned


def test_the_demo_report_withstands_an_exact_attacker(client):
    people = seed_people()
    seed_meetings(seed_forums(people))
    seed_history(people)
    year = default_year(timezone.localdate())
    for email in ("hr1@demo.foorumix.fi", "hr2@demo.foorumix.fi"):
        attack(client, User.objects.get(email=email), year, email)


@pytest.mark.parametrize("seed", GENERATED_SEEDS)
def test_generated_organisations_withstand_an_exact_attacker(client, seed):
    world = random_organisation(seed, GENERATED_YEAR)
    attack(client, world.hr, GENERATED_YEAR, f"generated {seed}")
    # The data holds what could leak: true statements about every member of small
    # groups, of each kind, which the solver failed to derive.
    assert set(CHECKED) >= {"everyone attended", "unanimous answers"}
