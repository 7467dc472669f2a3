"""What HR figures count and for whom (sessions_app/hr/queries.py and report.py).

What is counted is checked on the counts before disclosure control (`counted`): the
small worlds here would have most figures hidden. What is shown, and with which marker,
is checked on the report. The data-building helpers are shared by the other HR test
modules."""

import math
from datetime import date, datetime, time
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums.models import Forum, Membership
from sessions_app.hr.periods import is_reportable, year_periods
from sessions_app.hr.queries import period_counts
from sessions_app.hr.report import NO_UNIT, TOTAL, participation_report
from sessions_app.models import Meeting, OrganisationPulseAnswer, Participation
from tests.factories import OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# Two years back: every period of it is reportable and it is among the HR form's years.
YEAR = timezone.localdate().year - 2
TODAY = date(YEAR + 1, 3, 1)
K = 5


# --- Helpers -------------------------------------------------------------------------------


def moment(day: date, hour: int = 13) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def organisation(*unit_names: str, name: str | None = None):
    org = OrganisationFactory(**({"name": name} if name else {}))
    return org, {unit: UnitFactory(organisation=org, name=unit) for unit in unit_names}


def people(org, unit, count: int, tag: str = "Henkilö") -> list:
    return [
        UserFactory(organisation=org, unit=unit, first_name=tag, last_name=f"{tag}{n}")
        for n in range(count)
    ]


def forum(name: str = "Foorumi", orgs=()) -> Forum:
    created = Forum.objects.create(name=name, status=Forum.Status.ACTIVE)
    created.organisations.set(orgs)
    return created


def enrol(target: Forum, users, joined: date = date(YEAR - 1, 12, 1), ended: date | None = None):
    for user in users:
        Membership.objects.create(
            forum=target,
            user=user,
            joined_at=moment(joined, 9),
            ended_at=moment(ended, 9) if ended else None,
        )


def held(target: Forum, day: date, present, absent=()) -> Meeting:
    start = moment(day)
    meeting = Meeting.objects.create(
        forum=target,
        starts_at=start,
        ends_at=start.replace(hour=16),
        status=Meeting.Status.HELD,
        theme="Teema",
    )
    Participation.objects.bulk_create(
        [Participation(meeting=meeting, user=u, attended=True, rsvp="yes") for u in present]
        + [Participation(meeting=meeting, user=u, attended=False, rsvp="no") for u in absent]
    )
    return meeting


def monthly(target: Forum, months, present, absent=(), day: int = 10) -> None:
    for month in months:
        held(target, date(YEAR, month, day), present, absent)


def answers(org, unit, month: int, count: int, score: int = 4, year: int = YEAR) -> None:
    OrganisationPulseAnswer.objects.bulk_create(
        OrganisationPulseAnswer(
            organisation=org,
            unit=unit,
            month=date(year, month, 1),
            useful=score,
            safe_place=score,
            important_to_group=score,
            helps_coping=score,
        )
        for _ in range(count)
    )


def own_queries(captured) -> list[str]:
    """The captured SQL apart from the shared cache of suppression results (a table in
    development, written in a transaction of its own): what the report itself asks."""
    transaction = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")
    return [
        query["sql"]
        for query in captured.captured_queries
        if "foorumix_cache" not in query["sql"] and not query["sql"].startswith(transaction)
    ]


def report(org, *, today: date = TODAY, year: int = YEAR, threshold: int = K):
    return participation_report(org.pk, year=year, today=today, threshold=threshold)


def key(unit) -> str:
    return TOTAL if unit is None else f"unit-{unit.pk}"


def figure(result, unit, period: str, name: str):
    return result.figures[(key(unit), period)][name]


def counted(org, unit, period: str, name: str, today: date = TODAY, year: int = YEAR):
    """A figure as counted, before disclosure control (None: no rate or average)."""
    periods = [p for p in year_periods(year) if is_reportable(p, today)]
    counts = period_counts(org.pk, periods)
    index = [p.key for p in periods].index(period)
    parts = list(counts.values()) if unit is None else [counts.get(unit.pk, {})]

    def total(count: str) -> int:
        return sum(part[count][index] for part in parts if count in part)

    if name == "meetings_attended":
        return total("attended")
    if name == "attendance_rate":
        recorded = total("recorded")
        return round(100 * total("attended") / recorded) if recorded else None
    if name == "pulse_answers":
        return total("answers")
    if name.startswith("pulse_"):
        answers = total("answers")
        if not answers:
            return None
        exact = Fraction(total(name.removeprefix("pulse_")), answers)
        return math.floor(10 * exact + Fraction(1, 2)) / 10  # one decimal, halves up
    return total(name)


# --- What is counted --------------------------------------------------------------------------


def test_each_figure_counts_what_its_definition_says():
    org, units = organisation("Tuotanto")
    unit = units["Tuotanto"]
    regulars = people(org, unit, 5)
    leaver, joiner = people(org, unit, 2, "Vaihtuva")
    group = forum()
    enrol(group, regulars)
    enrol(group, [leaver], ended=date(YEAR, 2, 15))
    enrol(group, [joiner], joined=date(YEAR, 2, 20))
    held(group, date(YEAR, 1, 10), present=[*regulars, leaver])
    held(group, date(YEAR, 2, 10), present=regulars[:4], absent=[regulars[4], leaver])
    held(group, date(YEAR, 3, 10), present=[*regulars, joiner])
    held(group, date(YEAR, 3, 24), present=regulars, absent=[joiner])
    answers(org, unit, 3, 5, score=4)
    answers(org, unit, 3, 1, score=1)

    def jan(name):
        return counted(org, unit, f"{YEAR}-01", name)

    def q1(name):
        return counted(org, unit, f"{YEAR}-Q1", name)

    assert jan("enrolled") == 6  # the joiner came in February
    assert jan("participants") == 6
    assert jan("meetings_attended") == 6
    assert jan("attendance_rate") == 100
    assert jan("stayed") == 6
    assert q1("enrolled") == 7
    assert q1("participants") == 7
    assert q1("meetings_attended") == 6 + 4 + 6 + 5
    assert q1("attendance_rate") == round(100 * 21 / 24)
    assert q1("stayed") == 5  # the leaver left, the joiner came late
    assert q1("pulse_answers") == 6
    assert q1("pulse_useful") == round((5 * 4 + 1) / 6, 1)
    assert counted(org, None, f"{YEAR}-Q1", "meetings_attended") == 21


def test_only_held_meetings_and_recorded_attendance_count():
    org, units = organisation("Tuotanto")
    group_people = people(org, units["Tuotanto"], 6)
    group = forum()
    enrol(group, group_people)
    held(group, date(YEAR, 1, 10), present=group_people)
    cancelled = held(group, date(YEAR, 1, 20), present=group_people)
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    unrecorded = held(group, date(YEAR, 1, 27), present=[])
    Participation.objects.bulk_create(
        Participation(meeting=unrecorded, user=u, rsvp="yes") for u in group_people
    )

    assert counted(org, None, f"{YEAR}-01", "meetings_attended") == 6
    assert counted(org, None, f"{YEAR}-01", "attendance_rate") == 100


def test_the_last_reportable_month_is_counted_too():
    """Regression: the query window once ended at the last quarter, dropping October."""
    org, units = organisation("Tuotanto")
    group_people = people(org, units["Tuotanto"], 6)
    group = forum()
    enrol(group, group_people)
    monthly(group, range(1, 11), present=group_people)

    result = report(org, today=date(YEAR, 11, 27))

    assert [p.key for p in result.periods_of("month")][-1] == f"{YEAR}-10"
    today = date(YEAR, 11, 27)
    assert counted(org, None, f"{YEAR}-10", "participants", today=today) == 6
    assert counted(org, None, f"{YEAR}-10", "meetings_attended", today=today) == 6


def test_only_the_organisations_own_people_count_in_a_shared_forum():
    ours, our_units = organisation("Tuotanto", name="Meidän Oy")
    theirs, their_units = organisation("Varasto", name="Heidän Oy")
    our_people = people(ours, our_units["Tuotanto"], 6)
    their_people = people(theirs, their_units["Varasto"], 7, "Vieras")
    shared = forum("Yhteinen", orgs=[ours, theirs])
    enrol(shared, [*our_people, *their_people])
    monthly(shared, range(1, 13), present=[*our_people, *their_people])
    answers(theirs, their_units["Varasto"], 1, 7)

    result = report(ours)

    assert [row.key for row in result.rows] == [key(our_units["Tuotanto"]), TOTAL]
    assert counted(ours, None, str(YEAR), "enrolled") == 6
    assert counted(ours, None, str(YEAR), "meetings_attended") == 6 * 12
    assert counted(ours, None, f"{YEAR}-01", "pulse_answers") == 0
    assert counted(theirs, None, str(YEAR), "enrolled") == 7


def test_people_without_a_unit_or_with_another_organisations_unit_form_no_unit_row():
    org, units = organisation("Tuotanto")
    _other, other_units = organisation("Salainen yksikkö")
    group_people = people(org, units["Tuotanto"], 5)
    no_unit = people(org, None, 3, "Yksikötön")
    misfiled = people(org, other_units["Salainen yksikkö"], 2, "Väärä")
    group = forum()
    enrol(group, [*group_people, *no_unit, *misfiled])

    result = report(org)

    assert [row.kind for row in result.rows] == ["unit", "no_unit", "total"]
    assert all(row.name != "Salainen yksikkö" for row in result.rows)
    assert NO_UNIT in {row.key for row in result.rows}
    no_unit_counts = period_counts(org.pk, result.periods)
    no_unit = {u: c for u, c in no_unit_counts.items() if u != units["Tuotanto"].pk}
    assert sum(c["enrolled"][-1] for c in no_unit.values()) == 5
    assert counted(org, None, str(YEAR), "enrolled") == 10


def test_quarter_and_year_participants_are_distinct_people_not_a_sum_of_months():
    org, units = organisation("Tuotanto")
    unit = units["Tuotanto"]
    crew = people(org, unit, 7)
    group = forum()
    enrol(group, crew)
    held(group, date(YEAR, 1, 10), present=crew[:5], absent=crew[5:])
    held(group, date(YEAR, 2, 10), present=crew[1:6], absent=[crew[0], crew[6]])
    held(group, date(YEAR, 2, 24), present=crew[1:6], absent=[crew[0], crew[6]])
    held(group, date(YEAR, 3, 10), present=crew[2:], absent=crew[:2])
    monthly(group, range(4, 13), present=crew[:5], absent=crew[5:])

    for row in (unit, None):
        for month in ("01", "02", "03", "04"):
            assert counted(org, row, f"{YEAR}-{month}", "participants") == 5
        assert counted(org, row, f"{YEAR}-Q1", "participants") == 7
        assert counted(org, row, f"{YEAR}-Q1", "meetings_attended") == 20
        assert counted(org, row, f"{YEAR}-Q1", "attendance_rate") == round(100 * 20 / 28)
        assert counted(org, row, f"{YEAR}-Q2", "participants") == 5
        assert counted(org, row, str(YEAR), "participants") == 7
        assert counted(org, row, str(YEAR), "meetings_attended") == 20 + 9 * 5


def test_periods_start_and_end_at_local_midnight_for_meetings_and_memberships():
    org, units = organisation("Tuotanto")
    unit = units["Tuotanto"]
    stayers = people(org, unit, 5)
    leaver, joiner = people(org, unit, 2, "Rajalla")
    group = forum()
    enrol(group, stayers)
    # Ends at the first moment of March: a member through all of February, not in March.
    enrol(group, [leaver], ended=date(YEAR, 3, 1))
    Membership.objects.filter(user=leaver).update(ended_at=moment(date(YEAR, 3, 1), 0))
    # Joins at the first moment of April: a member through all of April.
    enrol(group, [joiner], joined=date(YEAR, 4, 1))
    Membership.objects.filter(user=joiner).update(joined_at=moment(date(YEAR, 4, 1), 0))
    # Half past midnight on 1 February in Helsinki is still January in UTC.
    early = held(group, date(YEAR, 2, 1), present=[*stayers, leaver])
    Meeting.objects.filter(pk=early.pk).update(
        starts_at=moment(date(YEAR, 2, 1), 0).replace(minute=30),
        ends_at=moment(date(YEAR, 2, 1), 2),
    )

    assert counted(org, unit, f"{YEAR}-01", "meetings_attended") == 0
    assert counted(org, unit, f"{YEAR}-02", "meetings_attended") == 6
    assert counted(org, unit, f"{YEAR}-02", "stayed") == 6
    assert counted(org, unit, f"{YEAR}-03", "enrolled") == 5
    assert counted(org, unit, f"{YEAR}-04", "enrolled") == 6
    assert counted(org, unit, f"{YEAR}-04", "stayed") == 6
    assert counted(org, unit, f"{YEAR}-Q1", "stayed") == 5
    assert counted(org, unit, f"{YEAR}-Q2", "enrolled") == 6


# --- Thresholds and markers ---------------------------------------------------------------


def rotating_absences(target, months, crew, day: int = 10):
    """A meeting a month where one member (a different one each month) is away."""
    for month in months:
        away = crew[month % len(crew)]
        held(target, date(YEAR, month, day), [p for p in crew if p is not away], [away])


def test_a_group_below_the_threshold_is_hidden_and_marked_as_such():
    org, units = organisation("Tuotanto")
    group_people = people(org, units["Tuotanto"], K - 1)
    group = forum()
    enrol(group, group_people)
    monthly(group, range(1, 13), present=group_people)

    result = report(org)

    for period in (f"{YEAR}-01", f"{YEAR}-Q1", str(YEAR)):
        for row in (units["Tuotanto"], None):
            for name in ("enrolled", "participants", "meetings_attended", "stayed"):
                assert figure(result, row, period, name) is None
                assert result.marker(key(row), period, name) == f"< {K}"


def test_the_totals_of_a_large_enough_organisation_are_shown():
    org, units = organisation("Tuotanto", "Talous")
    crews = [people(org, units[name], 12, name) for name in ("Tuotanto", "Talous")]
    group = forum()
    for crew in crews:
        enrol(group, crew)
    rotating_absences(group, range(1, 13), [*crews[0], *crews[1]])

    result = report(org)

    january = result.figures[(TOTAL, f"{YEAR}-01")]
    assert january["enrolled"] == 24
    assert january["participants"] == 23
    assert january["meetings_attended"] == 23
    assert january["attendance_rate"] == round(100 * 23 / 24)


def test_hidden_figures_show_less_than_k_only_when_their_group_is_that_small():
    org, units = organisation("Iso", "Pieni")
    big = people(org, units["Iso"], 8)
    small = people(org, units["Pieni"], 3, "Pieni")
    group = forum()
    enrol(group, [*big, *small])
    rotating_absences(group, range(1, 13), [*big, *small])

    result = report(org)

    markers = set()
    for row in result.rows:
        for period in result.periods:
            for name, value in result.figures[(row.key, period.key)].items():
                if value is None:
                    marker = result.marker(row.key, period.key, name)
                    markers.add(marker)
                    if row.key == key(units["Pieni"]):
                        assert marker == f"< {K}"
    assert markers == {f"< {K}", ".."}


def test_a_100_percent_rate_or_everyone_attending_is_not_shown_for_a_small_group():
    """The issue's finding: "participants = enrolled" about a unit of one supervisor."""
    org, units = organisation("Iso", "Yksin")
    crew = people(org, units["Iso"], 6)
    alone = people(org, units["Yksin"], 1, "Yksin")
    group = forum()
    enrol(group, [*crew, *alone])
    monthly(group, range(1, 13), present=[*crew, *alone])  # everyone, every time

    result = report(org)

    for row in result.rows:
        for period in result.periods:
            figures = result.figures[(row.key, period.key)]
            assert figures["attendance_rate"] != 100, (row.key, period.key)
            enrolled, participants = figures["enrolled"], figures["participants"]
            assert enrolled is None or participants is None or enrolled != participants


def test_the_threshold_comes_from_settings(settings):
    settings.FOORUMIX_MIN_GROUP_SIZE = 3
    org, units = organisation("Tuotanto")
    group_people = people(org, units["Tuotanto"], 4)
    group = forum()
    enrol(group, group_people)
    rotating_absences(group, range(1, 13), group_people)

    result = participation_report(org.pk, year=YEAR, today=TODAY)
    settings.FOORUMIX_MIN_GROUP_SIZE = 5
    default = participation_report(org.pk, year=YEAR, today=TODAY)

    assert result.threshold == 3
    assert figure(result, None, f"{YEAR}-01", "participants") == 3
    assert figure(default, None, f"{YEAR}-01", "participants") is None


# --- Queries ----------------------------------------------------------------------------------


def test_the_report_runs_four_queries_whatever_the_data_size():
    org, units = organisation("A", "B", "C")
    group = forum()

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            report(org)
        return len(own_queries(queries))

    small = count_queries()
    for index, unit in enumerate(units.values()):
        members = people(org, unit, 6 + index)
        enrol(group, members)
        monthly(group, range(1, 13), present=members)
        for month in range(1, 13):
            answers(org, unit, month, 6)
    assert count_queries() == small == 4


# --- Shared results ---------------------------------------------------------------------------


def test_a_result_worked_out_once_serves_every_process_and_the_worker_prepares_it(monkeypatch):
    from sessions_app import tasks
    from sessions_app.hr import report as report_module

    org, units = organisation("A", "B")
    group = forum()
    for index, unit in enumerate(units.values()):
        members = people(org, unit, 6 + index)
        enrol(group, members)
        monthly(group, range(1, 13), present=members[1:], absent=members[:1])
    searches = []
    real_suppress = report_module.suppress

    def counting_suppress(*args, **kwargs):
        searches.append(args)
        return real_suppress(*args, **kwargs)

    monkeypatch.setattr(report_module, "suppress", counting_suppress)
    monkeypatch.setattr(report_module.timezone, "localdate", lambda: TODAY)
    report_module._MEMORY.clear()

    assert tasks.prepare_hr_reports() >= 1
    prepared = len(searches)  # this year's and last year's report
    assert prepared == 2
    report_module._MEMORY.clear()  # another worker process: nothing in its memory
    first = report(org)
    assert len(searches) == prepared  # read from the shared cache, not searched again

    # New data for a reported month changes the counts and so the key: searched anew.
    late = people(org, units["A"], 1)
    enrol(group, late)
    monthly(group, [2], present=late)
    second = report(org)
    assert len(searches) == prepared + 1
    assert first.figures != second.figures or first.hidden != second.hidden
