"""Session notes: the personal-data review on the server, who may read and write, the
read log and the private-page headers."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import services as forum_services
from forums.models import Membership
from sessions_app.models import Meeting, NoteRead, SessionNote
from sessions_app.notes import services as notes
from tests.factories import UserFactory, make_held_meeting, make_meeting

pytestmark = pytest.mark.django_db

CANARY = "kanarialintu7f3a9c"
CLEAN_TEXT = f"Teema: muutoksen johtaminen. Sovimme kokeilevamme viikkopalaveria. {CANARY}"
DIRTY_TEXT = "Liisalle soitettiin numeroon 040 123 4567 ja asia ratkesi."


@pytest.fixture
def held_meeting(forum, member):
    return make_held_meeting(forum, attendees=[member])


@pytest.fixture
def note_taker(forum):
    user = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=user)
    forum_services.agreement_accept(forum=forum, user=user)
    return user


@pytest.fixture
def note(held_meeting, coordinator):
    return notes.note_save(
        meeting=held_meeting, author=coordinator, text=CLEAN_TEXT, dismissed=frozenset()
    )


def read_url(meeting):
    return reverse("notes:meeting_notes", kwargs={"meeting_id": meeting.pk})


def edit_url(meeting):
    return reverse("notes:meeting_notes_edit", kwargs={"meeting_id": meeting.pk})


def post_editor(client, meeting, text, *, dismissed=(), **fields):
    return client.post(edit_url(meeting), {"text": text, "dismissed": list(dismissed), **fields})


def editor_text(response) -> str:
    return response.context["form"]["text"].value()


def open_kinds(response) -> list[tuple[str, str]]:
    return [(i["finding"].kind, i["finding"].text) for i in response.context["open_findings"]]


def stored_body(meeting) -> str:
    return notes.note_content(SessionNote.objects.get(meeting=meeting)).body


# --------------------------------------------------------------------------- the review


def test_check_shows_each_finding_highlighted(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, DIRTY_TEXT, action="check")
    assert response.status_code == 200
    assert open_kinds(response) == [("member", "Liisalle"), ("phone", "040 123 4567")]
    html = response.content.decode()
    assert (
        '<mark class="finding finding-member" id="finding-1" data-number="1">Liisalle</mark>'
        in html
    )
    assert 'id="finding-2" data-number="2">040 123 4567</mark>' in html
    assert SessionNote.objects.count() == 0


def test_server_refuses_to_save_with_unresolved_findings_and_keeps_the_text(
    client, coordinator, held_meeting
):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, DIRTY_TEXT, action="save")
    assert response.status_code == 200
    assert SessionNote.objects.count() == 0
    assert editor_text(response) == DIRTY_TEXT
    assert response.context["notice"][0] == "refused"
    assert 'id="note-notice"' in response.content.decode()
    assert open_kinds(response) == [("member", "Liisalle"), ("phone", "040 123 4567")]


def test_service_refuses_unresolved_findings_whoever_calls_it(coordinator, held_meeting):
    with pytest.raises(notes.UnresolvedFindings) as refusal:
        notes.note_save(
            meeting=held_meeting, author=coordinator, text=DIRTY_TEXT, dismissed=frozenset()
        )
    assert [f.kind for f in refusal.value.findings] == ["member", "phone"]
    assert SessionNote.objects.count() == 0


def test_replace_puts_the_placeholder_in_place_of_one_finding(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, DIRTY_TEXT, replace="member:0:Liisalle")
    assert editor_text(response) == ("[jäsen] soitettiin numeroon 040 123 4567 ja asia ratkesi.")
    assert open_kinds(response) == [("phone", "040 123 4567")]
    assert SessionNote.objects.count() == 0


def test_replace_finds_the_finding_even_after_the_text_moved(client, coordinator, held_meeting):
    client.force_login(coordinator)
    moved = "Aluksi: " + DIRTY_TEXT  # offsets from the last check are now 8 characters off
    response = post_editor(client, held_meeting, moved, replace="phone:29:040 123 4567")
    assert (
        editor_text(response) == "Aluksi: Liisalle soitettiin numeroon [puhelin] ja asia ratkesi."
    )


def test_replace_of_a_finding_no_longer_in_the_text_changes_nothing(
    client, coordinator, held_meeting
):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, "Ei nimiä.", replace="member:0:Liisalle")
    assert editor_text(response) == "Ei nimiä."
    assert response.context["notice"][0] == "info"


def test_replace_all_redacts_every_unresolved_finding(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, DIRTY_TEXT, action="replace_all")
    assert editor_text(response) == "[jäsen] soitettiin numeroon [puhelin] ja asia ratkesi."
    assert open_kinds(response) == []


def test_dismissed_finding_is_kept_and_the_notes_save(client, coordinator, held_meeting):
    client.force_login(coordinator)
    text = "Liisalle soitettiin ja asia ratkesi."
    response = post_editor(client, held_meeting, text, dismiss="member:Liisalle")
    assert open_kinds(response) == []
    assert response.context["form"]["dismissed"].value() == ["member:Liisalle"]
    assert 'id="dismissed-findings"' in response.content.decode()

    response = post_editor(client, held_meeting, text, dismissed=["member:Liisalle"], action="save")
    assert response.status_code == 302
    assert stored_body(held_meeting) == text


def test_dismissals_are_restored_when_the_notes_are_edited_again(client, coordinator, held_meeting):
    client.force_login(coordinator)
    text = "Liisalle soitettiin ja asia ratkesi."
    post_editor(client, held_meeting, text, dismissed=["member:Liisalle"], action="save")
    response = client.get(edit_url(held_meeting))
    assert editor_text(response) == text
    assert response.context["form"]["dismissed"].value() == ["member:Liisalle"]
    assert open_kinds(response) == []


def test_undo_brings_a_dismissed_finding_back(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post_editor(
        client, held_meeting, DIRTY_TEXT, dismissed=["member:Liisalle"], restore="member:Liisalle"
    )
    assert open_kinds(response) == [("member", "Liisalle"), ("phone", "040 123 4567")]
    assert response.context["form"]["dismissed"].value() == []


def test_a_dismissal_covers_only_its_exact_text_and_kind(client, coordinator, held_meeting):
    client.force_login(coordinator)
    forged = ["person:Liisalle", "phone:040 123 4567x", "member:Liisa", "nonsense", "email:"]
    response = post_editor(client, held_meeting, DIRTY_TEXT, dismissed=forged, action="save")
    assert SessionNote.objects.count() == 0
    assert open_kinds(response) == [("member", "Liisalle"), ("phone", "040 123 4567")]


def test_clean_notes_save_encrypted_with_expiry_and_redirect_to_reading(
    client, coordinator, held_meeting
):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, CLEAN_TEXT, action="save")
    assert response.status_code == 302
    assert response.headers["Location"] == read_url(held_meeting)
    note = SessionNote.objects.get(meeting=held_meeting)
    assert note.author == coordinator
    assert CANARY not in note.body_encrypted
    assert stored_body(held_meeting) == CLEAN_TEXT
    assert note.expires_at == held_meeting.starts_at + relativedelta(months=24)


def test_browser_line_endings_are_normalised(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post_editor(
        client, held_meeting, "Ensin.\r\nSitten Liisalle.", replace="member:14:Liisalle"
    )
    assert editor_text(response) == "Ensin.\nSitten [jäsen]."


def test_empty_notes_are_not_saved(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, "   ", action="save")
    assert response.status_code == 400
    assert SessionNote.objects.count() == 0


def test_save_over_someone_elses_newer_version_is_refused_and_keeps_the_text(
    client, coordinator, note_taker, note, held_meeting
):
    client.force_login(coordinator)
    opened = client.get(edit_url(held_meeting)).context["form"]["base"].value()
    notes.note_save(
        meeting=held_meeting, author=note_taker, text="Toinen versio.", dismissed=frozenset()
    )
    mine = "Minun versioni."
    response = post_editor(client, held_meeting, mine, base=opened, action="save")
    assert response.status_code == 200
    assert response.context["notice"][0] == "conflict"
    assert editor_text(response) == mine
    assert stored_body(held_meeting) == "Toinen versio."

    newer = response.context["form"]["base"].value()
    response = post_editor(client, held_meeting, mine, base=newer, action="save")
    assert response.status_code == 302
    assert stored_body(held_meeting) == mine


def test_notes_older_than_the_retention_period_are_refused(client, coordinator, forum):
    meeting = make_held_meeting(forum, attendees=[], days_ago=800)  # 24 months ≈ 730 days
    client.force_login(coordinator)
    response = post_editor(client, meeting, CLEAN_TEXT, action="save")
    assert response.status_code == 200
    assert response.context["notice"][0] == "refused"
    assert editor_text(response) == CLEAN_TEXT
    assert SessionNote.objects.count() == 0


# --------------------------------------------------------------------------- when


def test_notes_can_be_written_once_a_meeting_has_started_even_before_marked_held(
    client, coordinator, forum
):
    started = make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=30))
    client.force_login(coordinator)
    assert post_editor(client, started, CLEAN_TEXT, action="save").status_code == 302
    assert SessionNote.objects.filter(meeting=started).exists()


@pytest.mark.parametrize("state", ["future", "cancelled"])
def test_no_notes_for_a_future_or_cancelled_meeting_and_the_text_comes_back(
    client, coordinator, forum, state
):
    if state == "future":
        meeting = make_meeting(forum)
    else:
        meeting = make_meeting(
            forum,
            starts_at=timezone.now() - timedelta(days=3),
            status=Meeting.Status.CANCELLED,
        )
    client.force_login(coordinator)
    page = client.get(edit_url(meeting))
    assert page.status_code == 200
    assert 'id="notes-unavailable"' in page.content.decode()
    assert "<textarea" not in page.content.decode()

    response = post_editor(client, meeting, CLEAN_TEXT, action="save")
    assert response.status_code == 409
    assert SessionNote.objects.count() == 0
    assert CLEAN_TEXT in response.content.decode()


# --------------------------------------------------------------------------- who may write


def test_coordinator_and_note_taker_may_write(client, coordinator, note_taker, held_meeting):
    held_meeting.note_taker = note_taker
    held_meeting.save(update_fields=["note_taker"])
    for person, text in ((coordinator, "Ensimmäinen versio."), (note_taker, "Toinen versio.")):
        client.force_login(person)
        opened = client.get(edit_url(held_meeting))
        assert opened.status_code == 200
        base = opened.context["form"]["base"].value()
        assert post_editor(client, held_meeting, text, base=base, action="save").status_code == 302
        assert stored_body(held_meeting) == text
        assert SessionNote.objects.get().author == person


def test_member_who_is_not_the_note_taker_gets_403(client, member, note_taker, held_meeting):
    held_meeting.note_taker = note_taker
    held_meeting.save(update_fields=["note_taker"])
    client.force_login(member)
    assert client.get(edit_url(held_meeting)).status_code == 403
    assert post_editor(client, held_meeting, CLEAN_TEXT, action="save").status_code == 403
    assert SessionNote.objects.count() == 0


def test_note_taker_of_another_meeting_gets_403(client, forum, note_taker, held_meeting):
    other = make_held_meeting(forum, attendees=[], days_ago=40, note_taker=note_taker)
    assert other.note_taker == note_taker
    client.force_login(note_taker)
    assert client.get(edit_url(held_meeting)).status_code == 403


def test_note_taker_who_left_the_forum_gets_404(
    client, forum, coordinator, note_taker, held_meeting
):
    held_meeting.note_taker = note_taker
    held_meeting.save(update_fields=["note_taker"])
    membership = Membership.objects.get(forum=forum, user=note_taker)
    forum_services.membership_remove(forum=forum, membership_id=membership.pk, actor=coordinator)
    client.force_login(note_taker)
    assert client.get(edit_url(held_meeting)).status_code == 404
    assert post_editor(client, held_meeting, CLEAN_TEXT, action="save").status_code == 404
    assert SessionNote.objects.count() == 0


def test_note_taker_with_the_agreement_pending_is_sent_to_the_agreement(
    client, forum, coordinator, note_taker, held_meeting
):
    held_meeting.note_taker = note_taker
    held_meeting.save(update_fields=["note_taker"])
    forum_services.agreement_publish(forum=forum, actor=coordinator, text="Uusi sopimus.")
    client.force_login(note_taker)
    response = post_editor(client, held_meeting, CLEAN_TEXT, action="save")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "forums:agreement", kwargs={"forum_id": forum.pk}
    )
    assert SessionNote.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "hr_viewer", "other_forum_member", "admin"])
def test_people_outside_the_forum_get_404_on_the_editor(
    client, persona, held_meeting, note, outsider, hr_viewer, other_forum
):
    person = _persona(persona, held_meeting.forum, outsider, hr_viewer, other_forum)
    client.force_login(person)
    assert client.get(edit_url(held_meeting)).status_code == 404
    assert post_editor(client, held_meeting, "Korvattu.", action="save").status_code == 404
    assert stored_body(held_meeting) == CLEAN_TEXT


# --------------------------------------------------------------------------- who may read


def _persona(name, forum, outsider, hr_viewer, other_forum):
    if name == "outsider":
        return outsider
    if name == "hr_viewer":
        # Even an HR viewer who somehow holds a membership sees nothing.
        Membership.objects.create(forum=forum, user=hr_viewer, accepted_version=1)
        return hr_viewer
    if name == "other_forum_member":
        return other_forum.memberships.get().user
    if name == "admin":
        return UserFactory(is_staff=True, is_superuser=True)
    raise AssertionError(name)


def test_member_reads_the_notes_and_the_read_is_recorded(client, member, note, held_meeting):
    client.force_login(member)
    response = client.get(read_url(held_meeting))
    assert response.status_code == 200
    assert CANARY in response.content.decode()
    assert 'id="note-body"' in response.content.decode()
    assert list(NoteRead.objects.values_list("note", "reader")) == [(note.pk, member.pk)]
    assert "edit-notes" not in response.content.decode()


def test_coordinator_and_note_taker_read_the_notes(
    client, coordinator, note_taker, note, held_meeting
):
    for person in (coordinator, note_taker):
        client.force_login(person)
        response = client.get(read_url(held_meeting))
        assert response.status_code == 200
        assert CANARY in response.content.decode()
    assert set(NoteRead.objects.values_list("reader", flat=True)) == {coordinator.pk, note_taker.pk}


@pytest.mark.parametrize("persona", ["outsider", "hr_viewer", "other_forum_member", "admin"])
def test_people_outside_the_forum_get_404_and_nothing_is_recorded(
    client, persona, held_meeting, note, outsider, hr_viewer, other_forum
):
    person = _persona(persona, held_meeting.forum, outsider, hr_viewer, other_forum)
    client.force_login(person)
    response = client.get(read_url(held_meeting))
    assert response.status_code == 404
    assert CANARY not in response.content.decode()
    assert NoteRead.objects.count() == 0
    forum_list = reverse("notes:forum_notes", kwargs={"forum_id": held_meeting.forum_id})
    assert client.get(forum_list).status_code == 404


def test_member_with_the_agreement_pending_is_sent_to_the_agreement(
    client, forum, coordinator, member, note, held_meeting
):
    forum_services.agreement_publish(forum=forum, actor=coordinator, text="Uusi sopimus.")
    client.force_login(member)
    response = client.get(read_url(held_meeting))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "forums:agreement", kwargs={"forum_id": forum.pk}
    )
    assert NoteRead.objects.count() == 0


def test_former_member_gets_404(client, forum, coordinator, member, note, held_meeting):
    membership = Membership.objects.get(forum=forum, user=member)
    forum_services.membership_remove(forum=forum, membership_id=membership.pk, actor=coordinator)
    client.force_login(member)
    assert client.get(read_url(held_meeting)).status_code == 404


def test_admin_site_shows_no_session_notes(client, note, held_meeting):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "sessionnote" not in index.content.decode().lower()
    assert client.get("/admin/sessions_app/sessionnote/").status_code == 404
    assert client.get(f"/admin/sessions_app/sessionnote/{note.pk}/change/").status_code == 404
    for path in ("/admin/", "/admin/sessions_app/", "/admin/members/user/"):
        assert CANARY not in client.get(path).content.decode()


def test_no_notes_yet_page_for_a_member(client, member, held_meeting):
    client.force_login(member)
    response = client.get(read_url(held_meeting))
    assert response.status_code == 200
    assert 'id="no-notes"' in response.content.decode()
    assert NoteRead.objects.count() == 0


def test_reading_is_get_only(client, member, note, held_meeting):
    client.force_login(member)
    assert client.post(read_url(held_meeting)).status_code == 405


# --------------------------------------------------------------------------- read log


def test_the_forum_sees_who_has_read_the_notes_and_when(
    client, member, coordinator, note, held_meeting
):
    client.force_login(member)
    client.get(read_url(held_meeting))
    client.force_login(coordinator)
    client.get(read_url(held_meeting))
    client.force_login(member)
    response = client.get(read_url(held_meeting))

    readers = response.context["readers"]
    assert [person.pk for person in readers] == [member.pk, coordinator.pk]
    latest = NoteRead.objects.filter(reader=member).order_by("-read_at").first().read_at
    assert readers[0].last_read == latest
    assert NoteRead.objects.filter(note=note).count() == 3
    section = response.content.decode().split('id="note-readers"', 1)[1]
    assert "Liisa Virtanen" in section
    assert "Kirsi Ojala" in section


def test_opening_the_notes_in_the_editor_is_a_read_too(client, coordinator, note, held_meeting):
    client.force_login(coordinator)
    client.get(edit_url(held_meeting))
    assert list(NoteRead.objects.values_list("reader", flat=True)) == [coordinator.pk]


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize("page", ["read", "edit", "list"])
def test_notes_pages_are_never_cached_or_indexed(client, coordinator, note, held_meeting, page):
    urls = {
        "read": read_url(held_meeting),
        "edit": edit_url(held_meeting),
        "list": reverse("notes:forum_notes", kwargs={"forum_id": held_meeting.forum_id}),
    }
    client.force_login(coordinator)
    response = client.get(urls[page])
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_refused_save_is_not_cached_either(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post_editor(client, held_meeting, DIRTY_TEXT, action="save")
    assert "no-store" in response.headers["Cache-Control"]


def test_the_editor_has_no_inline_script_or_style(client, coordinator, held_meeting):
    client.force_login(coordinator)
    html = post_editor(client, held_meeting, DIRTY_TEXT, action="check").content.decode()
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert " onclick=" not in html
    assert 'src="/static/js/notes.js"' in html


# --------------------------------------------------------------------------- forum list


def test_forum_list_shows_started_meetings_with_their_notes(
    client, forum, member, coordinator, note, held_meeting
):
    future = make_meeting(forum)
    cancelled = make_meeting(
        forum, starts_at=timezone.now() - timedelta(days=2), status=Meeting.Status.CANCELLED
    )
    started = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(member)
    response = client.get(reverse("notes:forum_notes", kwargs={"forum_id": forum.pk}))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.pk for row in rows] == [started.pk, held_meeting.pk]
    assert [row.has_note for row in rows] == [False, True]
    assert [row.may_write for row in rows] == [False, False]
    assert future.pk not in [row.pk for row in rows]
    assert cancelled.pk not in [row.pk for row in rows]
    assert note.pk  # the held meeting's note exists; its text never reaches the list
    assert CANARY not in response.content.decode()

    client.force_login(coordinator)
    response = client.get(reverse("notes:forum_notes", kwargs={"forum_id": forum.pk}))
    assert [row.may_write for row in response.context["rows"]] == [True, True]


def test_forum_list_rows_show_dates_status_notes_and_links(
    client, forum, member, coordinator, note_taker, note, held_meeting
):
    # A cancelled meeting with notes stays listed with its status; a started meeting
    # without notes offers its note-taker "Write"; the one with notes links to them.
    cancelled = make_meeting(forum, starts_at=timezone.now() - timedelta(days=3))
    notes.note_save(meeting=cancelled, author=coordinator, text=CLEAN_TEXT, dismissed=frozenset())
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    started = make_meeting(forum, starts_at=timezone.now() - timedelta(hours=1), theme="")
    started.note_taker = note_taker
    started.save(update_fields=["note_taker"])
    url = reverse("notes:forum_notes", kwargs={"forum_id": forum.pk})

    client.force_login(note_taker)
    page = client.get(url).content.decode()
    start = timezone.localtime(started.starts_at)
    assert (
        f'<tr class="notes-row" data-meeting="{started.pk}"><td>'
        f'<time datetime="{start.isoformat()}">{start.day}.{start.month}.{start.year}</time>'
        f'</td><td>–</td><td><span class="badge badge-muted">Ei vielä muistiota</span>'
        f' · <a href="{edit_url(started)}" class="write-notes">Kirjoita</a></td></tr>'
    ) in page
    updated = timezone.localtime(SessionNote.objects.get(meeting=cancelled).updated_at)
    assert (
        f'</time> <span class="badge badge-muted">Peruttu</span></td>'
        f"<td>{cancelled.theme}</td>"
        f'<td><a href="{read_url(cancelled)}" class="read-notes">Lue muistio</a>'
        f' <span class="muted">· {updated.day}.{updated.month}.{updated.year}</span></td></tr>'
    ) in page
    assert page.count('class="write-notes"') == 1  # the note-taker writes only their own

    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert page.count('class="write-notes">Muokkaa</a>') == 1  # the held meeting's notes
    assert page.count('class="write-notes">Kirjoita</a>') == 1  # the started meeting
    assert f'href="{edit_url(cancelled)}"' not in page  # no notes for a cancelled one


def test_forum_list_runs_the_same_queries_for_one_and_many_meetings(
    client, forum, member, coordinator
):
    client.force_login(member)
    url = reverse("notes:forum_notes", kwargs={"forum_id": forum.pk})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = make_held_meeting(forum, attendees=[member], days_ago=10)
    notes.note_save(meeting=first, author=coordinator, text=CLEAN_TEXT, dismissed=frozenset())
    one = queries()
    for days in (20, 30, 40, 50):
        meeting = make_held_meeting(forum, attendees=[member], days_ago=days)
        notes.note_save(meeting=meeting, author=coordinator, text=CLEAN_TEXT, dismissed=frozenset())
    assert queries() == one
