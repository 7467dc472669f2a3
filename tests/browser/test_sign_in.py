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


def submit(page):
    page.locator("main form button[type=submit]").first.click()


def test_coordinator_sets_up_totp_before_reaching_the_dashboard(page, live_server, settings):
    from allauth.mfa.models import Authenticator

    from tests.factories import totp_code

    settings.FOORUMIX_MFA_REQUIRED = True
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    sign_in(page, live_server, coordinator.email, PASSWORD)
    # Sent to set up TOTP; allauth asks for the password again first.
    page.wait_for_url(lambda url: "/accounts/reauthenticate/" in url)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert "Roolisi vuoksi" in page.locator("main").inner_text()
    assert page.get_by_role("img").first.is_visible()  # the QR code (a data: image, CSP allows)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    submit(page)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/recovery-codes/")
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Koordinaattorin työpöytä"


def test_coordinator_with_totp_signs_in_with_a_code(page, live_server, settings):
    from tests.factories import give_totp, totp_code

    settings.FOORUMIX_MFA_REQUIRED = True
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    secret = give_totp(coordinator)
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    page.locator("input[name=code]").fill(totp_code(secret))
    submit(page)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Koordinaattorin työpöytä"


def test_admin_login_is_the_same_sign_in_page(page, live_server):
    admin = UserFactory(is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    page.get_by_label("Sähköposti").fill(admin.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").is_visible()
