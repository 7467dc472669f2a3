"""Polls: a forum with a coordinator, Liisa (member) and Mikko (second member); a poll
with three proposed times ten days ahead and a deadline in five days."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from forums.models import Membership
from sessions_app.meetings.scheduling import HELSINKI, Occurrence
from sessions_app.polls import services
from tests.factories import UserFactory


def proposed(n: int, *, days: int = 10) -> list[Occurrence]:
    """`n` three-hour times at 13.00 Helsinki time, a day apart, `days` from today."""
    first = timezone.localdate() + timedelta(days=days)
    return [
        Occurrence(
            datetime.combine(first + timedelta(days=i), time(13)).replace(tzinfo=HELSINKI),
            datetime.combine(first + timedelta(days=i), time(16)).replace(tzinfo=HELSINKI),
        )
        for i in range(n)
    ]


def join(forum, user, *, accepted: bool = True) -> None:
    Membership.objects.create(
        forum=forum, user=user, accepted_version=forum.agreement_version if accepted else 0
    )


@pytest.fixture
def second_member(forum):
    user = UserFactory(first_name="Mikko", last_name="Korhonen")
    join(forum, user)
    return user


@pytest.fixture
def deadline():
    return (timezone.now() + timedelta(days=5)).replace(microsecond=0)


@pytest.fixture
def poll(forum, coordinator, member, second_member, deadline):
    return services.poll_create(
        forum=forum,
        actor=coordinator,
        title="Syksyn tapaaminen",
        slots=proposed(3),
        place="SAMK, Pori",
        deadline=deadline,
    )
