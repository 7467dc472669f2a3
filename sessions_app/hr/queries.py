"""The database counts behind the HR report: a fixed number of queries, whatever the
data size.

What is counted
---------------
For one organisation O and one calendar year, per unit of O and per reportable period
(sessions_app/hr/periods.py):

- enrolled: distinct people of O with a forum membership overlapping the period;
- participants: distinct people of O who attended at least one held meeting in it;
- meetings attended: attended participations at held meetings in it;
- attendance rate: attended / recorded participations (attended true or false) at held
  meetings in it. `attendance_record` writes one row per member at the meeting, so the
  denominator is "meetings held while the person was a member";
- stayed: distinct people of O whose membership covers the whole period;
- pulse: answers and the four averages from OrganisationPulseAnswer (unit at answer
  time, month of answering);
- and, for disclosure control only (never shown or handed on beyond
  sessions_app/hr/suppression.py): the most held meetings one person of O attended and
  was recorded at in each period (an insider who knows the forums' calendars knows such
  a bound, so suppression assumes it known), and each person's own counts per period
  without any identifier (suppression moves them between rows to show that a hidden
  figure could be something else).

People are counted by their current `User.organisation` and `User.unit`. Every query
filters on O first, so other organisations' people never enter a figure: a
cross-organisation forum contributes only O's share. No name, forum, meeting or person
row leaves this module; only counts per (unit, period) do. (Person ids are read, with
memberships and with attendance per month, only to count distinct people per period.)
The counts are not suppressed here: only sessions_app/hr/report.py, which suppresses
them, may hand them on.

Each query returns a small result (per unit, month and person, or per membership) that
is counted up here, rather than one filtered aggregate per period: compiling ~85
filtered aggregates took Django about as long as the database took to answer them.
Distinct people do not add up over months, so the participation query keeps the person
in its grouping and a quarter's or the year's participants are the union of its months'
sets of people.

Known limits: figures use today's unit of each person, so moving a person between units
changes past figures (storing the unit with the membership would fix it), and so does
correcting attendance after the settling week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.utils import timezone

from foorumix.rows import fetch, moment
from members.models import Unit
from sessions_app.hr.periods import Period
from sessions_app.models import PULSE_QUESTION_NAMES, Meeting

# Per unit: a list with one number per reportable period, in grid order.
Counts = dict[int | None, dict[str, list[int]]]
PARTICIPATION_COUNTS = ("participants", "attended", "recorded")
MEMBERSHIP_COUNTS = ("enrolled", "stayed")
PULSE_COUNTS = ("answers", *PULSE_QUESTION_NAMES)
COUNT_NAMES = (*MEMBERSHIP_COUNTS, *PARTICIPATION_COUNTS, *PULSE_COUNTS)


def organisation_units(organisation_id: int) -> list[Unit]:
    return list(Unit.objects.filter(organisation_id=organisation_id).order_by("name", "pk"))


# Hand-written, like the report's statements below: the ORM's join took ~0.5 ms to
# build and compile on every HR page view, twice the time to run it. Parameter: the
# organisation. An organisation without units gives one row with NULL unit columns.
_ORGANISATION_SQL = """
SELECT o.name, u.id, u.name
FROM members_organisation o
LEFT JOIN members_unit u ON u.organisation_id = o.id
WHERE o.id = %s
ORDER BY u.name, u.id
"""


def organisation_with_units(organisation_id: int) -> tuple[str, list[Unit]]:
    """The organisation's name and its units in the order of organisation_units, from
    one query (the HR page needs both)."""
    rows = fetch(_ORGANISATION_SQL, [organisation_id])
    units = [
        Unit(pk=unit_id, organisation_id=organisation_id, name=unit_name)
        for _name, unit_id, unit_name in rows
        if unit_id is not None
    ]
    return (rows[0][0] if rows else ""), units


# One person's counts: unit id and, per count name of PERSON_COUNTS, one number per period.
Person = tuple[int | None, dict[str, list[int]]]
PERSON_COUNTS = (*MEMBERSHIP_COUNTS, *PARTICIPATION_COUNTS)


@dataclass(frozen=True)
class Tally:
    counts: Counts
    most_attended: list[int]  # per period: the most meetings one person attended
    most_recorded: list[int]  # per period: the most meetings one person was recorded at
    people: list[Person]  # in no particular order, without identifiers


def period_counts(organisation_id: int, periods: list[Period]) -> Counts:
    """Every count of COUNT_NAMES per unit id (None: no unit, or a unit id as stored)
    and period, from three queries. A unit without any data is left out; `periods` are
    reportable periods of one year in grid order, at least one."""
    return period_tally(organisation_id, periods).counts


def period_tally(organisation_id: int, periods: list[Period]) -> Tally:
    """period_counts, the per-period maxima per person and each person's counts, from
    the same three queries."""
    months = _months(periods)
    counts: Counts = {}
    people: dict[int, Person] = {}  # person id -> their counts, filled by the queries
    memberships = _membership_counts(organisation_id, periods, people)
    participation, most = _participation_counts(organisation_id, periods, months, people)
    for source in (memberships, participation, _pulse_counts(organisation_id, periods, months)):
        for unit_id, figures in source.items():
            counts.setdefault(unit_id, {}).update(figures)
    return Tally(counts, *most, list(people.values()))


def _person(people: dict[int, Person], user_id: int, unit_id, periods: int) -> dict:
    if user_id not in people:
        people[user_id] = (unit_id, {name: [0] * periods for name in PERSON_COUNTS})
    return people[user_id][1]


def _span(periods: list[Period]) -> tuple[datetime, datetime]:
    """From the start of the earliest period to the end of the latest (grid order puts
    quarters after months, so the last period is not necessarily the latest)."""
    starts, ends = zip(*(period.bounds() for period in periods), strict=True)
    return min(starts), max(ends)


def _months(periods: list[Period]) -> list[list[int]]:
    """Per period, the numbers of the reportable months it consists of."""
    return [
        [p.number for p in periods if p.kind == "month" and q.start <= p.start and p.end <= q.end]
        for q in periods
    ]


# Hand-written: the ORM's forms of the report's three statements (joins, the month in
# Helsinki time, filtered counts, five sums) took ~2 ms to build and compile on every HR
# page view, more than the ~1.7 ms the database took to run them (bench/profile_page.py,
# demo data). They return the rows the ORM's did, on SQLite and PostgreSQL alike.
# Parameters: the organisation, the end of the span, its start.
_MEMBERSHIPS_SQL = """
SELECT u.unit_id, m.user_id, m.joined_at, m.ended_at
FROM forums_membership m
JOIN members_user u ON u.id = m.user_id
WHERE u.organisation_id = %s AND m.joined_at < %s AND (m.ended_at IS NULL OR m.ended_at > %s)
"""
# The month of a meeting, 1-12 in Helsinki time, from the year's month boundaries (the
# first eleven parameters): what extracting the local month gives, without a time-zone
# function, which SQLite lacks. Then the organisation, the status, the span's ends.
_PARTICIPATION_SQL = """
SELECT u.unit_id, CASE {months} ELSE 12 END, p.user_id,
  COUNT(CASE WHEN p.attended THEN 1 END), COUNT(p.attended)
FROM sessions_app_participation p
JOIN members_user u ON u.id = p.user_id
JOIN sessions_app_meeting m ON m.id = p.meeting_id
WHERE u.organisation_id = %s AND m.status = %s AND m.starts_at >= %s AND m.starts_at < %s
GROUP BY 1, 2, 3
""".format(months=" ".join(f"WHEN m.starts_at < %s THEN {month}" for month in range(1, 12)))
# Parameters: the organisation, the year's first day, the next year's first day.
_PULSE_SQL = """
SELECT unit_id, month, COUNT(*), {sums}
FROM sessions_app_organisationpulseanswer
WHERE organisation_id = %s AND month >= %s AND month < %s
GROUP BY unit_id, month
""".format(sums=", ".join(f"SUM({name})" for name in PULSE_QUESTION_NAMES))


def _membership_counts(
    organisation_id: int, periods: list[Period], persons: dict[int, Person]
) -> Counts:
    """Enrolled and stayed per unit and period, from O's memberships overlapping the
    periods (one row per membership: people × forums, a few hundred per organisation)."""
    first, last = _span(periods)
    memberships = fetch(_MEMBERSHIPS_SQL, [organisation_id, last, first])
    # In UTC like the database's values: comparing datetimes of one time zone is cheap.
    bounds = [tuple(bound.astimezone(UTC) for bound in period.bounds()) for period in periods]
    people: dict = {}  # unit id -> (enrolled, stayed): a set of people per period
    for unit_id, user_id, joined, ended in memberships:
        joined, ended = moment(joined), moment(ended)
        enrolled, stayed = people.setdefault(
            unit_id, ([set() for _ in periods], [set() for _ in periods])
        )
        person = _person(persons, user_id, unit_id, len(periods))
        for index, (start, end) in enumerate(bounds):
            if joined < end and (ended is None or ended > start):  # overlaps the period
                enrolled[index].add(user_id)
                person["enrolled"][index] = 1
            if joined <= start and (ended is None or ended >= end):  # covers it
                stayed[index].add(user_id)
                person["stayed"][index] = 1
    return {
        unit_id: {
            "enrolled": [len(s) for s in enrolled],
            "stayed": [len(s) for s in stayed],
        }
        for unit_id, (enrolled, stayed) in people.items()
    }


def _participation_counts(
    organisation_id: int,
    periods: list[Period],
    months: list[list[int]],
    persons: dict[int, Person],
) -> tuple[Counts, tuple[list[int], list[int]]]:
    """Participants, attended and recorded per unit and period, from one query grouped
    by unit, month and person (at most people × months rows); and per period the most
    meetings one person attended and was recorded at."""
    first, last = _span(periods)
    year = periods[0].year
    boundaries = [  # the first moments of February to December, Helsinki time
        datetime.combine(date(year, month, 1), time.min, tzinfo=timezone.get_default_timezone())
        for month in range(2, 13)
    ]
    status = Meeting.Status.HELD.value
    rows = fetch(_PARTICIPATION_SQL, [*boundaries, organisation_id, status, first, last])
    people: dict[tuple, set] = {}  # (unit id, month) -> the people who attended
    sums: dict[tuple, list[int]] = {}  # (unit id, month) -> [attended, recorded]
    per_person: dict[int, dict[int, tuple[int, int]]] = {}  # person -> month -> sums
    for unit_id, month, user_id, attended, recorded in rows:
        per_person.setdefault(user_id, {})[month] = (attended, recorded)
        _person(persons, user_id, unit_id, len(periods))
        key = (unit_id, month)
        if key in sums:
            sums[key][0] += attended
            sums[key][1] += recorded
        else:
            sums[key], people[key] = [attended, recorded], set()
        if attended:
            people[key].add(user_id)
    result: Counts = {}
    for unit_id in {unit_id for unit_id, _month in sums}:
        participants, attended, recorded = [], [], []
        for numbers in months:
            keys = [(unit_id, number) for number in numbers if (unit_id, number) in sums]
            participants.append(len(set().union(*(people[key] for key in keys))))
            attended.append(sum(sums[key][0] for key in keys))
            recorded.append(sum(sums[key][1] for key in keys))
        result[unit_id] = {
            "participants": participants,
            "attended": attended,
            "recorded": recorded,
        }
    return result, _per_person(per_person, months, persons)


def _per_person(
    per_person: dict[int, dict[int, tuple[int, int]]],
    months: list[list[int]],
    persons: dict[int, Person],
) -> tuple[list[int], list[int]]:
    """Each person's participation per period; the most attended and recorded."""
    most_attended, most_recorded = [0] * len(months), [0] * len(months)
    for user_id, by_month in per_person.items():
        person = persons[user_id][1]
        for index, numbers in enumerate(months):
            attended = sum(by_month[n][0] for n in numbers if n in by_month)
            recorded = sum(by_month[n][1] for n in numbers if n in by_month)
            person["participants"][index] = 1 if attended else 0
            person["attended"][index] = attended
            person["recorded"][index] = recorded
            most_attended[index] = max(most_attended[index], attended)
            most_recorded[index] = max(most_recorded[index], recorded)
    return most_attended, most_recorded


def _pulse_counts(organisation_id: int, periods: list[Period], months: list[list[int]]) -> Counts:
    """Pulse answers and score sums per unit and period, from one query grouped by unit
    and month of answering."""
    year = periods[0].year
    rows = fetch(_PULSE_SQL, [organisation_id, date(year, 1, 1), date(year + 1, 1, 1)])
    by_unit: dict = {}  # unit id -> month -> [answers, sum per question]
    for unit_id, month, *values in rows:
        by_unit.setdefault(unit_id, {})[month.month] = [value or 0 for value in values]
    result: Counts = {}
    zeros = [0] * len(PULSE_COUNTS)
    for unit_id, by_month in by_unit.items():
        per_period = [
            [sum(c) for c in zip(zeros, *(by_month.get(n, zeros) for n in numbers), strict=True)]
            for numbers in months
        ]
        result[unit_id] = {
            name: [figures[index] for figures in per_period]
            for index, name in enumerate(PULSE_COUNTS)
        }
    return result


# Hand-written for the same reason as the statements above (the ORM's count took longer
# to build than to run). Parameters: the organisation, the span's start and end.
_DELETIONS_SQL = """
SELECT COUNT(*) FROM members_user
WHERE organisation_id = %s AND erased_at >= %s AND erased_at < %s
"""


def account_deletions(organisation_id: int, periods: list[Period]) -> int:
    """How many of the organisation's people who took part in forums deleted their
    accounts (or had them erased) within the reportable periods: their pseudonyms
    (members/erasure.py), which keep the organisation and nothing else. Counted up to
    the end of the last reportable month only, like every other figure, so the count
    does not change day by day. One query."""
    if not periods:
        return 0
    start, end = _span(periods)
    return fetch(_DELETIONS_SQL, [organisation_id, start, end])[0][0]
