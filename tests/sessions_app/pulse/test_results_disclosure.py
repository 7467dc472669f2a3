"""A coordinator who controls most of a meeting's answers learns nothing exact about the
rest (sessions_app/pulse/selectors.py: keyed Laplace noise on what coordinators see).

The attack (finding 6 of the confidentiality issue): the coordinator brings four
accounts of their own into the forum, marks them present with the real member, and has
them answer 5, 5, 5, 5. With exact averages the member's scores follow:
score = 5 x average - 20."""

import math
import statistics
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import Membership
from sessions_app.models import PULSE_QUESTION_NAMES
from sessions_app.pulse import selectors
from sessions_app.pulse import services as pulse
from tests.factories import UserFactory, make_held_meeting

pytestmark = pytest.mark.django_db

MEETINGS = 20


def attacked_forum(forum, member, *, answering=lambda number: True):
    """MEETINGS held meetings, each with the member and four of the coordinator's own
    accounts present; the accounts answer 5s, the member (when `answering`) answers a
    score that cycles through 1..5. Returns {meeting day: the member's score or None}."""
    accounts = [UserFactory(first_name="Oma", last_name=f"Tili{n}") for n in range(4)]
    for account in accounts:
        Membership.objects.create(forum=forum, user=account)
    truth = {}
    for number in range(MEETINGS):
        held = make_held_meeting(forum, attendees=[member, *accounts], days_ago=40 + 5 * number)
        day = timezone.localdate(held.starts_at)
        score = number % 5 + 1 if answering(number) else None
        for receipt in pulse.pulse_receipts_create(held):
            if receipt.user_id == member.pk:
                if score is None:
                    continue
                values = dict.fromkeys(PULSE_QUESTION_NAMES, score)
            else:
                values = dict.fromkeys(PULSE_QUESTION_NAMES, 5)
            pulse.pulse_answer(receipt=receipt, scores=values, today=day + timedelta(days=1))
        truth[day] = score
    pulse.pulse_answers_release(today=timezone.localdate() + timedelta(days=60))
    return truth


def results(client, coordinator, forum):
    client.force_login(coordinator)
    response = client.get(reverse("pulse:forum_results", kwargs={"forum_id": forum.pk}))
    assert response.status_code == 200
    return response.context["summary"]


def test_four_own_accounts_answering_5_no_longer_give_the_members_exact_scores(
    client, forum, member, coordinator
):
    truth = attacked_forum(forum, member)

    # Without the noise the attack works: every score comes out exactly.
    exact = selectors.forum_pulse_summary(forum.pk)
    for result in exact.meetings:
        assert {round(5 * a - 20) for a in result.averages.values()} == {truth[result.day]}

    summary = results(client, coordinator, forum)
    assert summary.noisy
    recovered = wrong = hidden = 0
    for result in summary.meetings:
        if result.averages is None:
            hidden += 1
            continue
        for average in result.averages.values():
            guess = 5 * average - 20  # the attacker's computation
            if abs(guess - truth[result.day]) < 1e-9:
                recovered += 1
            elif round(guess) != truth[result.day]:
                wrong += 1
    trials = (MEETINGS - hidden) * len(PULSE_QUESTION_NAMES)
    # With exactly k answers about half the meetings are shown: the protection is not
    # just hiding them.
    assert MEETINGS - hidden >= MEETINGS // 3
    assert recovered <= trials // 5  # an exact hit is a coincidence of the noise
    assert wrong >= trials // 2  # and most of the attacker's roundings are wrong


def test_the_answer_count_does_not_tell_whether_the_member_answered(
    client, forum, member, coordinator
):
    truth = attacked_forum(forum, member, answering=lambda number: number % 2 == 0)

    summary = results(client, coordinator, forum)

    by_answering = {True: [], False: []}
    for result in summary.meetings:
        by_answering[truth[result.day] is not None].append(result.answers)
    # The true count is 5 or 4; what is shown (or hidden) does not follow from it.
    assert any(answers not in (4, 5) for answers in by_answering[True] + by_answering[False])
    assert len(set(by_answering[True])) > 1


def test_the_noise_is_the_same_on_every_view_so_it_cannot_be_averaged_away(
    client, forum, member, coordinator
):
    attacked_forum(forum, member)
    first = results(client, coordinator, forum)
    again = results(client, coordinator, forum)
    assert [(r.day, r.answers, r.averages) for r in first.meetings] == [
        (r.day, r.answers, r.averages) for r in again.meetings
    ]


def test_the_noise_is_laplace_with_the_documented_scale_and_keyed_by_the_secret(settings):
    draws = [selectors.laplace(f"seed{n}", "stream", 2.0) for n in range(4000)]
    assert abs(statistics.fmean(draws)) < 0.15
    assert statistics.fmean(abs(d) for d in draws) == pytest.approx(2.0, rel=0.07)
    assert selectors.laplace("s", "q", 2.0) == selectors.laplace("s", "q", 2.0)
    before = selectors.laplace("s", "q", 2.0)
    settings.SECRET_KEY = "another-secret-key-" * 4
    assert selectors.laplace("s", "q", 2.0) != before


def test_one_answer_changes_what_is_released_by_a_bounded_factor():
    """The differential privacy bound behind the noise: for any released value, its
    likelihood changes by at most e^(difference / scale) when one answer changes."""
    scale = selectors.SUM_NOISE

    def density(value, centre):
        return math.exp(-abs(value - centre) / scale) / (2 * scale)

    for released in (-6.0, -1.3, 0.0, 2.2, 9.0):
        for low, high in ((1, 5), (1, 2), (3, 4)):
            ratio = density(released, high - 3) / density(released, low - 3)
            assert ratio <= math.exp((high - low) / scale) + 1e-12
