"""Pulse answers wait, encrypted, until their batch is complete, and then reach the two
answer tables in independent random orders (sessions_app/pulse/services.py).

The attack these tests replay is someone holding a copy of the database: they read the
tables row by row in physical order (PostgreSQL's ctid, SQLite's rowid: the order of a
dump) and try to pair the coordinators' rows, HR's rows and the receipts (which name
the person) with each other.
"""

import importlib
import itertools
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, models
from django.utils import timezone

from foorumix import crypto
from members.models import Unit
from sessions_app import tasks
from sessions_app.hr.periods import year_periods
from sessions_app.hr.queries import period_counts
from sessions_app.models import (
    PULSE_QUESTION_NAMES,
    ForumPulseAnswer,
    Meeting,
    OrganisationPulseAnswer,
    PulseReceipt,
    StagedPulseAnswer,
)
from sessions_app.pulse import services as pulse
from sessions_app.pulse.selectors import forum_pulse_summary
from tests.factories import (
    OrganisationFactory,
    UnitFactory,
    UserFactory,
    make_forum,
    make_held_meeting,
)

# Sixteen different score combinations: each answer's scores name its author, so the
# tests know the true pairs that the attack tries to recover.
DISTINCT_SCORES = list(itertools.product((1, 2, 3, 4, 5), repeat=4))[::39][:16]


def scores(values) -> dict[str, int]:
    return dict(zip(PULSE_QUESTION_NAMES, values, strict=True))


def people_in_units(organisation, count: int) -> list:
    return [
        UserFactory(organisation=organisation, unit=UnitFactory(organisation=organisation))
        for _ in range(count)
    ]


def answer_all(meeting: Meeting, *, values=None) -> dict[int, tuple]:
    """Every attendee answers the day after the meeting, in the order of the receipts;
    returns each person's scores by user id."""
    answered = {}
    day = pulse.meeting_day(meeting) + timedelta(days=1)
    for index, receipt in enumerate(pulse.pulse_receipts_create(meeting)):
        given = values[index] if values else (4, 4, 4, 4)
        pulse.pulse_answer(receipt=receipt, scores=scores(given), today=day)
        answered[receipt.user_id] = tuple(given)
    return answered


def physical_rows(model: type[models.Model], columns: list[str]) -> list[tuple]:
    """The rows as a dump or a file copy holds them: in physical order."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table} ORDER BY {order}")  # noqa: S608
        return cursor.fetchall()


def matches(first: list, second: list) -> int:
    """How many pairs the attack gets right by pairing the i-th with the i-th."""
    return sum(a == b for a, b in zip(first, second, strict=True))


# --- What is stored while answers wait -------------------------------------------------------


@pytest.mark.django_db
def test_a_waiting_answer_is_one_encrypted_row_per_table_with_nothing_that_names_anyone(
    forum, member
):
    organisation = OrganisationFactory()
    member.organisation = organisation
    member.unit = UnitFactory(organisation=organisation)
    member.save()
    meeting = make_held_meeting(forum, attendees=[member], days_ago=3)
    (receipt,) = pulse.pulse_receipts_create(meeting)
    today = timezone.localdate()

    pulse.pulse_answer(receipt=receipt, scores=scores((5, 1, 2, 3)), today=today)

    assert {field.name for field in StagedPulseAnswer._meta.concrete_fields} == {
        "id",
        "release_on",
        "payload",
    }
    assert not any(field.is_relation for field in StagedPulseAnswer._meta.concrete_fields)
    rows = physical_rows(StagedPulseAnswer, ["release_on", "payload"])
    next_month = (today.replace(day=1) + timedelta(days=31)).replace(day=1)
    assert sorted(str(release_on) for release_on, _payload in rows) == sorted(
        [str(pulse.closes_on(meeting) + timedelta(days=1)), str(next_month)]
    )
    payloads = [payload for _release_on, payload in rows]
    assert all(crypto.looks_encrypted(payload) for payload in payloads)
    assert len({len(payload) for payload in payloads}) == 1  # the two tables look alike
    assert not ForumPulseAnswer.objects.exists() and not OrganisationPulseAnswer.objects.exists()


@pytest.mark.django_db
def test_each_batch_is_written_only_once_no_answer_can_join_it(forum, member):
    organisation = OrganisationFactory()
    member.organisation = organisation
    member.save()
    meeting = make_held_meeting(forum, attendees=[member], days_ago=40)
    answered = pulse.meeting_day(meeting) + timedelta(days=1)
    (receipt,) = pulse.pulse_receipts_create(meeting)
    pulse.pulse_answer(receipt=receipt, scores=scores((4, 4, 4, 4)), today=answered)
    forum_due = pulse.closes_on(meeting) + timedelta(days=1)  # the pulse has closed
    organisation_due = (answered.replace(day=1) + timedelta(days=31)).replace(day=1)

    for today in sorted({forum_due - timedelta(days=1), forum_due,
                         organisation_due - timedelta(days=1), organisation_due}):  # fmt: skip
        pulse.pulse_answers_release(today=today)
        assert ForumPulseAnswer.objects.count() == (today >= forum_due), today
        assert OrganisationPulseAnswer.objects.count() == (today >= organisation_due), today
    assert not StagedPulseAnswer.objects.exists()
    assert OrganisationPulseAnswer.objects.get().month == answered.replace(day=1)
    assert ForumPulseAnswer.objects.get().answered_on == pulse.meeting_day(meeting)


# --- The figures -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_after_the_task_runs_the_coordinators_and_hr_figures_count_every_answer(
    coordinator, settings
):
    settings.FOORUMIX_MIN_GROUP_SIZE = 5
    organisation = OrganisationFactory()
    unit = UnitFactory(organisation=organisation)
    people = [UserFactory(organisation=organisation, unit=unit) for _ in range(5)]
    forum = make_forum(coordinator=coordinator, members=people, organisations=[organisation])
    meeting = make_held_meeting(forum, attendees=people, days_ago=60)
    answer_all(meeting, values=[(4, 5, 3, 2)] * 5)
    answered = pulse.meeting_day(meeting) + timedelta(days=1)

    month = year_periods(answered.year)[answered.month - 1]

    def figures() -> tuple:
        (result,) = forum_pulse_summary(forum.pk).meetings
        # HR's counts for the month, before disclosure control (that is hr/report.py's).
        hr = period_counts(organisation.pk, [month]).get(unit.pk, {})
        return result.answers, result.averages, hr.get("answers"), hr.get("useful")

    coordinators_answers, averages, hr_answers, _hr_useful = figures()
    # Staged: not counted anywhere yet.
    assert (coordinators_answers, averages, hr_answers or [0]) == (None, None, [0])

    assert tasks.release_pulse_answers() == 10

    assert figures() == (5, scores((4.0, 5.0, 3.0, 2.0)), [5], [20])
    assert tasks.release_pulse_answers() == 0  # again: nothing is counted twice
    assert figures() == (5, scores((4.0, 5.0, 3.0, 2.0)), [5], [20])


# --- The attack: pair rows by their physical order ----------------------------------------------


def _attack_one_batch(coordinator, organisation, days_ago: int, seen: set) -> list[int]:
    """Sixteen people, each the only one of their unit, answer one meeting in the order
    of their receipts; the batch is written; the attacker pairs the rows that appeared
    (coordinators' rows, HR rows, answered receipts) by physical order. Returns the
    relative order of the two answer tables (for each coordinators' row, the position
    of the same answer among HR's rows)."""
    people = people_in_units(organisation, len(DISTINCT_SCORES))
    forum = make_forum(coordinator=coordinator, members=people, organisations=[organisation])
    meeting = make_held_meeting(forum, attendees=people, days_ago=days_ago)
    answered = answer_all(meeting, values=DISTINCT_SCORES)
    author_of = {given: user_id for user_id, given in answered.items()}
    unit_of = {person.pk: person.unit_id for person in people}
    assert pulse.pulse_answers_release() == 2 * len(people)

    forum_rows = [
        row for row in physical_rows(ForumPulseAnswer, ["id", *PULSE_QUESTION_NAMES])
        if row[0] not in seen
    ]  # fmt: skip
    hr_rows = [
        row
        for row in physical_rows(OrganisationPulseAnswer, ["id", "unit_id", *PULSE_QUESTION_NAMES])
        if row[0] not in seen
    ]
    seen.update(row[0] for row in forum_rows + hr_rows)
    receipts = [
        user_id
        for user_id, meeting_id in physical_rows(PulseReceipt, ["user_id", "meeting_id"])
        if meeting_id == meeting.pk
    ]
    by_coordinators_row = [author_of[tuple(row[1:])] for row in forum_rows]
    by_hr_row = [author_of[tuple(row[2:])] for row in hr_rows]
    # The truth, for the record: each HR row carries its author's own (only) unit.
    assert all(unit_of[author] == row[1] for author, row in zip(by_hr_row, hr_rows, strict=True))
    assert sorted(by_coordinators_row) == sorted(by_hr_row) == sorted(receipts)

    half = len(people) // 2
    # Random orders get about one pair right; more than half happens by chance with
    # probability about 1e-6. Storing in the order of answering gets all sixteen.
    assert matches(by_coordinators_row, by_hr_row) <= half
    assert matches(receipts, by_coordinators_row) <= half
    assert matches(receipts, by_hr_row) <= half
    return [by_hr_row.index(author) for author in by_coordinators_row]


@pytest.mark.django_db
def test_a_database_copy_does_not_pair_the_answer_tables_or_the_receipts_by_row_order(
    coordinator,
):
    organisation = OrganisationFactory()
    seen: set = set()
    first = _attack_one_batch(coordinator, organisation, days_ago=100, seen=seen)
    second = _attack_one_batch(coordinator, organisation, days_ago=60, seen=seen)
    # A fixed reordering (say, one table reversed) would defeat the counts above but
    # not an attacker who knows it: the relative order must differ from batch to batch
    # (the same one twice by chance: 1 in 16!).
    assert first != second


# --- Running the task --------------------------------------------------------------------------


@pytest.mark.django_db
def test_answers_of_a_deleted_forum_are_dropped_and_a_deleted_unit_becomes_no_unit(forum, member):
    organisation = OrganisationFactory()
    member.organisation = organisation
    member.unit = UnitFactory(organisation=organisation)
    member.save()
    meeting = make_held_meeting(forum, attendees=[member], days_ago=60)
    answer_all(meeting)
    Unit.objects.filter(pk=member.unit_id).delete()
    forum.delete()

    assert pulse.pulse_answers_release() == 2

    assert not ForumPulseAnswer.objects.exists()
    assert OrganisationPulseAnswer.objects.values_list("organisation_id", "unit_id").get() == (
        organisation.pk,
        None,
    )


@pytest.mark.django_db
def test_staged_answers_that_fit_no_key_stop_the_release_and_nothing_is_written(
    forum, member, settings
):
    from cryptography.fernet import Fernet

    meeting = make_held_meeting(forum, attendees=[member], days_ago=60)
    answer_all(meeting)
    settings.FOORUMIX_NOTES_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(crypto.UndecryptableError, match="FOORUMIX_NOTES_KEYS"):
        pulse.pulse_answers_release()

    assert StagedPulseAnswer.objects.count() == 1
    assert not ForumPulseAnswer.objects.exists()


def test_beat_runs_the_release_every_quarter_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["release-pulse-answers"]
    assert entry["task"] == "sessions_app.tasks.release_pulse_answers"
    assert entry["schedule"].minute == {0, 15, 30, 45}
    assert tasks.release_pulse_answers.name == entry["task"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_write_every_answer_exactly_once():
    organisation = OrganisationFactory()
    people = people_in_units(organisation, 6)
    forum = make_forum(coordinator=UserFactory(is_coordinator=True), members=people)
    answer_all(make_held_meeting(forum, attendees=people, days_ago=60))
    start = threading.Barrier(4)
    released = []

    def release():
        start.wait()
        try:
            released.append(pulse.pulse_answers_release())
        finally:
            connection.close()

    threads = [threading.Thread(target=release) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(released) == [0, 0, 0, 12]
    assert ForumPulseAnswer.objects.count() == OrganisationPulseAnswer.objects.count() == 6
    assert not StagedPulseAnswer.objects.exists()


# --- Migrations ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_answers_stored_before_staging_existed_are_rewritten_in_random_orders():
    """Rows written the old way, one pair per answer in the order of answering, are
    shuffled by migration 0005; the attack then pairs no better than chance."""
    from django.apps import apps

    shuffled = importlib.import_module("sessions_app.migrations.0005_pulse_answers_shuffled")
    organisation = OrganisationFactory()
    forum = make_forum(coordinator=UserFactory(is_coordinator=True))
    units = [UnitFactory(organisation=organisation) for _ in DISTINCT_SCORES]
    for unit, values in zip(units, DISTINCT_SCORES, strict=True):
        ForumPulseAnswer.objects.create(
            forum=forum, answered_on=timezone.localdate(), **scores(values)
        )
        OrganisationPulseAnswer.objects.create(
            organisation=organisation, unit=unit, month=timezone.localdate(), **scores(values)
        )
    assert physical_rows(ForumPulseAnswer, PULSE_QUESTION_NAMES) == physical_rows(
        OrganisationPulseAnswer, PULSE_QUESTION_NAMES
    )  # the old leak

    shuffled.shuffle_answers(apps, SimpleNamespace(connection=connection))

    coordinators = physical_rows(ForumPulseAnswer, PULSE_QUESTION_NAMES)
    hr = physical_rows(OrganisationPulseAnswer, PULSE_QUESTION_NAMES)
    assert sorted(coordinators) == sorted(hr) == sorted(DISTINCT_SCORES)
    assert matches(coordinators, hr) <= len(DISTINCT_SCORES) // 2


@pytest.mark.django_db
def test_going_back_past_the_staging_migration_first_writes_the_waiting_answers(forum, member):
    from django.apps import apps

    staging = importlib.import_module("sessions_app.migrations.0004_private_texts_encrypted")
    organisation = OrganisationFactory()
    member.organisation = organisation
    member.save()
    meeting = make_held_meeting(forum, attendees=[member], days_ago=3)
    answer_all(meeting, values=[(1, 2, 3, 4)])

    staging.write_staged_answers(apps, SimpleNamespace(connection=connection))

    assert not StagedPulseAnswer.objects.exists()
    assert ForumPulseAnswer.objects.values_list(
        "forum_id", "answered_on", *PULSE_QUESTION_NAMES
    ).get() == (forum.pk, pulse.meeting_day(meeting), 1, 2, 3, 4)
    assert OrganisationPulseAnswer.objects.values_list(
        "organisation_id", "unit_id", "month", *PULSE_QUESTION_NAMES
    ).get() == (
        organisation.pk,
        None,
        (pulse.meeting_day(meeting) + timedelta(days=1)).replace(day=1),
        1,
        2,
        3,
        4,
    )
