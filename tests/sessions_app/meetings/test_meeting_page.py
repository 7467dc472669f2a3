"""The meeting page: the member's own answer and preparation, the coordinator's view of
every answer with the one reminder, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums.models import Membership
from sessions_app.meetings import meeting_page, services
from sessions_app.models import Meeting, OutboxMessage, Participation
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db


def url(name, meeting):
    return reverse(f"meetings:{name}", kwargs={"meeting_id": meeting.pk})


def join(forum, first_name, last_name, *, accepted=True):
    user = UserFactory(first_name=first_name, last_name=last_name)
    Membership.objects.create(
        forum=forum, user=user, accepted_version=forum.agreement_version if accepted else 0
    )
    return user


@pytest.fixture
def meeting(forum):
    return make_meeting(forum, place="Pori")


@pytest.fixture
def second_member(forum):
    return join(forum, "Mikko", "Korhonen")


# --- The member's own -----------------------------------------------------------------------


def test_a_member_sees_their_own_preparation_and_not_anothers_private_one(
    client, meeting, member, second_member, coordinator
):
    services.preparation_save(
        meeting=meeting, user=member, current_situation="OMA-TILANNE muutos",
        to_bring="OMA-AIHE jaksaminen", shared=False,
    )  # fmt: skip
    services.preparation_save(
        meeting=meeting, user=second_member, current_situation="TOISEN-SALAISUUS",
        to_bring="", shared=False,
    )  # fmt: skip
    client.force_login(member)
    response = client.get(url("detail", meeting))
    page = response.content.decode()
    assert "OMA-TILANNE muutos" in page and "OMA-AIHE jaksaminen" in page
    assert "TOISEN-SALAISUUS" not in page
    assert f'href="{url("preparation", meeting)}"' in page
    assert "Muokkaa valmistautumistani" in page
    assert response.headers["Cache-Control"] == "no-store"
    client.force_login(second_member)
    page = client.get(url("detail", meeting)).content.decode()
    assert "TOISEN-SALAISUUS" in page and "OMA-TILANNE" not in page
    client.force_login(coordinator)
    page = client.get(url("detail", meeting)).content.decode()
    assert "TOISEN-SALAISUUS" not in page and "OMA-TILANNE" not in page


def test_without_a_preparation_the_page_asks_the_member_to_prepare(client, meeting, member):
    client.force_login(member)
    page = client.get(url("detail", meeting)).content.decode()
    assert "Valmistaudu tapaamiseen" in page
    assert "Muokkaa valmistautumistani" not in page


def test_an_answer_returns_to_its_place_on_the_meeting_page(client, meeting, member):
    client.force_login(member)
    response = client.post(url("rsvp", meeting), {"rsvp": "maybe", "absence_note": "Ehkä"})
    assert response.status_code == 302
    assert response.headers["Location"] == url("detail", meeting) + "#rsvp"
    page = client.get(response.headers["Location"]).content.decode()
    assert "Vastauksesi tallennettiin." in page
    assert "Vastauksesi:" in page and "<strong>Ehkä</strong>" in page


def test_an_answer_with_an_error_keeps_everything_typed(client, meeting, member):
    client.force_login(member)
    response = client.post(url("rsvp", meeting), {"absence_note": "KIRJOITETTU viesti"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "KIRJOITETTU viesti" in page
    assert response.context["rsvp_form"].errors == {"rsvp": ["Valitse, tuletko."]}
    assert not Participation.objects.filter(user=member).exists()


def test_an_answer_too_late_is_refused_with_the_text_kept(client, forum, member):
    started = make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(member)
    response = client.post(url("rsvp", started), {"rsvp": "no", "absence_note": "MYÖHÄSSÄ"})
    assert response.status_code == 400
    assert "Tapaamiseen ei voi enää vastata." in response.content.decode()
    assert not Participation.objects.filter(user=member).exists()


def test_a_member_sees_the_others_shared_preparations_and_their_own_once(
    client, meeting, member, second_member, forum
):
    third = join(forum, "Outi", "Aalto")
    for user, text, shared in (
        (member, "OMA-JAETTU", True),
        (second_member, "MIKON-JAETTU", True),
        (third, "OUTIN-YKSITYINEN", False),
    ):
        services.preparation_save(
            meeting=meeting, user=user, current_situation=text, to_bring="", shared=shared
        )
    client.force_login(member)
    response = client.get(url("detail", meeting))
    assert response.context["my_preparation"].current_situation == "OMA-JAETTU"
    assert [(p.name, p.current_situation) for p in response.context["shared_preparations"]] == [
        ("Mikko Korhonen", "MIKON-JAETTU")
    ]
    page = response.content.decode()
    assert page.count("OMA-JAETTU") == 1 and "OUTIN-YKSITYINEN" not in page


def test_once_the_meeting_has_started_the_own_note_is_not_read(client, forum, member):
    started = make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=5))
    Participation.objects.create(
        meeting=started, user=member, rsvp="no", absence_note="MUUTA-ASIAA"
    )
    client.force_login(member)
    response = client.get(url("detail", started))
    # The answer is shown; the note (only ever shown in the form) is not even decrypted.
    assert response.context["own_answer"] == meeting_page.OwnAnswer(rsvp="no", note="")
    page = response.content.decode()
    assert "<p>En tule</p>" in page and "MUUTA-ASIAA" not in page


def test_once_held_members_and_coordinators_see_who_attended(
    client, forum, member, second_member, coordinator
):
    held = make_meeting(forum, starts_at=timezone.now() - timedelta(days=2))
    left = join(forum, "Lasse", "Lähtenyt")
    for user, rsvp, attended in (
        (member, "no", True), (second_member, "yes", False), (left, "yes", True)
    ):  # fmt: skip
        Participation.objects.create(meeting=held, user=user, rsvp=rsvp, attended=attended)
    Membership.objects.filter(user=left).update(ended_at=timezone.now())
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    for persona in (member, coordinator):
        client.force_login(persona)
        response = client.get(url("detail", held))
        assert response.context["coming"] == ["Liisa Virtanen"], persona
        assert "Ketkä osallistuivat" in response.content.decode()


def test_a_coordinator_who_is_also_a_member_answers_and_sees_every_answer(
    client, meeting, coordinator, second_member, forum
):
    Membership.objects.create(
        forum=forum, user=coordinator, accepted_version=forum.agreement_version
    )
    services.rsvp_set(meeting=meeting, user=coordinator, rsvp="maybe", absence_note="OMA-VIESTI")
    services.rsvp_set(meeting=meeting, user=second_member, rsvp="no", absence_note="MIKON-VIESTI")
    client.force_login(coordinator)
    response = client.get(url("detail", meeting))
    assert response.context["own_answer"] == meeting_page.OwnAnswer("maybe", "OMA-VIESTI")
    assert response.context["coming"] is None  # the answers below say it
    groups = {g.rsvp: [a.name for a in g.people] for g in response.context["answers"].groups}
    assert groups == {
        "yes": [], "maybe": ["Kirsi Ojala"], "no": ["Mikko Korhonen"], "": ["Liisa Virtanen"]
    }  # fmt: skip
    page = response.content.decode()
    assert "Vastauksesi:" in page and 'value="maybe" required id="id_rsvp_1" checked' in page
    assert "MIKON-VIESTI" in page and page.count("OMA-VIESTI") == 2  # the form and the list


def test_names_and_notes_in_the_answers_are_escaped(client, meeting, coordinator, forum):
    person = join(forum, "<b>Iso</b>", "Kirjain")
    services.rsvp_set(meeting=meeting, user=person, rsvp="no", absence_note="<script>x</script>")
    client.force_login(coordinator)
    page = client.get(url("detail", meeting)).content.decode()
    assert "&lt;b&gt;Iso&lt;/b&gt; Kirjain" in page and "<b>Iso</b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page


# --- The coordinator's view -----------------------------------------------------------------


@pytest.fixture
def answered(meeting, member, second_member, forum):
    """Liisa comes, Mikko declines with a note, Outi has not answered, Pekka (agreement
    pending) has not answered, Lasse answered and then left the forum."""
    services.rsvp_set(meeting=meeting, user=member, rsvp="yes")
    services.rsvp_set(meeting=meeting, user=second_member, rsvp="no", absence_note="POISSAOLON-SYY")
    silent = join(forum, "Outi", "Hiljainen")
    pending = join(forum, "Pekka", "Odottaja", accepted=False)
    left = join(forum, "Lasse", "Lähtenyt")
    services.rsvp_set(meeting=meeting, user=left, rsvp="maybe")
    Membership.objects.filter(user=left).update(ended_at=timezone.now())
    return {"silent": silent, "pending": pending, "left": left}


def test_a_coordinator_sees_every_active_members_answer_including_not_answered(
    client, meeting, coordinator, answered
):
    client.force_login(coordinator)
    response = client.get(url("detail", meeting))
    groups = {
        group.rsvp: [(a.name, a.note) for a in group.people]
        for group in response.context["answers"].groups
    }
    assert groups == {
        "yes": [("Liisa Virtanen", "")],
        "maybe": [],
        "no": [("Mikko Korhonen", "POISSAOLON-SYY")],
        "": [("Outi Hiljainen", ""), ("Pekka Odottaja", "")],
    }
    page = response.content.decode()
    assert "Ei vastausta (2)" in page and "POISSAOLON-SYY" in page
    assert "Lähtenyt" not in page
    # Pekka has not accepted the agreement: the reminder would go to Outi only.
    assert "Lähetä muistutus 1 jäsenelle, joka ei ole vastannut" in page


def test_members_never_see_the_answers_or_the_reminder_button(client, meeting, member, answered):
    client.force_login(member)
    response = client.get(url("detail", meeting))
    page = response.content.decode()
    assert "answers" not in response.context
    assert "POISSAOLON-SYY" not in page and url("nudge", meeting) not in page


def test_the_coordinator_sends_the_reminder_once_and_the_page_says_so(
    client, meeting, coordinator, answered
):
    client.force_login(coordinator)
    response = client.post(url("nudge", meeting))
    assert response.headers["Location"] == url("detail", meeting) + "#answers"
    assert set(
        OutboxMessage.objects.filter(kind="meeting_nudge").values_list("recipient_id", flat=True)
    ) == {answered["silent"].pk}
    page = client.get(url("detail", meeting)).content.decode()
    day = timezone.localdate(Meeting.objects.get(pk=meeting.pk).nudged_at)
    assert f"Muistutus lähetettiin {day.day}.{day.month}.{day.year} 1 jäsenelle." in page
    assert url("nudge", meeting) not in page
    client.post(url("nudge", meeting))
    assert OutboxMessage.objects.filter(kind="meeting_nudge").count() == 1


def test_the_reminder_is_post_only_and_for_coordinators(
    client, meeting, member, coordinator, answered
):
    client.force_login(member)
    assert client.post(url("nudge", meeting)).status_code == 403
    client.force_login(coordinator)
    assert client.get(url("nudge", meeting)).status_code == 405
    assert not OutboxMessage.objects.filter(kind="meeting_nudge").exists()


def test_no_reminder_button_for_a_past_or_cancelled_meeting(client, forum, coordinator, member):
    past = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=1))
    cancelled = make_meeting(forum, status=Meeting.Status.CANCELLED)
    client.force_login(coordinator)
    for meeting in (past, cancelled):
        page = client.get(url("detail", meeting)).content.decode()
        assert url("nudge", meeting) not in page


# --- Queries ----------------------------------------------------------------------------------


def page_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_meeting_page_runs_a_fixed_number_of_queries(client, forum, member, coordinator):
    meeting = make_meeting(forum)
    path = url("detail", meeting)
    small = {}
    for persona in (member, coordinator):
        client.force_login(persona)
        small[persona.pk] = page_queries(client, path)
    services.preparation_save(
        meeting=meeting, user=member, current_situation="Oma", to_bring="", shared=False
    )
    for number in range(15):
        user = join(forum, "Jäsen", f"Numero{number}")
        if number % 3:
            services.rsvp_set(
                meeting=meeting, user=user, rsvp="no" if number % 2 else "yes",
                absence_note="Lomalla",
            )  # fmt: skip
        services.preparation_save(
            meeting=meeting, user=user, current_situation="Jaettu", to_bring="", shared=True
        )
    for persona in (member, coordinator):
        client.force_login(persona)
        assert page_queries(client, path) == small[persona.pk], persona
    # Session and user; access: the meeting, the membership or coordination with its
    # forum; then one statement for the answers (a member: their own and who is coming;
    # a coordinator: every active member's) and the preparations (own and shared).
    assert small == {member.pk: 2 + 2, coordinator.pk: 2 + 2}
    # After the reminder, one more query tells the coordinator how many got it.
    services.meeting_nudge(meeting=meeting, actor=coordinator)
    assert page_queries(client, path) == small[coordinator.pk] + 1


# --- Language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "For a series: how many meetings, at most 24."),
        ("sv", "För en serie: hur många möten, högst 24."),
        ("fi", "Sarjalle: kuinka monta tapaamista, enintään 24."),
    ],
)
def test_the_schedule_form_speaks_the_pages_language(
    client, forum, coordinator, language, expected
):
    from sessions_app.meetings.scheduling import MAX_OCCURRENCES

    expected = expected.replace("24", str(MAX_OCCURRENCES))
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    html = client.get(reverse("meetings:schedule", kwargs={"forum_id": forum.pk})).content.decode()
    assert expected in html
    for other in ("Sarjalle:", "För en serie:", "For a series:"):
        if other not in expected:
            assert other not in html
