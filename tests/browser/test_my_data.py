"""A member takes their data, deletes their account and can no longer sign in; the
pages on the way and the statements pass axe-core and fit a 390 px phone."""

import json
from pathlib import Path

import pytest

from members.models import User
from tests.browser.axe import fits_phone, violations
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, UserFactory, make_forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_downloads_their_data_then_deletes_the_account(page, live_server):
    member = UserFactory(first_name="Ukko", last_name="Erasmus", email="ukko@example.fi")
    make_forum(coordinator=UserFactory(is_coordinator=True), members=[member], name="Foorumi U")
    sign_in(page, live_server, member.email, PASSWORD)

    page.goto(f"{live_server.url}/settings/email/")
    page.get_by_role("link", name="Omat tiedot").click()
    page.wait_for_url("**/settings/my-data/")
    assert page.get_by_role("heading", name="Omat tiedot", level=1).is_visible()
    assert violations(page) == []
    with page.expect_download() as download:
        page.locator("#my-data-download").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"][0]["email"] == "ukko@example.fi"
    assert [row["forum"] for row in data["memberships"]] == ["Foorumi U"]

    page.get_by_role("link", name="Poista tilisi").click()
    page.wait_for_url("**/settings/delete-account/")
    assert violations(page) == []
    page.get_by_label("Salasanasi").fill("väärä salasana")
    page.get_by_role("button", name="Poista tilini").click()
    assert page.get_by_text("Salasana ei ole oikein.", exact=True).is_visible()
    page.get_by_label("Salasanasi").fill(PASSWORD)
    page.get_by_role("button", name="Poista tilini").click()
    assert page.get_by_role("heading", name="Tilisi on poistettu").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "account_deleted.png"), full_page=True)

    assert not User.objects.filter(email="ukko@example.fi").exists()  # erased (eager task)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Sähköposti").fill("ukko@example.fi")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist, [role=alert]").first.is_visible()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_rights_pages_and_statements_pass_axe_and_fit_the_screen(browser, live_server, width):
    member = UserFactory()
    make_forum(coordinator=UserFactory(is_coordinator=True), members=[member])
    context = browser.new_context(locale="fi-FI", viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        # The check can fail: an image without a text alternative is caught.
        page.goto(f"{live_server.url}/privacy/")
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=/x.png>')")
        assert any(found.startswith("image-alt") for found in violations(page))
        for path in ("/privacy/", "/accessibility/"):
            page.goto(f"{live_server.url}{path}")
            assert violations(page) == [], path
            assert fits_phone(page), path
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = path.strip("/")
            page.screenshot(path=str(SCREENSHOTS / f"{name}_{width}.png"), full_page=True)
        sign_in(page, live_server, member.email, PASSWORD)
        for path in ("/settings/email/", "/settings/profile/", "/settings/my-data/",
                     "/settings/delete-account/"):  # fmt: skip
            page.goto(f"{live_server.url}{path}")
            assert violations(page) == [], path
            assert fits_phone(page), path
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "_")
            page.screenshot(path=str(SCREENSHOTS / f"{name}_{width}.png"), full_page=True)
    finally:
        context.close()
