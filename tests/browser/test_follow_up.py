"""Following up before a meeting, in Finnish: a member says she cannot come and leaves a
note; the coordinator who asked for it gets a notice (without the note), sends the one
reminder to those who have not answered, and the member's home leads with the next
meeting and the poll waiting for an answer. Every page on the way fits a phone and
passes axe-core."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from foorumix import outbox
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import OutboxMessage, Participation
from sessions_app.polls import services as polls
from tests.browser.axe import fits_phone, violations
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/notes/shots/meetings")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# Long unbroken addresses too: a phone must wrap them, not scroll sideways.
LONG = "https://example.fi/hyvin/pitka/osoite/joka/ei/katkea/mitenkaan/ollenkaan/loppuun"
NOTE = f"KIRAHVI-SYY: lapsen leikkaus, ks. {LONG}"


def check(page, name: str) -> None:
    """The page as it is now fits a phone and passes axe-core, at both sizes."""
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        assert fits_phone(page), (name, size)
        assert violations(page) == [], (name, size)
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])


def new_page(browser, live_server, user):
    page = browser.new_context(locale="fi-FI", viewport=VIEWPORTS["desktop"]).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, user.email, PASSWORD)
    return page


def test_decline_notice_reminder_and_a_home_that_leads(page, live_server, browser):
    coordinator = UserFactory(
        first_name="Kirsi", last_name="Ojala", is_coordinator=True, email_declines=True
    )
    liisa = UserFactory(first_name="Liisa", last_name="Virtanen")
    mikko = UserFactory(first_name="Mikko", last_name="Korhonen")
    forum = make_forum(coordinator=coordinator, members=[liisa, mikko], name="Kevätfoorumi")
    meeting = make_meeting(forum, place="SAMK, Pori", theme="Muutoksen johtaminen")
    start = timezone.now() + timedelta(days=40)
    poll = polls.poll_create(
        forum=forum, actor=coordinator, title="Toukokuun tapaaminen",
        slots=[Occurrence(start, start + timedelta(hours=2)),
               Occurrence(start + timedelta(days=1), start + timedelta(days=1, hours=2))],
    )  # fmt: skip
    meeting_url = f"{live_server.url}/meetings/{meeting.pk}/"

    # Liisa cannot come and leaves a note to the coordinator.
    sign_in(page, live_server, liisa.email, PASSWORD)
    page.goto(meeting_url)
    assert page.get_by_role("link", name="Valmistaudu tapaamiseen").is_visible()
    page.get_by_label("En tule").check()
    page.get_by_label("Viesti koordinaattorille").fill(NOTE)
    page.get_by_role("button", name="Tallenna vastaukseni").click()
    page.wait_for_url(f"{meeting_url}#rsvp")
    assert "Vastauksesi tallennettiin." in page.locator("main").inner_text()
    assert page.locator("#my-answer").inner_text() == "Vastauksesi: En tule"
    assert Participation.objects.get(meeting=meeting, user=liisa).rsvp == "no"
    check(page, "meeting-member")
    page.goto(f"{meeting_url}preparation/")
    page.get_by_label("Mitä minulle kuuluu").fill(f"OMA-VALMISTAUTUMINEN kiireinen kevät {LONG}")
    check(page, "preparation")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(meeting_url)
    assert "OMA-VALMISTAUTUMINEN" in page.locator("#preparation").inner_text()
    check(page, "meeting-member-prepared")

    # The coordinator gets the notice: who and which meeting, never the note.
    notice = OutboxMessage.objects.get(kind="rsvp_declined")
    assert notice.recipient_email == coordinator.email
    outbox.sweep()
    (email,) = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "Liisa Virtanen" in email.body
    assert "KIRAHVI" not in email.body + email.alternatives[0][0] + email.subject

    # The coordinator reads the note on the meeting page and reminds Mikko.
    coordinator_page = new_page(browser, live_server, coordinator)
    coordinator_page.goto(meeting_url)
    answers = coordinator_page.locator("#answers")
    assert "Ei vastausta (1)" in answers.inner_text()
    assert NOTE in answers.inner_text()
    check(coordinator_page, "meeting-coordinator")
    coordinator_page.get_by_role(
        "button", name="Lähetä muistutus 1 jäsenelle, joka ei ole vastannut"
    ).click()
    coordinator_page.wait_for_url(f"{meeting_url}#answers")
    assert "Muistutus lähetettiin" in coordinator_page.locator("#nudge-sent").inner_text()
    assert set(
        OutboxMessage.objects.filter(kind="meeting_nudge").values_list("recipient_email", flat=True)
    ) == {mikko.email}
    check(coordinator_page, "meeting-coordinator-reminded")
    coordinator_page.goto(f"{live_server.url}/settings/email/")
    assert coordinator_page.get_by_label(
        "Kun jäsen ei pääse tapaamiseen ja jättää minulle viestin"
    ).is_checked()
    check(coordinator_page, "email-settings-coordinator")

    # Mikko's home leads with the next meeting and the poll waiting for him.
    mikko_page = new_page(browser, live_server, mikko)
    mikko_page.goto(f"{live_server.url}/")
    lead = mikko_page.locator("#next-meeting")
    assert "Muutoksen johtaminen" in lead.inner_text()
    assert lead.get_by_role("button", name="Tulen").is_visible()
    polls_card = mikko_page.get_by_role("region", name="Aikakyselyt, jotka odottavat vastaustasi")
    assert polls_card.get_by_role("link", name="Toukokuun tapaaminen").get_attribute("href") == (
        f"/polls/{poll.pk}/"
    )
    assert "OMA-VALMISTAUTUMINEN" not in mikko_page.content()
    check(mikko_page, "home-member")
    lead.get_by_role("button", name="Tulen").click()
    mikko_page.wait_for_url(f"{meeting_url}#rsvp")
    mikko_page.goto(f"{live_server.url}/")
    assert "Vastauksesi: Tulen" in mikko_page.locator("#next-meeting").inner_text()
    check(mikko_page, "home-member-answered")
