"""Text pasted from Word carries soft hyphens and zero-width characters that hid names
from the personal-data check. The notes form normalises the text first, so the check,
the editor and the stored notes all see the same visible text."""

import pytest
from django.urls import reverse

from sessions_app.models import SessionNote
from sessions_app.notes import services as notes
from tests.factories import make_held_meeting

pytestmark = pytest.mark.django_db

SHY, ZWSP, ZWJ, RLO, PDF = "\u00ad", "\u200b", "\u200d", "\u202e", "\u202c"


@pytest.fixture
def held_meeting(forum, member):
    return make_held_meeting(forum, attendees=[member])


def post(client, meeting, text, **fields):
    url = reverse("notes:meeting_notes_edit", kwargs={"meeting_id": meeting.pk})
    return client.post(url, {"text": text, **fields})


def open_findings(response) -> list[tuple[str, str]]:
    return [(i["finding"].kind, i["finding"].text) for i in response.context["open_findings"]]


def test_a_members_name_broken_by_soft_hyphens_is_found(client, coordinator, held_meeting):
    # The forum's member is Liisa Virtanen (tests/conftest.py).
    client.force_login(coordinator)
    response = post(client, held_meeting, f"Lii{SHY}sa Vir{SHY}tanen kertoi tilanteestaan.")
    assert response.status_code == 200
    assert open_findings(response) == [("member", "Liisa"), ("member", "Virtanen")]
    # The editor shows the text the check read.
    assert response.context["form"]["text"].value() == "Liisa Virtanen kertoi tilanteestaan."


@pytest.mark.parametrize("invisible", [ZWSP, ZWJ, "\u2060", "\ufeff", RLO])
def test_zero_width_and_bidi_characters_do_not_hide_a_name(
    client, coordinator, held_meeting, invisible
):
    client.force_login(coordinator)
    response = post(client, held_meeting, f"Puhuimme Lii{invisible}san kanssa.")
    assert open_findings(response) == [("member", "Liisan")]


def test_saving_refuses_the_hidden_name_and_stores_nothing(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post(client, held_meeting, f"Lii{SHY}sa kertoi.", action="save")
    assert response.status_code == 200
    assert open_findings(response) == [("member", "Liisa")]
    assert not SessionNote.objects.exists()


def test_stored_notes_are_the_normalised_text(client, coordinator, held_meeting):
    client.force_login(coordinator)
    text = f"Tee{SHY}ma: muu{ZWSP}tos. {RLO}Sovimme kokeilusta.{PDF}\r\nSeuraavaksi\tpalaveri."
    response = post(client, held_meeting, text, action="save")
    assert response.status_code == 302
    stored = notes.note_content(SessionNote.objects.get(meeting=held_meeting)).body
    assert stored == "Teema: muutos. Sovimme kokeilusta.\nSeuraavaksi\tpalaveri."


def test_text_of_only_invisible_characters_is_empty(client, coordinator, held_meeting):
    client.force_login(coordinator)
    response = post(client, held_meeting, f"{ZWSP}{SHY}{RLO}", action="save")
    assert response.status_code == 400
    assert "text" in response.context["form"].errors
    assert not SessionNote.objects.exists()
