from datetime import timedelta

import pytest
from django.utils import timezone

from forums.models import Membership
from sessions_app.models import Meeting, Participation, Preparation
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_series_rsvp_private_preparation_and_attendance(page, live_server, browser):
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    liisa = UserFactory(first_name="Liisa", last_name="Virtanen")
    mikko = UserFactory(first_name="Mikko", last_name="Korhonen")
    forum = make_forum(coordinator=coordinator, members=[liisa, mikko], name="Kevätfoorumi")
    past = make_meeting(forum, starts_at=timezone.now() - timedelta(days=2), theme="Menneet")
    Participation.objects.create(meeting=past, user=liisa, rsvp="yes")

    # The coordinator schedules a monthly series.
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/forums/{forum.pk}/meetings/new/")
    first_tuesday = next(
        d
        for d in (timezone.localdate() + timedelta(days=n) for n in range(1, 60))
        if d.weekday() == 1 and d.day <= 7
    )
    page.get_by_label("Päivämäärä").fill(first_tuesday.isoformat())
    page.get_by_label("Alkaa").fill("13:00")
    page.get_by_label("Päättyy").fill("16:00")
    page.get_by_label("Toistuu").select_option("monthly_weekday")
    page.get_by_label("Tapaamisten määrä").fill("6")
    page.get_by_label("Paikka").fill("SAMK, Pori")
    page.get_by_label("Teema").fill("Muutoksen johtaminen")
    page.get_by_role("button", name="Ajoita").click()
    page.wait_for_url(f"{live_server.url}/forums/{forum.pk}/")
    upcoming = Meeting.objects.filter(forum=forum, starts_at__gt=timezone.now()).order_by(
        "starts_at"
    )
    assert upcoming.count() == 6
    first = upcoming.first()

    # Liisa answers and writes a private preparation.
    liisa_page = browser.new_context(locale="fi-FI").new_page()
    sign_in(liisa_page, live_server, liisa.email, PASSWORD)
    liisa_page.goto(f"{live_server.url}/meetings/{first.pk}/")
    liisa_page.get_by_label("Tulen").check()
    liisa_page.get_by_role("button", name="Tallenna vastaukseni").click()
    liisa_page.get_by_role("link", name="Valmistaudu tapaamiseen").click()
    liisa_page.get_by_label("Mitä minulle kuuluu").fill(
        "YKSITYINEN-VALMISTAUTUMINEN muutosneuvottelut"
    )
    liisa_page.get_by_role("button", name="Tallenna").click()
    liisa_page.wait_for_url(f"{live_server.url}/meetings/{first.pk}/")
    assert Participation.objects.get(meeting=first, user=liisa).rsvp == "yes"
    assert Preparation.objects.get(meeting=first, author=liisa).shared is False
    liisa_page.screenshot(path="test-artifacts/screenshots/member_meeting_page.png", full_page=True)

    # Mikko sees Liisa coming, but not her preparation.
    mikko_page = browser.new_context(locale="fi-FI").new_page()
    sign_in(mikko_page, live_server, mikko.email, PASSWORD)
    mikko_page.goto(f"{live_server.url}/meetings/{first.pk}/")
    main = mikko_page.locator("main").inner_text()
    assert "Liisa Virtanen" in main
    assert "YKSITYINEN-VALMISTAUTUMINEN" not in mikko_page.content()
    mikko_page.goto(f"{live_server.url}/meetings/{first.pk}/preparation/")
    assert "YKSITYINEN-VALMISTAUTUMINEN" not in mikko_page.content()

    # The coordinator records attendance for the past meeting (pre-filled from RSVPs).
    page.goto(f"{live_server.url}/meetings/{past.pk}/attendance/")
    assert page.get_by_label("Liisa Virtanen").is_checked()
    assert not page.get_by_label("Mikko Korhonen").is_checked()
    page.get_by_role("button", name="Tallenna läsnäolot").click()
    page.wait_for_url(f"{live_server.url}/meetings/{past.pk}/")
    past.refresh_from_db()
    assert past.status == "held"
    assert dict(past.participations.values_list("user__first_name", "attended")) == {
        "Liisa": True,
        "Mikko": False,
    }
    assert Membership.objects.filter(forum=forum).count() == 2
