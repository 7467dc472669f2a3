"""Issue 16 in the notes editor: "possible name" findings look apart from certain ones, and
the editor says when name detection is weaker because Voikko is missing."""

import pytest
from django.urls import reverse

from forums import services as forum_services
from forums.models import Membership
from sessions_app.models import SessionNote
from sessions_app.notes.anonymiser import voikko as voikko_module
from tests.factories import UserFactory, make_held_meeting
from tests.sessions_app.notes.conftest import require_voikko

pytestmark = pytest.mark.django_db

TEXT = "Sadun loppu oli yllättävä. Liisalle soitettiin illalla."


@pytest.fixture
def held_meeting(forum, member):
    satu = UserFactory(first_name="Satu", last_name="Mäki")
    Membership.objects.create(forum=forum, user=satu)
    forum_services.agreement_accept(forum=forum, user=satu)
    return make_held_meeting(forum, attendees=[member, satu])


def edit_url(meeting):
    return reverse("notes:meeting_notes_edit", kwargs={"meeting_id": meeting.pk})


def check(client, meeting, text=TEXT, **headers):
    return client.post(edit_url(meeting), {"text": text, "action": "check"}, **headers)


def test_possible_name_is_listed_and_highlighted_apart_from_certain_ones(
    client, coordinator, held_meeting
):
    client.force_login(coordinator)
    response = check(client, held_meeting)
    assert [
        (item["finding"].text, item["possible"]) for item in response.context["open_findings"]
    ] == [("Sadun", True), ("Liisalle", False)]
    html = response.content.decode()
    assert (
        '<mark class="finding finding-member finding-possible" id="finding-1" data-number="1">'
        "Sadun</mark>" in html
    )
    assert (
        '<mark class="finding finding-member" id="finding-2" data-number="2">Liisalle</mark>'
        in (html)
    )
    assert '<li class="finding-item is-possible" id="finding-item-1">' in html
    assert '<li class="finding-item" id="finding-item-2">' in html
    assert html.count('<span class="finding-certainty">Mahdollinen nimi</span>') == 1
    assert html.count('class="finding-possible-help"') == 1


@pytest.mark.parametrize(("language", "label"), [("sv", "Möjligt namn"), ("en", "Possible name")])
def test_possible_name_label_is_translated(client, coordinator, held_meeting, language, label):
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    html = check(client, held_meeting).content.decode()
    assert f'<span class="finding-certainty">{label}</span>' in html


def test_possible_name_must_still_be_resolved_before_saving(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = client.post(
        edit_url(held_meeting), {"text": "Sadun loppu oli yllättävä.", "action": "save"}
    )
    assert response.status_code == 200
    assert response.context["notice"][0] == "refused"
    assert SessionNote.objects.count() == 0
    response = client.post(
        edit_url(held_meeting),
        {"text": "Sadun loppu oli yllättävä.", "action": "save", "dismissed": ["member:Sadun"]},
    )
    assert response.status_code == 302
    assert SessionNote.objects.count() == 1


def test_editor_says_name_detection_is_weaker_without_voikko(
    client, coordinator, held_meeting, monkeypatch
):
    client.force_login(coordinator)
    monkeypatch.setattr(voikko_module, "enabled", False)
    html = client.get(edit_url(held_meeting)).content.decode()
    assert 'id="names-check-weaker"' in html
    assert "Nimien tunnistus on tällä palvelimella heikompi" in html


def test_editor_has_no_weaker_detection_notice_with_voikko(client, coordinator, held_meeting):
    require_voikko()
    client.force_login(coordinator)
    html = client.get(edit_url(held_meeting)).content.decode()
    assert 'id="names-check-weaker"' not in html
