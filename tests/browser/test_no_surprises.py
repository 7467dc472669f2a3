"""No surprises, in Finnish in a real browser: removing a member and revoking an invitation
go through a page that says what will happen; the calendar page's Copy button announces
what it did; the sign-in page says joining is by invitation. Every page on the way fits
a 390 px phone and a 1366 px screen and passes axe-core (WCAG 2.1 A/AA)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from forums.models import Membership
from sessions_app.meetings import feeds
from tests.browser.axe import fits_phone, overflowing, violations
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/notes/shots/forums")
SIZES = ((390, 844), (1366, 900))


def check_page(page, name: str) -> None:
    """At a phone's and a laptop's size: no sideways scrolling, no axe violations; a
    screenshot of each to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert fits_phone(page), (name, width, overflowing(page))
        assert violations(page) == [], (name, width)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def people(db):
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    member = UserFactory(
        first_name="Maija", last_name="Meikäläinen", email="maija.meikalainen@example.fi"
    )
    forum = make_forum(coordinator=coordinator, members=[member], name="Foorumi X")
    return coordinator, member, forum


def test_coordinator_removes_a_member_through_the_confirmation_page(page, live_server, people):
    coordinator, member, forum = people
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/forums/{forum.pk}/")
    page.get_by_role("link", name="Poista Maija Meikäläinen").click()

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Poistetaanko Maija Meikäläinen foorumista Foorumi X?"
    text = page.locator("main").inner_text()
    assert "menettää heti pääsyn foorumin tapaamisiin, muistiinpanoihin ja kyselyihin" in text
    assert "Viestissä ei kerrota syytä" in text
    check_page(page, "member_remove")

    page.get_by_role("button", name="Poista foorumista").click()
    page.wait_for_url(f"{live_server.url}/forums/{forum.pk}/")
    status = page.get_by_role("status").inner_text()
    assert "Maija Meikäläinen poistettiin foorumista" in status
    assert "Poista Maija Meikäläinen" not in page.locator("main").inner_text()
    assert Membership.objects.get(forum=forum, user=member).end_reason == "removed"


def test_coordinator_revokes_an_invitation_on_a_phone_sized_list(page, live_server, people):
    coordinator, _member, forum = people
    invitation, _token = make_invitation(forum, "pitka.nimi.kutsuttavalle@esimerkkikaupunki.fi")
    make_invitation(forum, "toinen@example.fi")
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/forums/{forum.pk}/invitations/")
    check_page(page, "invitations")

    page.set_viewport_size({"width": 390, "height": 844})
    revoke = page.get_by_role("link", name=f"Peru {invitation.email}")
    resend = page.get_by_role("button", name=f"Lähetä uudelleen {invitation.email}")
    for control in (revoke, resend):  # reachable on the phone, not off-screen
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    revoke.click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Perutaanko kutsu osoitteeseen {invitation.email}?"
    )
    assert "Kutsutulle ei ilmoiteta." in page.locator("main").inner_text()
    check_page(page, "invitation_revoke")

    page.get_by_role("button", name="Peru kutsu").click()
    page.wait_for_url(f"{live_server.url}/forums/{forum.pk}/invitations/")
    assert "peruttiin; sen linkki ei enää toimi" in page.get_by_role("status").inner_text()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_calendar_page_copies_the_address_and_says_so(page, live_server, people):
    _coordinator, member, _forum = people
    feed = feeds.feed_create(user=member)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, live_server, member.email, PASSWORD)
    page.goto(f"{live_server.url}/calendar/")
    check_page(page, "calendar_settings")

    status = page.locator("#copy-status")
    assert status.inner_text() == ""
    page.get_by_role("button", name="Kopioi osoite").click()
    expect(status).to_have_text("Kopioitu")  # the status region announces it
    assert page.evaluate("navigator.clipboard.readText()") == feeds.feed_url(feed)
    assert page.get_by_role("link", name="Tilaa kalenterisovellukseesi").get_attribute(
        "href"
    ) == feeds.webcal_url(feed)

    page.get_by_role("link", name="Poista osoite käytöstä").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Poistetaanko kalenteriosoitteesi käytöstä?"
    )
    check_page(page, "calendar_revoke")
    page.get_by_role("button", name="Poista osoite käytöstä").click()
    page.wait_for_url(f"{live_server.url}/calendar/")
    assert feeds.live_feed(member) is None


def test_calendar_address_can_be_selected_without_javascript(browser, live_server, people):
    _coordinator, member, _forum = people
    feeds.feed_create(user=member)
    context = browser.new_context(locale="fi-FI", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, member.email, PASSWORD)
        page.goto(f"{live_server.url}/calendar/")
        assert page.get_by_role("button", name="Kopioi osoite").count() == 0  # hidden
        field = page.get_by_label("Tilausosoite (https)")
        assert field.get_attribute("readonly") is not None
        assert field.input_value().startswith(live_server.url.split(":")[0])
    finally:
        context.close()


def test_sign_in_and_invitation_signup_speak_finnish_and_fit(browser, page, live_server, people):
    _coordinator, _member, forum = people
    page.goto(f"{live_server.url}/accounts/login/")
    text = page.locator("main").inner_text()
    assert "Foorumixiin liitytään kutsusta" in text
    assert page.locator("a[href*='/accounts/signup/']").count() == 0
    check_page(page, "login")

    _invitation, token = make_invitation(forum, "uusi.jasen@example.fi")
    page.goto(f"{live_server.url}/invitations/{token}/")
    page.get_by_role("link", name="Luo tili").click()
    page.locator("input[name=first_name]").fill("Uusi")
    page.locator("input[name=last_name]").fill("Jäsen")
    check_page(page, "signup")
    page.locator("input[name=password1]").fill("lyhyt1")
    page.locator("input[name=password2]").fill("lyhyt1")
    page.locator("form button[type=submit]").last.click()
    main = page.locator("main").inner_text()
    assert "Salasana on liian lyhyt. Siinä on oltava vähintään 10 merkkiä." in main
    assert "too short" not in main
    check_page(page, "signup_error")
