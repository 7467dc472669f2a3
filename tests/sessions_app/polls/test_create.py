"""Opening a poll: the form's messages (in Finnish, in the product's own words), nothing
typed lost on an error, and the members told in the same transaction."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import OutboxMessage, SchedulingPoll
from sessions_app.polls import services
from tests.factories import UserFactory

from .conftest import join, proposed

pytestmark = pytest.mark.django_db


def form_data(times, *, title="Kevään tapaaminen", deadline=None, **extra) -> dict:
    data = {
        "title": title,
        "place": "SAMK, Pori",
        "online_url": "",
        "deadline_day": "",
        "deadline_time": "",
        "slot-TOTAL_FORMS": "6",
        "slot-INITIAL_FORMS": "0",
        "slot-MIN_NUM_FORMS": "0",
        "slot-MAX_NUM_FORMS": "6",
    }
    if deadline is not None:
        local = timezone.localtime(deadline)
        data.update(deadline_day=local.date().isoformat(), deadline_time=f"{local:%H:%M}")
    for i, time in enumerate(times):
        starts, ends = timezone.localtime(time.starts_at), timezone.localtime(time.ends_at)
        data.update({
            f"slot-{i}-day": starts.date().isoformat(),
            f"slot-{i}-start": f"{starts:%H:%M}",
            f"slot-{i}-end": f"{ends:%H:%M}",
        })  # fmt: skip
    data.update(extra)
    return data


def post(client, forum, data):
    return client.post(reverse("meetings:poll_create", kwargs={"forum_id": forum.pk}), data)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_one_time_gets_the_products_own_message_in_finnish(coordinator_client, forum):
    response = post(coordinator_client, forum, form_data(proposed(1)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ehdota vähintään kaksi aikaa." in page
    assert "lomake" not in page.lower()  # Django's "Lähetä vähintään 2 lomaketta"
    assert 'role="alert"' in page
    assert not SchedulingPoll.objects.exists()


def test_a_tampered_seventh_time_gets_the_products_own_message(coordinator_client, forum):
    data = form_data(proposed(7), **{"slot-TOTAL_FORMS": "7"})
    page = post(coordinator_client, forum, data).content.decode()
    assert "Ehdota enintään kuusi aikaa." in page
    assert not SchedulingPoll.objects.exists()


def test_nothing_typed_is_lost_on_an_error(coordinator_client, forum):
    times = proposed(1)
    data = form_data(times, title="Syksyn tapaaminen", deadline=times[0].starts_at)
    data["deadline_time"] = ""  # a date without a time
    page = post(coordinator_client, forum, data).content.decode()
    assert "Anna myös kellonaika." in page
    assert 'value="Syksyn tapaaminen"' in page
    assert 'value="SAMK, Pori"' in page
    assert f'value="{data["slot-0-day"]}"' in page
    assert 'value="13:00"' in page and 'value="16:00"' in page
    assert f'value="{data["deadline_day"]}"' in page


def test_a_deadline_in_the_past_is_refused_in_finnish(coordinator_client, forum):
    data = form_data(proposed(2), deadline=timezone.now() - timedelta(hours=2))
    page = post(coordinator_client, forum, data).content.decode()
    assert "Vastausajan on päätyttävä tulevaisuudessa." in page
    assert not SchedulingPoll.objects.exists()


def test_a_deadline_after_the_first_time_is_refused_in_finnish(coordinator_client, forum):
    times = proposed(2)
    data = form_data(times, deadline=times[0].starts_at + timedelta(hours=1))
    page = post(coordinator_client, forum, data).content.decode()
    assert "Vastausajan on päätyttävä ennen ensimmäistä ehdotettua aikaa." in page
    assert not SchedulingPoll.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_poll_opens_with_its_deadline_in_helsinki_time(coordinator_client, forum):
    times = proposed(3)
    deadline = (times[0].starts_at - timedelta(days=2)).replace(second=0)
    response = post(coordinator_client, forum, form_data(times, deadline=deadline))
    poll = SchedulingPoll.objects.get()
    assert response.headers["Location"] == reverse("meetings:poll", kwargs={"poll_id": poll.pk})
    assert poll.deadline == deadline
    assert [(s.starts_at, s.ends_at) for s in poll.slots.all()] == [
        (t.starts_at, t.ends_at) for t in times
    ]


def test_the_service_refuses_a_bad_deadline_too(forum, coordinator):
    times = proposed(2)
    for deadline in (timezone.now() - timedelta(minutes=1), times[0].starts_at):
        with pytest.raises(ValidationError):
            services.poll_create(
                forum=forum, actor=coordinator, title="x", slots=times, deadline=deadline
            )
    assert not SchedulingPoll.objects.exists()


# --- Members are told ----------------------------------------------------------------------


def test_opening_tells_every_member_once_and_nobody_else(
    forum, other_forum, coordinator, member, outsider
):
    second = UserFactory(first_name="Mikko")
    join(forum, second)
    ended = UserFactory(first_name="Eero", last_name="Entinen")
    join(forum, ended)
    forum.memberships.filter(user=ended).update(ended_at=timezone.now())
    pending = UserFactory(first_name="Pekka", last_name="Odottaja")
    join(forum, pending, accepted=False)
    closed_account = UserFactory(first_name="Suljettu", is_active=False)
    join(forum, closed_account)

    poll = services.poll_create(forum=forum, actor=coordinator, title="x", slots=proposed(2))

    rows = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.POLL_OPENED)
    assert set(rows.values_list("recipient_email", flat=True)) == {member.email, second.email}
    assert set(rows.values_list("object_id", "occasion", "forum_id")) == {
        (poll.pk, "open", forum.pk)
    }
    assert not OutboxMessage.objects.exclude(kind=OutboxMessage.Kind.POLL_OPENED).exists()


def test_no_email_is_queued_when_the_poll_is_refused(forum, coordinator, member):
    times = proposed(2, days=-1)  # in the past
    with pytest.raises(ValidationError):
        services.poll_create(forum=forum, actor=coordinator, title="x", slots=times)
    assert not OutboxMessage.objects.exists()
