import codecs
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from sessions_app.hr import export
from sessions_app.models import PULSE_QUESTION_NAMES, ForumPulseAnswer
from sessions_app.pulse import services as pulse
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_held_meeting
from tests.sessions_app.hr.test_report import YEAR
from tests.sessions_app.hr.test_views import build_world, forbidden

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_sees_the_chart_and_table_and_downloads_the_same_figures(page, live_server):
    world = build_world()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_server, world["hr"].email, PASSWORD)
    page.locator("#participation-link").click()
    page.select_option("#id_year", str(YEAR))
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_url(f"**/hr/participation/?year={YEAR}*")

    chart = page.locator("svg#participation-chart")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert page.locator("#chart-table").is_visible()
    assert page.locator("#participation-table").is_visible()
    total_january = page.locator(
        f'tr[data-row="total"][data-period="{YEAR}-01"] td[data-figure="enrolled"]'
    )
    assert total_january.get_attribute("data-value") == "16"
    small_unit = world["units"]["Talous"]
    hidden = page.locator(
        f'tr[data-row="unit-{small_unit.pk}"][data-period="{YEAR}-01"] '
        'td[data-figure="participants"]'
    )
    assert hidden.get_attribute("data-value") == "hidden"
    assert hidden.locator("span[aria-hidden=true]").inner_text() == "< 5"
    page.screenshot(path=str(SCREENSHOTS / "hr_report_month.png"), full_page=True)

    page.select_option("#id_period", "quarter")
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_url("**period=quarter*")
    with page.expect_download() as download:
        page.locator("#csv-link").click()
    # Finnish for Excel: a Finnish name, a byte-order mark and ";" (sessions_app/hr/export.py).
    assert download.value.suggested_filename == f"osallistuminen-{YEAR}-neljännesvuosittain.csv"
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(codecs.BOM_UTF8) and b";" in content.split(b"\n", 1)[0]
    downloaded = content.decode("utf-8-sig")
    rows = export.csv_read(content)
    assert len(rows) == 4 * 4
    compared = 0
    for row in rows:
        if row["level"] != "total":
            continue
        for figure in ("enrolled", "participants", "meetings_attended", "pulse_answers"):
            on_page = page.locator(
                f'tr[data-row="total"][data-period="{row["period"]}"] td[data-figure="{figure}"]'
            ).get_attribute("data-value")
            if on_page == "hidden":
                assert row[figure] in ("<5", "..")
            else:
                assert row[figure] == on_page
                compared += 1
    assert compared > 0
    text = page.content() + downloaded
    for word in forbidden(world):
        assert word not in text


def test_a_member_answers_the_pulse_from_the_link_once(page, live_server):
    coordinator = UserFactory(is_coordinator=True)
    member = UserFactory()
    forum = make_forum(coordinator=coordinator, members=[member], name="Pulssifoorumi")
    (receipt,) = pulse.pulse_receipts_create(
        make_held_meeting(forum, attendees=[member], days_ago=2)
    )
    url = f"{live_server.url}/pulse/{receipt.token()}/"

    page.goto(url)
    assert page.locator("#pulse-form fieldset").count() == 4
    page.screenshot(path=str(SCREENSHOTS / "pulse_form.png"), full_page=True)
    for question, score in zip(PULSE_QUESTION_NAMES, (4, 5, 3, 4), strict=True):
        page.locator(f"#question-{question} input[value='{score}']").check()
    page.locator("#pulse-form button[type=submit]").click()
    page.wait_for_selector("#pulse-answered")

    # The answer waits, encrypted, until its batch is complete; then it is counted.
    assert ForumPulseAnswer.objects.count() == 0
    pulse.pulse_answers_release(today=timezone.localdate() + timedelta(days=60))
    assert ForumPulseAnswer.objects.count() == 1
    page.goto(url)
    assert page.locator("#pulse-answered").is_visible()
