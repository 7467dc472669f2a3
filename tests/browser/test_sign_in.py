import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_signs_in_and_sees_the_dashboard(page, live_server):
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Koordinaattorin työpöytä"
    assert page.locator("main#main").count() == 1
    assert page.get_by_role("navigation", name="Päävalikko").is_visible()
    assert "Kirsi Ojala" in page.locator("header").inner_text()


def test_keyboard_user_can_skip_to_content(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Siirry sisältöön")
    assert skip.evaluate("element => element === document.activeElement")
