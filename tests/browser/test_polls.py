"""A time poll in Finnish, end to end: the coordinator opens a poll with a deadline, a
member answers and stays at the answer form, the coordinator sees the best time and who
has not answered, picks it after a confirmation and lands on the new meeting. Every page
fits a 390 px phone and passes axe at both widths."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions_app.models import Meeting, Participation, SchedulingPoll
from tests.browser.axe import fits_phone, violations
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, UserFactory, make_forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def check_page(page, name: str) -> None:
    """At both widths: no sideways scrolling, no axe violations; a screenshot of each."""
    (SCREENSHOTS / "polls").mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        assert fits_phone(page), (name, size)
        assert violations(page) == [], (name, size)
        page.screenshot(path=str(SCREENSHOTS / "polls" / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size(original)


def answer(page, answers: list[str]) -> None:
    groups = page.locator("#my-answers fieldset")
    for index, label in enumerate(answers):
        groups.nth(index).get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Tallenna vastaukseni").click()


def test_poll_from_proposal_to_meeting(page, live_server, browser):
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    liisa = UserFactory(first_name="Liisa", last_name="Virtanen")
    mikko = UserFactory(first_name="Mikko", last_name="Korhonen")
    anna = UserFactory(first_name="Anna", last_name="Aalto")
    forum = make_forum(coordinator=coordinator, members=[liisa, mikko, anna], name="Syysfoorumi")
    first_day = timezone.localdate() + timedelta(days=10)
    deadline_day = timezone.localdate() + timedelta(days=3)

    # The coordinator proposes one time only: the product's own message, nothing lost.
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/forums/{forum.pk}/polls/new/")
    page.get_by_label("Otsikko").fill("Joulukuun tapaaminen")
    page.get_by_label("Paikka").fill("SAMK, Pori")
    deadline = page.get_by_role("group", name="Vastaa viimeistään (valinnainen)")
    deadline.get_by_label("Päivämäärä").fill(deadline_day.isoformat())
    deadline.get_by_label("Kellonaika").fill("16:00")
    times = page.get_by_role("group", name="Aika 1")
    times.get_by_label("Päivämäärä").fill(first_day.isoformat())
    times.get_by_label("Alkaa").fill("13:00")
    times.get_by_label("Päättyy").fill("16:00")
    page.get_by_role("button", name="Avaa kysely").click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#times-errors").inner_text() == "Ehdota vähintään kaksi aikaa."
    assert page.get_by_label("Otsikko").input_value() == "Joulukuun tapaaminen"
    assert deadline.get_by_label("Kellonaika").input_value() == "16:00"
    check_page(page, "create-with-errors")

    for number, offset in ((2, 1), (3, 2)):
        times = page.get_by_role("group", name=f"Aika {number}")
        times.get_by_label("Päivämäärä").fill((first_day + timedelta(days=offset)).isoformat())
        times.get_by_label("Alkaa").fill("13:00")
        times.get_by_label("Päättyy").fill("16:00")
    page.get_by_role("button", name="Avaa kysely").click()
    poll = SchedulingPoll.objects.get()
    page.wait_for_url(f"{live_server.url}/polls/{poll.pk}/")
    assert timezone.localtime(poll.deadline).hour == 16

    # Liisa answers; the page comes back to her answers, with the deadline shown.
    liisa_page = browser.new_context(locale="fi-FI", viewport=SIZES["phone"]).new_page()
    sign_in(liisa_page, live_server, liisa.email, PASSWORD)
    liisa_page.goto(f"{live_server.url}/polls/{poll.pk}/")
    assert "Vastaa viimeistään" in liisa_page.locator("main").inner_text()
    check_page(liisa_page, "member-before")
    answer(liisa_page, ["Tarvittaessa", "Kyllä", "Ei"])
    liisa_page.wait_for_url(f"{live_server.url}/polls/{poll.pk}/#my-answers")
    # On the phone the page opens at her answers, not at the top.
    assert liisa_page.evaluate("window.scrollY") > 0
    assert 0 <= liisa_page.locator("#my-answers").bounding_box()["y"] < 100
    assert "Olet vastannut." in liisa_page.locator("#my-answers").inner_text()
    assert liisa_page.locator("#my-answers input[value='yes']").nth(1).is_checked()
    check_page(liisa_page, "member-answered")

    mikko_page = browser.new_context(locale="fi-FI").new_page()
    sign_in(mikko_page, live_server, mikko.email, PASSWORD)
    mikko_page.goto(f"{live_server.url}/polls/{poll.pk}/")
    answer(mikko_page, ["Ei", "Kyllä", "Kyllä"])
    mikko_page.wait_for_url(f"{live_server.url}/polls/{poll.pk}/#my-answers")

    # The coordinator sees the best time (by text, not only colour) and who is missing.
    page.goto(f"{live_server.url}/polls/{poll.pk}/")
    main = page.locator("main").inner_text()
    assert "3 jäsenestä 1 ei ole vielä vastannut: Anna Aalto" in main
    assert "Paras aika" in main
    best_card = page.locator(".card.attention", has_text="Paras aika").first
    assert f"{(first_day + timedelta(days=1)).day}." in best_card.inner_text()
    assert page.get_by_role("region", name="Kuka vastasi mitä").get_attribute("tabindex") == "0"
    check_page(page, "coordinator")

    # Picking shows what will happen, then schedules.
    page.get_by_role("link", name="Valitse paras aika").click()
    page.wait_for_url(f"{live_server.url}/polls/{poll.pk}/slots/**/pick/")
    assert "2 jäsentä vastasi kyllä" in page.locator("main").inner_text()
    check_page(page, "pick-confirmation")
    page.get_by_role("button", name="Sovi tapaaminen").click()
    meeting = Meeting.objects.get()
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")
    assert "Tapaaminen sovittiin ja kysely suljettiin." in page.locator("main").inner_text()
    assert dict(Participation.objects.values_list("user__first_name", "rsvp")) == {
        "Liisa": "yes",
        "Mikko": "yes",
    }

    page.goto(f"{live_server.url}/polls/{poll.pk}/")
    assert "Suljettu, aika valittu" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Valitse tämä aika").count() == 0
    check_page(page, "coordinator-closed")

    # Liisa's poll page now leads to the meeting.
    liisa_page.goto(f"{live_server.url}/polls/{poll.pk}/")
    check_page(liisa_page, "member-closed")
    liisa_page.get_by_role("link", name="Katso tapaaminen").click()
    liisa_page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")
    check_page(liisa_page, "meeting-after-pick")
