"""A facilitator runs a check-in round; a member sees her turn on her phone and writes
her commitment. In Finnish, with axe-core and the phone width checked."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions_app.live import services
from sessions_app.models import Commitment, LiveMeeting
from tests.browser.axe import fits_phone, violations
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_runs_a_round_and_a_member_sees_her_turn(page, live_server, browser):
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    liisa = UserFactory(first_name="Liisa", last_name="Virtanen")
    mikko = UserFactory(first_name="Mikko", last_name="Korhonen")
    forum = make_forum(coordinator=coordinator, members=[liisa, mikko], name="Kevätfoorumi")
    meeting = make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=5))
    services.notepad_save(meeting=meeting, user=mikko, text="MIKON-SALAISUUS")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # Liisa opens the live meeting on her phone: she is in the room.
    phone = browser.new_context(locale="fi-FI", viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, live_server, liisa.email, PASSWORD)
    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/live/")
    assert "Tapaaminen ei ole vielä alkanut." in phone.locator("#live-status").inner_text()

    # The coordinator starts, reads the reminder, and moves to the check-in round.
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/live/facilitate/")
    assert "Liisa Virtanen" in page.locator("#room-heading + p + ul").inner_text()
    page.get_by_role("button", name="Merkitse Mikko Korhonen läsnä olevaksi").click()
    page.get_by_role("button", name="Aloita tapaaminen").click()
    assert page.locator("#live-phase").inner_text() == "Avaus"
    assert "Mitä foorumissa puhutaan, jää foorumiin." in page.locator("main").inner_text()
    page.get_by_role("button", name="Seuraava vaihe").click()
    assert page.locator("#live-phase").inner_text() == "Kuulumiskierros"
    live = LiveMeeting.objects.get(meeting=meeting)
    first = "Liisa Virtanen" if live.order[0] == liisa.pk else "Mikko Korhonen"
    assert page.locator("#live-speaker-name").inner_text() == first
    if first != "Liisa Virtanen":
        page.get_by_role("button", name="Seuraava puhuja").click()
    assert violations(page) == []
    assert "MIKON-SALAISUUS" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "live_facilitator.png"), full_page=True)

    # Liisa's phone shows her turn (from polling, no reload).
    expect(phone.locator("#live-me")).to_contain_text("Sinun vuorosi nyt")
    assert phone.locator("#live-phase").inner_text() == "Kuulumiskierros"
    assert "MIKON-SALAISUUS" not in phone.content()

    # The closing round: Liisa writes her private commitment.
    page.get_by_role("button", name="Ohita tämä vaihe").click()
    page.get_by_role("button", name="Ohita tämä vaihe").click()
    assert page.locator("#live-phase").inner_text() == "Päätöskierros"
    expect(phone.locator("#live-phase")).to_have_text("Päätöskierros")
    phone.get_by_label("Mitä kokeilen ennen seuraavaa kertaa").fill("Delegoin yhden asian")
    phone.get_by_role("button", name="Tallenna sitoumukseni").click()
    phone.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/live/#commitment")
    assert Commitment.objects.get(author=liisa).text == "Delegoin yhden asian"
    assert "Sitoumuksesi tallennettiin." in phone.locator(".messages").inner_text()
    assert violations(phone) == []  # with the success message shown
    assert fits_phone(phone)
    phone.screenshot(path=str(SCREENSHOTS / "live_member_phone.png"), full_page=True)

    # The room screen, in large text, for the projector.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/live/screen/")
    assert page.locator("#live-phase").inner_text() == "Päätöskierros"
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "live_room_screen.png"), full_page=True)
    phone.context.close()
