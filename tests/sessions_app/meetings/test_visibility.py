"""Who sees which meetings and forums: the flat queries that pages use
(sessions_app.access.meetings_visible_to, forums.access.forum_for_member) give exactly
what the rule written with forums_for gives, for every kind of person, including the
odd ones (a member who lost the coordinator role but is still listed, an agreement not
yet accepted, a closed account)."""

import pytest
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from forums.access import AgreementPending, forum_for_member, forums_for
from forums.models import Membership
from sessions_app.access import meetings_visible_to
from sessions_app.models import Meeting
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db


def by_the_rule(user) -> set[int]:
    """meetings_visible_to as it was written before it was flattened."""
    accepted = Membership.objects.accepted().filter(user=user).values("forum_id")
    visible = forums_for(user).filter(Q(pk__in=accepted) | Q(coordinators=user))
    return set(Meeting.objects.filter(forum__in=visible.values("pk")).values_list("pk", flat=True))


@pytest.fixture
def world(forum, other_forum, member, coordinator, outsider, hr_viewer):
    pending = UserFactory(first_name="Odottava")
    Membership.objects.create(forum=forum, user=pending, accepted_version=0)
    # Listed among the coordinators but without the role, a member with a pending
    # agreement: forums_for gives the forum, the agreement does not.
    demoted = UserFactory(first_name="Entinen")
    forum.coordinators.add(demoted)
    Membership.objects.create(forum=forum, user=demoted, accepted_version=0)
    listed_only = UserFactory(first_name="Listattu")
    other_forum.coordinators.add(listed_only)
    co_coordinator = UserFactory(first_name="Apu", is_coordinator=True)
    other_forum.coordinators.add(co_coordinator)
    Membership.objects.create(
        forum=forum, user=co_coordinator, accepted_version=forum.agreement_version
    )
    # Left the forum (the ended membership stays) and coordinates the other one: the
    # ended membership gives nothing, in the raw and the filtered-join queries alike.
    left = UserFactory(first_name="Lähtenyt", is_coordinator=True)
    Membership.objects.create(
        forum=forum, user=left, accepted_version=forum.agreement_version, ended_at=timezone.now()
    )
    other_forum.coordinators.add(left)
    closed = UserFactory(first_name="Suljettu", is_active=False)
    Membership.objects.create(forum=forum, user=closed, accepted_version=forum.agreement_version)
    make_meeting(forum)
    make_meeting(other_forum)
    people = [member, coordinator, outsider, hr_viewer, pending, demoted, listed_only,
              co_coordinator, left, closed]  # fmt: skip
    return {"forums": [forum, other_forum], "people": people}


def test_the_flat_meeting_query_gives_what_the_rule_gives(world):
    seen = {}
    for person in world["people"]:
        flat = set(meetings_visible_to(person).values_list("pk", flat=True))
        assert flat == by_the_rule(person), person.first_name
        seen[person.first_name] = len(flat)
    # Not vacuous: some see one forum's meetings, some both, some none.
    assert sorted(set(seen.values())) == [0, 1, 2]


def test_forum_access_in_fewer_queries_gives_what_forums_for_gives(world):
    for person in world["people"]:
        allowed = set(forums_for(person).values_list("pk", flat=True))
        for forum in world["forums"]:
            try:
                access = forum_for_member(person, forum.pk, agreement_page=True)
            except Http404:
                assert forum.pk not in allowed, (person.first_name, forum.name)
                continue
            assert forum.pk in allowed, (person.first_name, forum.name)
            assert access.forum == forum
            assert access.is_coordinator == (
                person.is_coordinator and forum.coordinators.filter(pk=person.pk).exists()
            )
            active = Membership.objects.active().filter(forum=forum, user=person).first()
            assert access.membership == active


def test_a_member_with_a_pending_agreement_is_sent_to_it(world, forum):
    pending = next(p for p in world["people"] if p.first_name == "Odottava")
    with pytest.raises(AgreementPending):
        forum_for_member(pending, forum.pk)


@pytest.mark.parametrize("forum_id", [0, -1, 2**63, 10**30])
def test_an_impossible_forum_id_is_not_found(member, forum_id):
    with pytest.raises(Http404):
        forum_for_member(member, forum_id)
