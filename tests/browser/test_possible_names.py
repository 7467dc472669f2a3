"""Issue 16 in the browser: a "possible name" finding looks different from a certain one,
in Finnish, on a wide and a narrow screen."""

import pytest

from forums import services as forum_services
from forums.models import Membership
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_held_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Sadun loppu oli yllättävä, totesi ryhmä.\n\n"
    "Liisalle soitettiin numeroon 040 123 4567, ja hän kertoi tiimin muutoksesta."
)


@pytest.mark.parametrize("width", [1366, 390])
def test_possible_name_finding_is_shown_apart_from_certain_ones(page, live_server, width):
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    liisa = UserFactory(first_name="Liisa", last_name="Virtanen")
    satu = UserFactory(first_name="Satu", last_name="Mäki")
    forum = make_forum(coordinator=coordinator, members=[liisa], name="Foorumi A")
    Membership.objects.create(forum=forum, user=satu)
    forum_services.agreement_accept(forum=forum, user=satu)
    meeting = make_held_meeting(forum, attendees=[liisa, satu], theme="Muutoksen johtaminen")
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/notes/edit/")
    page.locator("textarea[name=text]").fill(TEXT)
    page.locator("#check-notes").click()

    possible = page.locator("#note-preview mark.finding-possible")
    assert possible.inner_text() == "Sadun"
    certain = page.locator("#note-preview mark.finding-member:not(.finding-possible)")
    assert certain.inner_text() == "Liisalle"
    style = "el => getComputedStyle(el).borderBottomStyle"
    assert possible.evaluate(style) == "dashed"
    assert certain.evaluate(style) == "none"
    item = page.locator("#finding-item-1")
    assert "is-possible" in item.get_attribute("class")
    assert item.locator(".finding-certainty").inner_text() == "Mahdollinen nimi"
    assert item.locator(".finding-certainty").is_visible()
    assert page.locator("#finding-item-2 .finding-certainty").count() == 0
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"notes_possible_name_{width}.png"), full_page=True)


def test_editor_says_name_detection_is_weaker_without_voikko(page, live_server, monkeypatch):
    from sessions_app.notes.anonymiser import voikko

    monkeypatch.setattr(voikko, "enabled", False)
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    liisa = UserFactory(first_name="Liisa", last_name="Virtanen")
    forum = make_forum(coordinator=coordinator, members=[liisa], name="Foorumi A")
    meeting = make_held_meeting(forum, attendees=[liisa], theme="Muutoksen johtaminen")
    page.set_viewport_size({"width": 1366, "height": 900})

    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/notes/edit/")
    notice = page.locator("#names-check-weaker")
    assert notice.is_visible()
    assert notice.inner_text().startswith("Nimien tunnistus on tällä palvelimella heikompi")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "notes_names_check_weaker.png"), full_page=True)
