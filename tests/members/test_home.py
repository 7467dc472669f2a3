"""The member's home leads: the next meeting with my answer and preparation first, then
the time polls waiting for me, then the rest; in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from forums import services as forum_services
from sessions_app.meetings import services
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import Meeting, PollAnswer
from sessions_app.polls import services as polls
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_forum,
    make_invitation,
    make_meeting,
)

pytestmark = pytest.mark.django_db


def open_poll(forum, coordinator, title):
    start = timezone.now() + timedelta(days=20)
    return polls.poll_create(
        forum=forum,
        actor=coordinator,
        title=title,
        slots=[
            Occurrence(start, start + timedelta(hours=2)),
            Occurrence(start + timedelta(days=1), start + timedelta(days=1, hours=2)),
        ],
    )


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_the_home_leads_with_the_next_meeting_and_the_buttons_to_answer(client, forum, member):
    later = make_meeting(forum, starts_at=timezone.now() + timedelta(days=30), theme="Myöhempi")
    soon = make_meeting(forum, starts_at=timezone.now() + timedelta(days=2), theme="Rajat")
    cancelled = make_meeting(
        forum, starts_at=timezone.now() + timedelta(days=1), status=Meeting.Status.CANCELLED
    )
    client.force_login(member)
    response = home(client)
    assert response.context["next_meeting"].pk == soon.pk
    # The list below goes on from there.
    assert [row.pk for row in response.context["upcoming"]] == [cancelled.pk, later.pk]
    page = response.content.decode()
    assert page.index("Seuraava tapaamisesi") < page.index("Muut tulevat tapaamiset")
    assert f'action="{reverse("meetings:rsvp", kwargs={"meeting_id": soon.pk})}"' in page
    for value in ("yes", "maybe", "no"):
        assert f'name="rsvp" value="{value}"' in page
    assert "Valmistaudu tapaamiseen" in page


def test_after_answering_and_preparing_the_home_says_so(client, forum, member):
    meeting = make_meeting(forum)
    client.force_login(member)
    response = client.post(
        reverse("meetings:rsvp", kwargs={"meeting_id": meeting.pk}), {"rsvp": "yes"}
    )
    assert response.headers["Location"].endswith("#rsvp")
    services.preparation_save(
        meeting=meeting, user=member, current_situation="SALAINEN", to_bring="", shared=False
    )
    page = home(client).content.decode()
    assert "Vastauksesi:" in page and "<strong>Tulen</strong>" in page
    assert 'name="rsvp"' not in page
    assert "Valmistautumisesi on tallennettu." in page
    # That it is saved, never what it says.
    assert "SALAINEN" not in page


def test_polls_waiting_for_me_are_listed_until_i_answer(client, forum, coordinator, member):
    waiting = open_poll(forum, coordinator, "Kevään tapaaminen")
    answered = open_poll(forum, coordinator, "Jo vastattu")
    PollAnswer.objects.create(slot=answered.slots.first(), user=member, answer="yes")
    client.force_login(member)
    response = home(client)
    assert [poll["pk"] for poll in response.context["waiting_polls"]] == [waiting.pk]
    page = response.content.decode()
    assert reverse("meetings:poll", kwargs={"poll_id": waiting.pk}) in page
    assert "Jo vastattu" not in page


def test_no_next_meeting_from_a_forum_whose_agreement_is_not_accepted(
    client, forum, coordinator, member
):
    make_meeting(forum)
    forum_services.agreement_publish(forum=forum, actor=coordinator, text="Uusi versio")
    client.force_login(member)
    response = home(client)
    assert response.context["next_meeting"] is None
    assert "Seuraava tapaamisesi" not in response.content.decode()


def test_the_coordinator_dashboard_gets_the_to_do_list(client, forum, coordinator):
    client.force_login(coordinator)
    assert "todo" in home(client).context


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        home(client)
    return len(captured)


def test_the_member_home_runs_a_fixed_number_of_queries(client, forum, coordinator, member):
    make_meeting(forum)
    open_poll(forum, coordinator, "Yksi")
    client.force_login(member)
    small = queries(client)
    for number in range(4):
        other = make_forum(
            coordinator=coordinator, members=[member, UserFactory()], name=f"F{number}"
        )
        for day in range(3):
            meeting = make_meeting(other, starts_at=timezone.now() + timedelta(days=3 + day))
            services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note="Loma")
        open_poll(other, coordinator, f"Kysely {number}")
    assert queries(client) == small
    # Session and user; memberships, invitations, upcoming; next meeting, waiting polls.
    assert small == 2 + 5


# --- What the home pages count and list (read with hand-written statements) ---------------


def test_my_forums_count_active_members_and_flag_a_pending_agreement(
    client, forum, coordinator, member
):
    left = UserFactory()
    forum.memberships.create(user=left, ended_at=timezone.now())  # left: not counted
    pending = make_forum(coordinator=coordinator, members=[member, UserFactory()], name="B")
    forum_services.agreement_publish(forum=pending, actor=coordinator, text="Uusi versio")
    make_forum(coordinator=coordinator, members=[UserFactory()], name="Muiden")  # not mine
    client.force_login(member)
    forums = home(client).context["memberships"]
    assert [(f.name, f.member_count, f.needs_agreement) for f in forums] == [
        ("B", 2, True),
        ("Foorumi A", 1, False),
    ]
    assert forums[0].url == reverse("forums:detail", kwargs={"forum_id": pending.pk})
    assert [m.forum_id for m in home(client).context["agreements_due"]] == [pending.pk]


def test_only_open_invitations_to_my_address_in_any_case_need_my_attention(
    client, coordinator, other_forum
):
    invited = UserFactory(email="kutsuttu@example.fi")
    forum = make_forum(coordinator=coordinator, name="Kutsuva")
    _invitation, token = make_invitation(forum, "Kutsuttu@Example.FI")
    make_invitation(other_forum, "kutsuttu@example.fi", expires_at=timezone.now() - timedelta(1))
    make_invitation(other_forum, "joku.muu@example.fi")
    client.force_login(invited)
    response = home(client)
    assert response.context["invitations"] == [("Kutsuva", token)]
    assert reverse("invitation", kwargs={"token": token}) in response.content.decode()


def test_the_dashboard_cards_count_members_invitations_and_show_the_next_meeting(
    client, coordinator, member
):
    organisations = [OrganisationFactory(name="Beeta Oy"), OrganisationFactory(name="Alfa Oy")]
    forum = make_forum(
        coordinator=coordinator, members=[member], name="Kortti", organisations=organisations
    )
    forum.memberships.create(user=UserFactory(), accepted_version=0)  # has not accepted
    forum.memberships.create(user=UserFactory(), ended_at=timezone.now())  # left
    make_invitation(forum, "auki@example.fi")
    make_invitation(forum, "vanha@example.fi", expires_at=timezone.now() - timedelta(days=1))
    make_invitation(forum, "peruttu@example.fi", revoked_at=timezone.now())
    soon = timezone.now() + timedelta(days=3)
    make_meeting(forum, starts_at=soon - timedelta(days=1), status=Meeting.Status.CANCELLED)
    make_meeting(forum, starts_at=soon)
    make_meeting(forum, starts_at=soon + timedelta(days=7))
    make_forum(coordinator=UserFactory(is_coordinator=True), name="Ei minun")
    client.force_login(coordinator)
    [card] = home(client).context["forums"]
    assert (card.name, card.organisations, card.member_count, card.pending_invitations) == (
        "Kortti", "Alfa Oy, Beeta Oy", 2, 1,
    )  # fmt: skip
    assert card.accepted == "1/2 (versio 1)"
    assert card.next_meeting == date_format(timezone.localtime(soon), "D j.n.Y H.i")
    assert card.invitations_url == reverse("forums:invitations", kwargs={"forum_id": forum.pk})


def test_a_forum_without_a_scheduled_meeting_says_so_on_its_card(client, coordinator):
    make_forum(coordinator=coordinator, organisations=[], name="Hiljainen")
    client.force_login(coordinator)
    response = home(client)
    [card] = response.context["forums"]
    assert (card.organisations, card.next_meeting) == ("", "")
    assert "Ei sovittu" in response.content.decode()
