"""The coordinator's to-do list leads to where each thing is done; a member votes for a
theme and the page keeps its place; the coordinator picks the member's proposal for one
meeting of a series, and the member sees it was chosen. Every page on the way fits a
390 px phone and a laptop, with no axe-core violations. In Finnish."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from sessions_app.meetings import services as meeting_services
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import Meeting, Theme
from sessions_app.polls import services as polls
from sessions_app.themes import services as themes
from tests.browser.axe import fits_phone, violations
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, make_forum, make_invitation, make_meeting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SIZES = ((1366, 900), (390, 844))
# The shared library, in case an earlier transactional test emptied the tables.
LIBRARY = [
    "Ajankäyttö ja priorisointi",
    "Muutoksen johtaminen",
    "Oma jaksaminen ja rajat",
    "Työkyvyn tukeminen",
    "Vaikeat keskustelut",
    "Yhteistyö muiden esihenkilöiden kanssa",
]


def check(page, name: str) -> None:
    """The page as it is now fits both widths, has no axe violations; screenshots."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert fits_phone(page), f"{name} is wider than {width} px"
        assert violations(page) == [], f"{name} at {width} px"
        page.screenshot(path=str(SHOTS / f"dashboard_themes_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def world():
    coordinator = UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)
    liisa = UserFactory(first_name="Liisa", last_name="Virtanen")
    mikko = UserFactory(first_name="Mikko", last_name="Korhonen")
    satu = UserFactory(first_name="Satu", last_name="Lehtonen")
    forum = make_forum(coordinator=coordinator, members=[liisa, mikko, satu], name="Kevätfoorumi")
    for title in LIBRARY:
        Theme.objects.get_or_create(forum=None, title_fi=title, defaults={"title_en": title})
    start = timezone.now().replace(microsecond=0) + timedelta(days=30)
    poll = polls.poll_create(
        forum=forum,
        actor=coordinator,
        title="Kesäkuun tapaaminen",
        slots=[Occurrence(start, start + timedelta(hours=2)),
               Occurrence(start + timedelta(days=1), start + timedelta(days=1, hours=2))],
    )  # fmt: skip
    polls.poll_answer(poll=poll, user=liisa, answers={poll.slots.first().pk: "yes"})
    past = make_meeting(forum, starts_at=timezone.now() - timedelta(days=3), theme="Menneet")
    make_invitation(forum, "uusi.jasen@example.fi", expires_at=timezone.now() + timedelta(days=3))
    first = timezone.now().replace(microsecond=0) + timedelta(days=40)
    series = meeting_services.meeting_schedule(
        forum=forum,
        actor=coordinator,
        occurrences=[Occurrence(first + timedelta(days=28 * n),
                                first + timedelta(days=28 * n, hours=3)) for n in range(3)],
        theme="Kuulumiset",
        rule="FREQ=MONTHLY;COUNT=3",
    )  # fmt: skip
    proposal = themes.theme_propose(forum=forum, user=liisa, title="Palautteen antaminen")
    return {"coordinator": coordinator, "liisa": liisa, "forum": forum, "poll": poll,
            "past": past, "series": series, "proposal": proposal}  # fmt: skip


def test_todo_links_vote_keeps_place_pick_and_the_proposer_sees_it(
    page, live_server, browser, world
):
    forum, base = world["forum"], live_server.url

    # The dashboard lists what waits, and each link leads where it is done.
    sign_in(page, live_server, world["coordinator"].email, PASSWORD)
    page.goto(f"{base}/")
    todo = page.locator("section", has=page.get_by_role("heading", name="Odottaa sinua"))
    text = todo.inner_text()
    assert "Kevätfoorumi" in text
    assert "2 jäsentä ei ole vielä vastannut kyselyyn ”Kesäkuun tapaaminen”" in text
    assert "Mikko Korhonen, Satu Lehtonen" in text
    assert "läsnäoloja ei ole kirjattu" in text
    assert "1 vastaamaton kutsu vanhenee" in text
    check(page, "dashboard")
    for link, path in (
        ("Avaa kysely", f"/polls/{world['poll'].pk}/"),
        ("Kirjaa läsnäolot", f"/meetings/{world['past'].pk}/attendance/"),
        ("Katso kutsut", f"/forums/{forum.pk}/invitations/"),
    ):
        todo.get_by_role("link", name=link).click()
        page.wait_for_url(f"{base}{path}")
        page.goto(f"{base}/")

    # Liisa votes for a theme far down the page: she is brought back to its card.
    liisa = browser.new_context(locale="fi-FI", viewport={"width": 390, "height": 844}).new_page()
    sign_in(liisa, live_server, world["liisa"].email, PASSWORD)
    themes_url = f"{base}/forums/{forum.pk}/themes/"
    liisa.goto(themes_url)
    check(liisa, "themes_member")
    liisa.set_viewport_size({"width": 390, "height": 844})
    target = Theme.objects.get(forum=None, title_fi=LIBRARY[-1])
    card = liisa.locator(f"#theme-{target.pk}")
    card.get_by_role("button", name="Äänestä").click()
    liisa.wait_for_url(f"{themes_url}#theme-{target.pk}")
    assert card.get_by_role("button", name="Peru ääneni").get_attribute("aria-pressed") == "true"
    assert liisa.evaluate("window.scrollY") > 0
    box = card.bounding_box()
    assert box["y"] < 844 and box["y"] + box["height"] > 0, "the voted card is in view"

    # The coordinator picks Liisa's proposal for the second meeting of the series.
    page.goto(themes_url)
    check(page, "themes_coordinator")
    proposal, second = world["proposal"], world["series"][1]
    page.locator(f"#theme-{proposal.pk}").get_by_role("link", name="Valitse tapaamiseen").click()
    page.wait_for_url(f"{base}/forums/{forum.pk}/themes/{proposal.pk}/pick/")
    assert page.locator("input[name=meeting]").count() == 3
    check(page, "theme_pick")
    page.locator(f"#meeting-{second.pk}").check()
    page.get_by_role("button", name="Valitse teema").click()
    page.wait_for_url(f"{themes_url}#theme-{proposal.pk}")
    day = timezone.localtime(second.starts_at)
    when = f"{day.day}.{day.month}.{day.year}"
    assert (
        f"Valittu tapaamisen {when} teemaksi" in page.locator(f"#theme-{proposal.pk}").inner_text()
    )
    picked = Meeting.objects.get(pk=second.pk)
    assert (picked.theme, picked.theme_source_id, picked.sequence) == (
        "Palautteen antaminen", proposal.pk, 1,
    )  # fmt: skip
    assert {m.theme for m in Meeting.objects.filter(series=second.series_id)} == {
        "Kuulumiset", "Palautteen antaminen",
    }  # fmt: skip

    # Liisa sees that her proposal was chosen.
    liisa.goto(themes_url)
    assert (
        f"Ehdotuksesi ”Palautteen antaminen” valittiin tapaamisen {when} teemaksi."
        in liisa.locator("main").inner_text()
    )
    check(liisa, "themes_member_chosen")
