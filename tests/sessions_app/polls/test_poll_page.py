"""The poll page: members answer (and come back to their place), coordinators see every
member, answered or not, the counts and the best time, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import PollAnswer
from sessions_app.polls import selectors, services
from sessions_app.polls.selectors import SlotSummary, best_slot
from tests.factories import UserFactory

from .conftest import join, proposed

pytestmark = pytest.mark.django_db


def url(poll) -> str:
    return reverse("meetings:poll", kwargs={"poll_id": poll.pk})


def answer(poll, user, *answers):
    services.poll_answer(
        poll=poll,
        user=user,
        answers=dict(zip([s.pk for s in poll.slots.all()], answers, strict=True)),
    )


# --- Member side ---------------------------------------------------------------------------


def test_saving_answers_returns_to_the_answer_form_with_a_message(client, poll, member):
    first, second, third = poll.slots.all()
    client.force_login(member)
    response = client.post(
        url(poll),
        {f"slot_{first.pk}": "yes", f"slot_{second.pk}": "if_needed", f"slot_{third.pk}": "no"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url(poll)}#my-answers"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Vastauksesi tallennettiin."]
    assert dict(PollAnswer.objects.filter(user=member).values_list("slot_id", "answer")) == {
        first.pk: "yes",
        second.pk: "if_needed",
        third.pk: "no",
    }
    page = client.get(url(poll)).content.decode()
    assert 'id="my-answers"' in page
    assert "Olet vastannut." in page


def test_a_missing_answer_keeps_the_other_answers_and_says_what_is_missing(client, poll, member):
    first, second, _third = poll.slots.all()
    client.force_login(member)
    response = client.post(url(poll), {f"slot_{first.pk}": "yes", f"slot_{second.pk}": "no"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valitse vastaus tälle ajalle." in page
    assert f'value="yes" required id="id_slot_{first.pk}_0" checked' in page
    assert not PollAnswer.objects.exists()


def test_the_member_sees_the_deadline(client, poll, member, deadline):
    client.force_login(member)
    page = client.get(url(poll)).content.decode()
    assert "Vastaa viimeistään" in page
    assert f"{timezone.localtime(deadline):%H.%M}" in page


def test_a_closed_poll_links_to_its_meeting_and_refuses_late_answers(
    client, poll, member, coordinator
):
    slot = poll.slots.first()
    meeting = services.poll_pick(poll=poll, slot=slot, actor=coordinator)
    client.force_login(member)
    page = client.get(url(poll)).content.decode()
    assert reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}) in page
    assert "Kysely on suljettu." in page
    assert "Tallenna vastaukseni" not in page
    response = client.post(url(poll), {f"slot_{slot.pk}": "no"})
    assert response.headers["Location"] == url(poll)
    assert not PollAnswer.objects.exists()


def test_members_do_not_see_others_answers_or_who_has_not_answered(
    client, poll, member, second_member
):
    answer(poll, second_member, "yes", "yes", "no")
    client.force_login(member)
    response = client.get(url(poll))
    assert "results" not in response.context
    assert "Korhonen" not in response.content.decode()


# --- Coordinator side ----------------------------------------------------------------------


def test_the_grid_lists_every_member_and_counts_who_has_not_answered(
    client, forum, poll, coordinator, member, second_member
):
    third = UserFactory(first_name="Anna", last_name="Aalto")
    join(forum, third)
    left = UserFactory(first_name="Eero", last_name="Entinen")
    join(forum, left)
    answer(poll, member, "yes", "if_needed", "no")
    answer(poll, left, "no", "no", "yes")
    forum.memberships.filter(user=left).update(ended_at=timezone.now())

    client.force_login(coordinator)
    response = client.get(url(poll))
    results = response.context["results"]
    assert [(p.first_name, row) for p, row in results.rows] == [
        ("Anna", ["", "", ""]),
        ("Mikko", ["", "", ""]),
        ("Liisa", ["yes", "if_needed", "no"]),
    ]
    assert [p.first_name for p in results.not_answered] == ["Anna", "Mikko"]
    assert [(s.yes, s.if_needed, s.no, s.not_answered) for s in results.slots] == [
        (1, 0, 0, 2),
        (0, 1, 0, 2),
        (0, 0, 1, 2),
    ]
    page = response.content.decode()
    assert "3 jäsenestä 2 ei ole vielä vastannut:" in page
    assert "Anna Aalto, Mikko Korhonen" in page
    assert "Ei vastannut" in page
    assert "Entinen" not in page
    assert 'tabindex="0" role="region" aria-labelledby="grid-heading"' in page


def test_the_best_time_is_highlighted_with_a_text_label(
    client, poll, coordinator, member, second_member
):
    answer(poll, member, "if_needed", "yes", "no")
    answer(poll, second_member, "no", "yes", "yes")
    client.force_login(coordinator)
    response = client.get(url(poll))
    best = response.context["results"].best
    assert best.slot == poll.slots.all()[1]
    assert [s.is_best for s in response.context["results"].slots] == [False, True, False]
    page = response.content.decode()
    assert "Paras aika" in page
    pick = reverse("meetings:poll_pick", kwargs={"poll_id": poll.pk, "slot_id": best.slot.pk})
    assert f'href="{pick}">Valitse paras aika' in page


def summary(day: int, yes: int, if_needed: int):
    slot = type("Slot", (), {"starts_at": timezone.now() + timedelta(days=day)})()
    return SlotSummary(slot, yes=yes, if_needed=if_needed)


def test_best_slot_ties_go_to_yes_plus_if_needed_then_the_earliest():
    assert best_slot([summary(1, 2, 0), summary(2, 3, 0)]).slot.starts_at.day == (
        (timezone.now() + timedelta(days=2)).day
    )
    later_but_more_can_come = summary(3, 2, 2)
    assert best_slot([summary(1, 2, 1), later_but_more_can_come]) is later_but_more_can_come
    earliest = summary(1, 2, 1)
    assert best_slot([summary(4, 2, 1), earliest, summary(2, 2, 1)]) is earliest
    assert best_slot([summary(1, 0, 0), summary(2, 0, 0)]) is None


def page_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["coordinator", "member", "pick"])
def test_the_poll_pages_run_a_fixed_number_of_queries(client, forum, coordinator, member, persona):
    from .conftest import proposed

    def queries_with(people: int) -> int:
        others = [UserFactory() for _ in range(people - 1)]
        for user in others:
            join(forum, user)
        poll = services.poll_create(
            forum=forum, actor=coordinator, title=f"Kysely {people}", slots=proposed(3)
        )
        for user in [member, *others][: people // 2 + 1]:
            answer(poll, user, "yes", "if_needed", "no")
        client.force_login(member if persona == "member" else coordinator)
        if persona == "pick":
            slot = poll.slots.first()
            kwargs = {"poll_id": poll.pk, "slot_id": slot.pk}
            return page_queries(client, reverse("meetings:poll_pick", kwargs=kwargs))
        return page_queries(client, url(poll))

    small = queries_with(2)
    forum.memberships.exclude(user=member).delete()
    PollAnswer.objects.all().delete()
    assert queries_with(12) == small
    assert forum.memberships.count() == 12


def test_poll_results_runs_three_queries(poll, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.poll_results(poll)


def test_the_coordinators_pages_read_in_swedish(client, poll, coordinator, member):
    coordinator.language = "sv"
    coordinator.save(update_fields=["language"])
    answer(poll, member, "yes", "no", "no")
    client.force_login(coordinator)
    page = client.get(url(poll)).content.decode()
    assert "1 av 2 har inte svarat ännu:" in page
    assert "Bästa tiden" in page and "Vem svarade vad" in page
    slot = poll.slots.first()
    pick = reverse("meetings:poll_pick", kwargs={"poll_id": poll.pk, "slot_id": slot.pk})
    page = client.get(pick).content.decode()
    assert "1 medlem svarade ja och markeras som kommer" in page
    assert "Planera in mötet" in page


def test_forum_page_links_its_open_polls_newest_first_and_no_closed_one(
    client, forum, coordinator, member, poll
):
    newer = services.poll_create(
        forum=forum, actor=coordinator, title="Kevään <tapaaminen>", slots=proposed(2)
    )
    closed = services.poll_create(
        forum=forum, actor=coordinator, title="Suljettu kysely", slots=proposed(2)
    )
    closed.closed_at = timezone.now()
    closed.save(update_fields=["closed_at"])
    client.force_login(member)
    page = client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk})).content.decode()
    links = [
        f'<p class="card attention"><a href="{url(one)}">{title}</a>'
        " — aikaa etsitään: anna vastauksesi</p>"
        for one, title in ((newer, "Kevään &lt;tapaaminen&gt;"), (poll, "Syksyn tapaaminen"))
    ]
    assert links[0] in page and links[1] in page
    assert page.index(links[0]) < page.index(links[1])
    assert "Suljettu kysely" not in page
