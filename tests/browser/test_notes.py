"""The coordinator writes anonymised notes in the browser; members read them."""

import pytest

from sessions_app.models import NoteRead, SessionNote
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_held_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_replaces_findings_saves_and_members_read_while_others_get_404(
    page, live_server, browser
):
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    member = UserFactory(first_name="Liisa", last_name="Virtanen")
    forum = make_forum(coordinator=coordinator, members=[member], name="Foorumi A")
    stranger = UserFactory(first_name="Salainen", last_name="Jäsen")
    make_forum(
        coordinator=UserFactory(
            first_name="Toinen", last_name="Koordinaattori", is_coordinator=True
        ),
        members=[stranger],
        name="Foorumi B",
    )
    meeting = make_held_meeting(forum, attendees=[member], theme="Muutoksen johtaminen")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/forums/{forum.pk}/notes/")
    page.locator(f"tr[data-meeting='{meeting.pk}'] a.write-notes").click()
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/notes/edit/")
    page.locator("textarea[name=text]").fill(
        "Liisalle soitettiin numeroon 040 123 4567, ja hän kertoi tiimin muutoksesta.\n\n"
        "Ryhmä sopi kokeilevansa viikoittaista lyhyttä tilannekatsausta."
    )
    page.locator("#check-notes").click()
    preview = page.locator("#note-preview")
    assert preview.locator("mark.finding-member").inner_text() == "Liisalle"
    assert preview.locator("mark.finding-phone").inner_text() == "040 123 4567"
    assert page.locator("#open-findings li").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "notes_editor_findings.png"), full_page=True)

    # Saving now is refused by the server, and the text stays in the box.
    page.locator("#save-notes").click()
    assert page.locator("#note-notice").is_visible()
    assert "Liisalle" in page.locator("textarea[name=text]").input_value()
    assert SessionNote.objects.count() == 0

    page.locator("#finding-item-1 .replace-finding").click()
    assert page.locator("#open-findings li").count() == 1
    page.locator("#open-findings .replace-finding").click()
    assert page.locator("#review-clean").is_visible()
    assert (
        page.locator("textarea[name=text]")
        .input_value()
        .startswith("[jäsen] soitettiin numeroon [puhelin], ja hän kertoi")
    )
    page.screenshot(path=str(SCREENSHOTS / "notes_editor_clean.png"), full_page=True)
    page.locator("#save-notes").click()
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/notes/")
    assert "[jäsen] soitettiin numeroon [puhelin]" in page.locator("#note-body").inner_text()

    reader = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    member_page = reader.new_page()
    sign_in(member_page, live_server, member.email, PASSWORD)
    response = member_page.goto(f"{live_server.url}/meetings/{meeting.pk}/notes/")
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    assert "[puhelin]" in member_page.locator("#note-body").inner_text()
    assert "Liisa Virtanen" in member_page.locator("#note-readers").inner_text()
    assert member_page.locator("#edit-notes").count() == 0
    member_page.screenshot(path=str(SCREENSHOTS / "notes_member_reads.png"), full_page=True)
    reader.close()
    assert set(NoteRead.objects.values_list("reader", flat=True)) == {coordinator.pk, member.pk}

    page.context.clear_cookies()
    sign_in(page, live_server, stranger.email, PASSWORD)
    response = page.goto(f"{live_server.url}/meetings/{meeting.pk}/notes/")
    assert response.status == 404
    assert "[puhelin]" not in page.content()
    assert page.goto(f"{live_server.url}/meetings/{meeting.pk}/notes/edit/").status == 404
