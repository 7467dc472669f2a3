import re

import pytest
from django.core import mail

from forums.models import Forum
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_creates_forum_and_invitee_joins_through_the_emailed_link(
    page, live_server, browser
):
    OrganisationFactory(name="Esimerkki Oy")
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    outsider = UserFactory(first_name="Olli", last_name="Ulkopuolinen")

    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Perusta foorumi").first.click()
    page.get_by_label("Nimi").fill("Selaintestin foorumi")
    page.get_by_label("Esimerkki Oy").check()
    page.get_by_role("button", name="Perusta foorumi").click()
    page.get_by_label("Sähköpostiosoitteet").fill("uusi.jasen@example.fi")
    page.get_by_role("button", name="Lähetä kutsut").click()
    assert page.get_by_text("Kutsu lähetetty").first.is_visible()

    forum = Forum.objects.get(name="Selaintestin foorumi")
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/invitations/[0-9a-f]{64}/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1]

    invitee = browser.new_context(locale="fi-FI").new_page()
    invitee.goto(f"{live_server.url}{path}")
    invitee.get_by_role("link", name="Luo tili").click()
    assert invitee.locator("input[name=email]").input_value() == "uusi.jasen@example.fi"
    invitee.locator("input[name=first_name]").fill("Uusi")
    invitee.locator("input[name=last_name]").fill("Jäsen")
    invitee.locator("input[name=password1]").fill("Pitka-salasana-2026")
    invitee.locator("input[name=password2]").fill("Pitka-salasana-2026")
    invitee.locator("form button[type=submit]").last.click()
    invitee.wait_for_url(f"{live_server.url}/forums/{forum.pk}/agreement/")
    assert "Mitä foorumissa kerrotaan, jää foorumiin" in invitee.locator(".agreement").inner_text()
    invitee.get_by_role("button", name="Hyväksyn ryhmäsopimuksen").click()
    invitee.wait_for_url(f"{live_server.url}/forums/{forum.pk}/")
    assert invitee.get_by_role("heading", level=1).inner_text() == "Selaintestin foorumi"
    assert "Uusi Jäsen" in invitee.locator("main").inner_text()
    invitee.screenshot(path="test-artifacts/screenshots/invitee_sees_forum.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, outsider.email, PASSWORD)
    response = page.goto(f"{live_server.url}/forums/{forum.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sivua ei löytynyt"
