"""The anonymous one-time pulse after a meeting (sessions_app/pulse/). How answers are
staged and released in batches: test_pulse_batches.py."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from sessions_app.access import pulse_receipt_by_token
from sessions_app.models import (
    PULSE_QUESTION_NAMES,
    ForumPulseAnswer,
    Meeting,
    OrganisationPulseAnswer,
    Participation,
    PulseReceipt,
    StagedPulseAnswer,
)
from sessions_app.pulse import selectors
from sessions_app.pulse import services as pulse
from tests.factories import OrganisationFactory, UnitFactory, UserFactory, make_held_meeting

SCORES = {"useful": 4, "safe_place": 5, "important_to_group": 3, "helps_coping": 4}
FORM = {name: str(value) for name, value in SCORES.items()}


@pytest.fixture
def meeting(forum, member):
    absent = UserFactory(first_name="Poissa", last_name="Olija")
    held = make_held_meeting(forum, attendees=[member], days_ago=3)
    Participation.objects.create(meeting=held, user=absent, attended=False)
    return held


@pytest.fixture
def receipt(meeting, member):
    (created,) = pulse.pulse_receipts_create(meeting)
    assert created.user == member
    return created


def link(receipt) -> str:
    return reverse("pulse:answer", kwargs={"token": receipt.token()})


def release_all() -> int:
    """Write every staged answer, as beat will once the batches are complete."""
    return pulse.pulse_answers_release(today=timezone.localdate() + timedelta(days=60))


def nothing_stored() -> bool:
    return not (
        StagedPulseAnswer.objects.exists()
        or ForumPulseAnswer.objects.exists()
        or OrganisationPulseAnswer.objects.exists()
    )


# --- Receipts ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_receipts_go_to_attendees_only_and_creating_again_changes_nothing(meeting, member):
    first = pulse.pulse_receipts_create(meeting)
    again = pulse.pulse_receipts_create(meeting)
    assert [r.user for r in first] == [member]
    assert [(r.pk, r.token_hash) for r in again] == [(r.pk, r.token_hash) for r in first]
    assert PulseReceipt.objects.count() == 1


@pytest.mark.django_db
def test_corrected_attendance_adds_and_withdraws_unanswered_receipts(meeting, member, forum):
    latecomer = UserFactory()
    Participation.objects.create(meeting=meeting, user=latecomer, attended=True)
    (old,) = [r for r in pulse.pulse_receipts_create(meeting) if r.user == member]
    Participation.objects.filter(meeting=meeting, user=member).update(attended=False)

    receipts = pulse.pulse_receipts_create(meeting)

    assert [r.user for r in receipts] == [latecomer]
    assert pulse_receipt_by_token(old.token()) is None


@pytest.mark.django_db
def test_only_held_meetings_get_receipts(forum):
    from tests.factories import make_meeting

    with pytest.raises(ValueError):
        pulse.pulse_receipts_create(make_meeting(forum))


@pytest.mark.django_db
def test_the_link_is_absolute_and_only_its_hash_is_stored(receipt, settings):
    settings.SITE_URL = "https://foorumix.example.org"
    url = pulse.pulse_url(receipt)
    token = re.fullmatch(r"https://foorumix\.example\.org/pulse/([0-9a-f]{64})/", url).group(1)
    stored = PulseReceipt.objects.filter(pk=receipt.pk).values().get()
    assert token not in str(stored)
    assert pulse_receipt_by_token(token) == receipt


# --- Answering --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_is_stored_without_any_link_to_the_person(receipt, member):
    organisation = OrganisationFactory()
    member.organisation = organisation
    member.unit = UnitFactory(organisation=organisation)
    member.save()
    answer_day = timezone.localdate()

    pulse.pulse_answer(receipt=receipt, scores=SCORES)

    receipt.refresh_from_db()
    assert receipt.answered_on == answer_day
    assert StagedPulseAnswer.objects.count() == 2
    assert not ForumPulseAnswer.objects.exists() and not OrganisationPulseAnswer.objects.exists()
    assert release_all() == 2
    forum_answer = ForumPulseAnswer.objects.get()
    organisation_answer = OrganisationPulseAnswer.objects.get()
    # The coordinators' row carries the meeting's day, not the day of answering.
    assert forum_answer.answered_on == timezone.localdate(receipt.meeting.starts_at)
    assert forum_answer.answered_on != answer_day
    assert (organisation_answer.organisation, organisation_answer.unit) == (
        organisation,
        member.unit,
    )
    assert organisation_answer.month == answer_day.replace(day=1)
    # The rows hold exactly this: no user, no receipt, no time of answering.
    assert ForumPulseAnswer.objects.values().get() == {
        "id": forum_answer.pk,
        "forum_id": receipt.meeting.forum_id,
        "answered_on": forum_answer.answered_on,
        **SCORES,
    }
    assert OrganisationPulseAnswer.objects.values().get() == {
        "id": organisation_answer.pk,
        "organisation_id": organisation.pk,
        "unit_id": member.unit_id,
        "month": answer_day.replace(day=1),
        **SCORES,
    }
    for row in (forum_answer, organisation_answer):
        assert isinstance(row.pk, uuid.UUID) and row.pk.version == 4


def test_the_answer_tables_have_no_person_receipt_or_fine_time_columns():
    expected = {
        ForumPulseAnswer: {"id", *PULSE_QUESTION_NAMES, "forum", "answered_on"},
        OrganisationPulseAnswer: {"id", *PULSE_QUESTION_NAMES, "organisation", "unit", "month"},
    }
    for model, names in expected.items():
        fields = model._meta.concrete_fields
        assert {field.name for field in fields} == names
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4
        assert not any(isinstance(field, models.DateTimeField) for field in fields)
        related = {field.related_model for field in fields if field.is_relation}
        assert related.isdisjoint({PulseReceipt, Meeting, Participation})
        assert all(related_model._meta.label != "members.User" for related_model in related)


@pytest.mark.django_db
def test_answering_twice_is_refused_and_writes_nothing(receipt):
    stale = PulseReceipt.objects.select_related("meeting").get(pk=receipt.pk)
    pulse.pulse_answer(receipt=receipt, scores=SCORES)

    with pytest.raises(pulse.PulseUnavailable) as problem:
        pulse.pulse_answer(receipt=stale, scores={**SCORES, "useful": 1})

    assert problem.value.reason == "answered"
    assert StagedPulseAnswer.objects.count() == 1  # the member has no organisation
    release_all()
    assert ForumPulseAnswer.objects.get().useful == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_with_one_link_store_one_answer():
    forum_owner = UserFactory(is_coordinator=True)
    attendee = UserFactory()
    from tests.factories import make_forum

    held = make_held_meeting(
        make_forum(coordinator=forum_owner, members=[attendee]), attendees=[attendee], days_ago=3
    )
    (receipt,) = pulse.pulse_receipts_create(held)
    start = threading.Barrier(4)
    outcomes = []

    def answer():
        copy = PulseReceipt.objects.select_related("meeting").get(pk=receipt.pk)
        start.wait()
        try:
            pulse.pulse_answer(receipt=copy, scores=SCORES)
            outcomes.append("stored")
        except pulse.PulseUnavailable as problem:
            outcomes.append(problem.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["answered", "answered", "answered", "stored"]
    assert StagedPulseAnswer.objects.count() == 1
    assert release_all() == 1
    assert ForumPulseAnswer.objects.count() == 1


@pytest.mark.django_db
def test_the_pulse_closes_two_weeks_after_the_meeting(receipt):
    day = timezone.localdate(receipt.meeting.starts_at)
    assert pulse.is_open(receipt, day + timedelta(days=pulse.PULSE_OPEN_DAYS))
    assert not pulse.is_open(receipt, day + timedelta(days=pulse.PULSE_OPEN_DAYS + 1))
    with pytest.raises(pulse.PulseUnavailable) as problem:
        pulse.pulse_answer(
            receipt=receipt, scores=SCORES, today=day + timedelta(days=pulse.PULSE_OPEN_DAYS + 1)
        )
    assert problem.value.reason == "closed"
    assert nothing_stored()


@pytest.mark.parametrize(
    "scores",
    [
        {**SCORES, "useful": 0},
        {**SCORES, "useful": 6},
        {**SCORES, "useful": "4"},
        {**SCORES, "useful": True},
        {k: v for k, v in SCORES.items() if k != "useful"},
        {**SCORES, "comment": 3},
    ],
)
@pytest.mark.django_db
def test_scores_must_be_the_four_questions_from_one_to_five(receipt, scores):
    with pytest.raises(ValueError):
        pulse.pulse_answer(receipt=receipt, scores=scores)
    assert PulseReceipt.objects.get(pk=receipt.pk).answered_on is None
    assert nothing_stored()


# --- The page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_link_opens_the_form_without_signing_in_and_answers_once(client, receipt):
    page = client.get(link(receipt))
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    assert html.count('type="radio"') == 20
    assert html.count("<fieldset") == 4
    assert "<textarea" not in html and 'type="text"' not in html

    response = client.post(link(receipt), FORM)

    assert response.status_code == 302 and response.headers["Location"] == link(receipt)
    assert StagedPulseAnswer.objects.count() == 1  # the member has no organisation
    again = client.post(link(receipt), {**FORM, "useful": "1"})
    assert again.status_code == 200
    assert 'id="pulse-answered"' in again.content.decode()
    assert release_all() == 1
    assert ForumPulseAnswer.objects.get().useful == 4
    assert OrganisationPulseAnswer.objects.count() == 0


@pytest.mark.django_db
def test_an_incomplete_form_is_shown_again_and_nothing_is_stored(client, receipt):
    response = client.post(link(receipt), {"useful": "4"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert nothing_stored()
    assert PulseReceipt.objects.get(pk=receipt.pk).answered_on is None


@pytest.mark.parametrize("token", ["0" * 64, "not-a-token", "A" * 64, "0" * 63])
@pytest.mark.django_db
def test_unknown_or_malformed_links_get_a_clear_404_and_change_nothing(client, receipt, token):
    for response in (client.get(f"/pulse/{token}/"), client.post(f"/pulse/{token}/", FORM)):
        assert response.status_code == 404
        assert 'id="pulse-invalid"' in response.content.decode()
    assert nothing_stored()


@pytest.mark.django_db
def test_a_closed_pulse_says_so_and_changes_nothing(client, receipt):
    Meeting.objects.filter(pk=receipt.meeting_id).update(
        starts_at=timezone.now() - timedelta(days=30), ends_at=timezone.now() - timedelta(days=29)
    )
    response = client.post(link(receipt), FORM)
    assert response.status_code == 410
    assert 'id="pulse-closed"' in response.content.decode()
    assert nothing_stored()


# --- The coordinators' results ----------------------------------------------------------------


def answer_meeting(forum, count: int, days_ago: int, score: int = 4) -> Meeting:
    attendees = [UserFactory() for _ in range(count)]
    held = make_held_meeting(forum, attendees=attendees, days_ago=days_ago)
    for receipt in pulse.pulse_receipts_create(held):
        pulse.pulse_answer(
            receipt=receipt,
            scores=dict.fromkeys(PULSE_QUESTION_NAMES, score),
            today=timezone.localdate(held.starts_at) + timedelta(days=1),
        )
    pulse.pulse_answers_release()  # what beat does: batches whose pulse has closed
    return held


@pytest.mark.parametrize(("count", "shown"), [(4, False), (5, True)])
@pytest.mark.django_db
def test_coordinators_see_a_meetings_averages_only_from_the_threshold(
    client, forum, coordinator, settings, count, shown
):
    settings.FOORUMIX_MIN_GROUP_SIZE = 5
    held = answer_meeting(forum, count, days_ago=30)
    client.force_login(coordinator)

    response = client.get(reverse("pulse:forum_results", kwargs={"forum_id": forum.pk}))

    assert response.status_code == 200
    # The exact figures, before disclosure control: averages only from the threshold.
    exact = selectors.forum_pulse_summary(forum.pk)
    (result,) = exact.meetings
    assert result.day == timezone.localdate(held.starts_at)
    assert result.answers == (count if shown else None)
    assert result.averages == (dict.fromkeys(PULSE_QUESTION_NAMES, 4.0) if shown else None)
    assert (exact.overall is not None) is shown
    # Coordinators see them with noise (test_results_disclosure.py), shown only when the
    # noisy count reaches the threshold.
    summary = response.context["summary"]
    (seen,) = summary.meetings
    assert summary.noisy and seen.day == result.day
    assert seen.answers is None or seen.answers >= 5
    expected = "hidden" if seen.answers is None else str(seen.answers)
    assert f'data-answers="{expected}"' in response.content.decode()


@pytest.mark.django_db
def test_a_meeting_whose_pulse_is_still_open_is_not_shown_yet(client, forum, coordinator):
    answer_meeting(forum, 6, days_ago=5)
    client.force_login(coordinator)
    summary = client.get(reverse("pulse:forum_results", kwargs={"forum_id": forum.pk})).context[
        "summary"
    ]
    assert summary.meetings == [] and summary.overall is None and summary.still_open == 1


@pytest.mark.django_db
def test_the_overall_average_covers_only_the_meetings_shown(client, forum, coordinator):
    answer_meeting(forum, 5, days_ago=60, score=4)
    answer_meeting(forum, 2, days_ago=30, score=1)  # hidden: must not move the overall
    client.force_login(coordinator)
    summary = client.get(reverse("pulse:forum_results", kwargs={"forum_id": forum.pk})).context[
        "summary"
    ]
    exact = selectors.forum_pulse_summary(forum.pk)
    assert exact.overall.answers == 5
    assert exact.overall.averages == dict.fromkeys(PULSE_QUESTION_NAMES, 4.0)
    # What coordinators see: the overall is made of the shown (noisy) meetings only.
    shown = [result for result in summary.meetings if result.answers is not None]
    assert (summary.overall is None) == (not shown)
    if len(shown) == 1:
        assert summary.overall.answers == shown[0].answers
        assert summary.overall.averages == shown[0].averages


@pytest.mark.django_db
def test_forum_pulse_is_403_for_members_and_404_for_outsiders_and_hr(
    client, forum, member, outsider, hr_viewer
):
    url = reverse("pulse:forum_results", kwargs={"forum_id": forum.pk})
    client.force_login(member)
    assert client.get(url).status_code == 403
    for person in (outsider, hr_viewer):
        client.force_login(person)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_demo_like_answers_can_be_given_for_a_past_day(receipt):
    day = timezone.localdate(receipt.meeting.starts_at) + timedelta(days=1)
    pulse.pulse_answer(receipt=receipt, scores=SCORES, today=day)
    assert PulseReceipt.objects.get(pk=receipt.pk).answered_on == day
    release_all()
    assert ForumPulseAnswer.objects.count() == 1
    assert OrganisationPulseAnswer.objects.count() == 0


def test_the_pulse_questions_are_the_score_columns_of_both_answer_tables():
    for model in (ForumPulseAnswer, OrganisationPulseAnswer):
        scores = {
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.PositiveSmallIntegerField)
        }
        assert scores == set(PULSE_QUESTION_NAMES)
