"""The site-wide crawl: every page each persona reaches fits a phone (390×844) and a
laptop (1366×900) without sideways scrolling and has no axe-core WCAG 2.1 A/AA violation.

Pages are found by following links (and GET forms as they stand) breadth-first from the
persona's start page, plus every parameterless GET URL of the URL configuration, so pages
others add are checked without this file knowing them. Downloads, feeds and signing out
are not followed; a linked page answering 4xx/5xx is a failure too. All failures are
reported together as "page — persona — width — rule".
"""

import io
import os
import re
from collections import Counter, deque
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from forums.models import Forum
from members.models import User
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import PULSE_QUESTION_NAMES
from sessions_app.polls.services import poll_create
from sessions_app.pulse import services as pulse
from sessions_app.themes.services import theme_propose
from tests.browser.axe import fits_phone, focused, overflowing, violations
from tests.browser.conftest import SCREENSHOTS
from tests.browser.conftest import sign_in as sign_in_with_password
from tests.factories import (
    PASSWORD,
    UserFactory,
    give_totp,
    make_forum,
    make_held_meeting,
    make_invitation,
    make_meeting,
    totp_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Foorumix-demo-2026"
WIDTHS = {1366: {"width": 1366, "height": 900}, 390: {"width": 390, "height": 844}}
# Not pages, or not ours to check: downloads, feeds, what live pages poll, signing out,
# and the admin's script catalogue.
NOT_PAGES = re.compile(
    r"logout|download|\.ics$|\.csv$|\.json$|/live/state/|^/admin/jsi18n|^/healthz|^/static/"
)
PER_ROUTE = 3  # pages checked per URL pattern and persona: three meetings, three notes…
MAX_PAGES = 250  # per persona; the crawl fails if it has pages left at this bound
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "every-page.txt"
# While fixing: FOORUMIX_CRAWL_SHOTS=<folder> keeps a 390 px screenshot of every page,
# FOORUMIX_CRAWL_ONLY=hr,member crawls only those personas.
SHOTS = Path(os.environ["FOORUMIX_CRAWL_SHOTS"]) if os.environ.get("FOORUMIX_CRAWL_SHOTS") else None


def parameterless_get_paths() -> list[str]:
    """Every URL of the configuration that takes no parameter (the site's fixed pages);
    ones that only take POST answer 405 and drop out like pages the persona may not see."""
    paths = []

    def walk(patterns, prefix):
        for entry in patterns:
            if not isinstance(entry.pattern, RoutePattern) or entry.pattern.converters:
                continue
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                paths.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(p for p in set(paths) if not NOT_PAGES.search(p))


def route_of(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


class Crawl:
    """One persona's walk through the site in one browser page."""

    def __init__(self, page, base: str, persona: str, failures: list[str]):
        self.page, self.base, self.persona, self.failures = page, base, persona, failures
        self.visited: list[str] = []
        self.error, self.shots = "", SHOTS

    def fail(self, path: str, width: int | str, rule: str) -> None:
        self.failures.append(f"{path} — {self.persona} — {width} — {rule}")

    def check(self, path: str) -> None:
        """Both widths, one axe run each; the page is left at the laptop width."""
        for width in (390, 1366):
            self.page.set_viewport_size(WIDTHS[width])
            if not fits_phone(self.page):
                self.fail(path, width, f"scrolls sideways: {overflowing(self.page)}")
            for violation in violations(self.page):
                self.fail(path, width, violation)
            if width == 390 and self.shots:
                self.shots.mkdir(parents=True, exist_ok=True)
                name = f"{self.persona}-{re.sub(r'[^a-z0-9]+', '-', path.lower())}.png"
                self.page.screenshot(path=str(self.shots / name), full_page=True)

    def open(self, path: str) -> int | None:
        """Goes to `path`; the HTTP status, or None for what is not an HTML page. An
        error answer without a body (405 to GET) does not load at all: 599 then."""
        try:
            response = self.page.goto(self.base + path)
        except PlaywrightError as error:
            self.error = str(error).splitlines()[0]
            # Chrome then shows its error page: let that navigation end before the next.
            self.page.wait_for_timeout(500)
            return 599
        if response is None or "text/html" not in (response.header_value("content-type") or ""):
            return None
        return response.status

    def here(self) -> str:
        url = urlsplit(self.page.url)
        return url.path + (f"?{url.query}" if url.query else "")

    def links(self) -> list[str]:
        """Links and GET forms (submitted as they stand) of the current page, same origin."""
        hrefs = self.page.evaluate(
            """() => [
              ...[...document.querySelectorAll('a[href]')].map(a => a.href),
              ...[...document.querySelectorAll('form')]
                .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'get')
                .map(f => { const u = new URL(f.action);
                            u.search = new URLSearchParams(new FormData(f)).toString();
                            return u.href; }),
            ]"""
        )
        found = []
        for href in hrefs:
            url = urlsplit(href)
            if f"{url.scheme}://{url.netloc}" != self.base:
                continue
            path = url.path + (f"?{url.query}" if url.query else "")
            if not NOT_PAGES.search(url.path):
                found.append(path)
        return found

    def run(self, starts: list[str], seeds: list[str] = ()) -> None:
        """Breadth-first from `starts`; `seeds` are tried last and count only when the
        persona may open them (2xx), while a page that is linked and fails is reported."""
        queue = deque([*starts, *seeds])
        queued, linked = set(queue), set(starts)
        per_route = Counter(route_of(path) for path in starts)
        done, landed_routes = set(), Counter()
        while queue and len(self.visited) < MAX_PAGES:
            path = queue.popleft()
            if path not in linked and not self.page.request.get(self.base + path).ok:
                continue  # a fixed page this persona may not open, or POST only
            status = self.open(path)
            if status is not None and status >= 400:
                if path in linked or 500 <= status < 599:
                    self.fail(path, "-", f"answers {status} {self.error if status == 599 else ''}")
                continue
            landed = self.here()
            # The same page whatever "next" says (sign-in, re-authentication).
            page_key = re.sub(r"[?&]next=[^&]*", "", landed)
            if status is None or page_key in done:
                continue
            done.add(page_key)
            # Redirects (to sign-in, to re-authentication) land many links on one page.
            landed_routes[route_of(landed)] += 1
            if landed_routes[route_of(landed)] > PER_ROUTE:
                continue
            self.visited.append(landed)
            self.check(landed)
            for link in self.links():
                linked.add(link)
                route = route_of(link)
                if link not in queued and per_route[route] < PER_ROUTE:
                    queued.add(link)
                    per_route[route] += 1
                    queue.append(link)
        if queue:
            self.fail(self.here(), "-", f"crawl stopped at {MAX_PAGES} pages")


def build_world() -> dict:
    """The demo world (seed_demo's data) plus what it lacks: a meeting on now, an open
    poll, a proposed theme, pulse links (open, answered, closed), an invitation link."""
    debug, django_settings.DEBUG = django_settings.DEBUG, True  # seed_demo needs DEBUG
    try:
        call_command("seed_demo", stdout=io.StringIO())
    finally:
        django_settings.DEBUG = debug
    users = {u.email.split("@")[0]: u for u in User.objects.all()}
    forum = Forum.objects.get(memberships__user=users["member01"])
    members = [m.user for m in forum.memberships.active().select_related("user")]
    make_meeting(forum, starts_at=timezone.now() - timedelta(minutes=20), theme="Nyt käynnissä")
    soon = timezone.now().replace(microsecond=0) + timedelta(days=20)
    poll_create(
        forum=forum,
        actor=users["coordinator1"],
        title="Toukokuun tapaaminen",
        slots=[
            Occurrence(soon + timedelta(days=d), soon + timedelta(days=d, hours=3)) for d in (0, 1)
        ],
    )
    theme_propose(forum=forum, user=users["member02"], title="Palautteen antaminen")
    held = make_held_meeting(forum, attendees=members, days_ago=1)
    receipts = {r.user.email.split("@")[0]: r for r in pulse.pulse_receipts_create(held)}
    pulse.pulse_answer(receipt=receipts["member02"], scores=dict.fromkeys(PULSE_QUESTION_NAMES, 3))
    closed = make_held_meeting(forum, attendees=members[:1], days_ago=pulse.PULSE_OPEN_DAYS + 5)
    _invitation, token = make_invitation(forum, "kutsuttu@example.fi", actor=users["coordinator1"])
    return {
        "users": users,
        "held": held,
        "invitation": token,
        "pulse": receipts,
        "closed_pulse": pulse.pulse_receipts_create(closed)[0],
    }


def sign_in(page, base: str, user, secret: str | None, crawl: Crawl) -> None:
    """Password, then (for roles that need it) the authenticator code; the code page is
    checked on the way."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Sähköposti").fill(user.email)
    page.get_by_label("Salasana").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        crawl.check(crawl.here())
        crawl.visited.append(crawl.here())
        page.locator("input[name=code]").fill(totp_code(secret))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)


def personas(world) -> list[tuple[str, str | None, str, list[str]]]:
    """(persona, demo user or None, start page, special pages). Special pages are reached
    by a link in an email or a wrong address, not by a link on the site, and may answer
    403/404/410 on purpose: they are checked, not followed."""
    receipts, meeting, bad_token = world["pulse"], world["held"], "0" * 64
    signed_out = [
        f"/pulse/{receipts['member01'].token()}/",  # the pulse to answer
        f"/pulse/{receipts['member02'].token()}/",  # answered already
        f"/pulse/{world['closed_pulse'].token()}/",  # closed (410)
        *(f"/pulse/{bad_token}/", f"/invitations/{bad_token}/", "/no-such-page/"),  # 404
    ]
    return [
        ("anonymous", None, "/", signed_out),
        ("invitee", None, f"/invitations/{world['invitation']}/", []),
        ("member", "member01", "/", ["/forums/new/", f"/meetings/{meeting.pk}/notes/edit/"]),
        ("coordinator", "coordinator1", "/", ["/meetings/999999/"]),
        ("hr", "hr1", "/", []),
        ("admin", "admin", "/", []),
    ]


def test_every_page_fits_a_phone_and_passes_axe(browser, live_server, settings):
    settings.FOORUMIX_MFA_REQUIRED = True
    world = build_world()
    secrets = {name: give_totp(world["users"][name]) for name in ("coordinator1", "hr1", "admin")}
    seeds = parameterless_get_paths()
    failures: list[str] = []
    report = []
    only = os.environ.get("FOORUMIX_CRAWL_ONLY")
    for persona, user_key, start, specials in personas(world):
        if only and persona not in only.split(","):
            continue
        context = browser.new_context(locale="fi-FI", viewport=WIDTHS[1366])
        page = context.new_page()
        page.set_default_timeout(15_000)
        crawl = Crawl(page, live_server.url, persona, failures)
        if user_key:
            sign_in(page, live_server.url, world["users"][user_key], secrets.get(user_key), crawl)
        for path in specials:
            crawl.open(path)
            crawl.visited.append(crawl.here())
            crawl.check(crawl.here())
        if persona == "anonymous":  # the server error page, as its handler renders it
            page.set_content(render_to_string("500.html"))
            crawl.visited.append("(500.html)")
            crawl.check("(500.html)")
        crawl.run([start], seeds)
        report.append(f"{persona}: {len(crawl.visited)} pages\n  " + "\n  ".join(crawl.visited))
        context.close()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(report) + "\n\nFailures:\n" + "\n".join(failures) + "\n")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def phone_shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(WIDTHS[390])
    page.screenshot(path=str(SCREENSHOTS / f"{name}_390.png"), full_page=True)
    page.set_viewport_size(WIDTHS[1366])


def member_page(browser, live_server) -> tuple:
    """A member of a forum with a held meeting (so a pulse to answer), signed in."""
    member = UserFactory(first_name="Liisa", last_name="Virtanen")
    forum = make_forum(coordinator=UserFactory(is_coordinator=True), members=[member])
    held = make_held_meeting(forum, attendees=[member], days_ago=1)
    context = browser.new_context(locale="fi-FI", viewport=WIDTHS[1366])
    page = context.new_page()
    sign_in_with_password(page, live_server, member.email, PASSWORD)
    return member, pulse.pulse_receipts_create(held)[0], page


def test_after_saving_the_message_is_focused_and_a_form_error_focuses_a_summary(
    browser, live_server
):
    """The message after saving is focused (so it is read out); after a form error a
    summary of the errors is focused and links to the field."""
    member, _receipt, page = member_page(browser, live_server)
    failures: list[str] = []
    crawl = Crawl(page, live_server.url, "member", failures)

    page.goto(f"{live_server.url}/settings/email/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert focused(page) == "div.messages"
    assert page.locator(".messages").get_attribute("role") == "status"
    assert page.locator(".messages .message-success").count() == 1
    crawl.check("/settings/email/ (saved)")
    phone_shot(page, "every_page_message")

    # A Foorumix form: the wrong password to delete the account.
    page.goto(f"{live_server.url}/settings/delete-account/")
    page.locator("input[name=password]").fill("väärä salasana")
    page.locator("#delete-account-form button[type=submit]").click()
    page.wait_for_load_state()
    assert focused(page) == "div#error-summary.error-summary"
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.get_by_role("heading").inner_text() == "Tarkista seuraavat kohdat"
    crawl.check("/settings/delete-account/ (form error)")
    phone_shot(page, "every_page_error_summary")
    summary.get_by_role("link").first.click()
    assert focused(page) == "input#id_password"
    assert User.objects.filter(pk=member.pk).exists()
    page.context.close()
    assert not failures, "\n".join(failures)


def test_error_summaries_of_the_pulse_second_factor_and_sign_in_keep_what_was_typed(
    browser, live_server
):
    member, receipt, page = member_page(browser, live_server)
    failures: list[str] = []
    crawl = Crawl(page, live_server.url, "member", failures)

    # Errors without Django's error lists: the pulse sent with no answers.
    page.goto(f"{live_server.url}/pulse/{receipt.token()}/")
    page.locator("#pulse-form button[type=submit]").click()
    page.wait_for_load_state()
    assert focused(page) == "div#error-summary.error-summary"
    assert page.locator("#error-summary").get_by_role("link").count() == 4  # the questions
    crawl.check("/pulse/<token>/ (form error)")
    phone_shot(page, "every_page_pulse_error_summary")

    # Setting up the second factor (templates/mfa/), after the password again.
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    crawl.check("/accounts/2fa/totp/activate/")
    page.locator("input[name=code]").fill("000000")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert focused(page) == "div#error-summary.error-summary"
    assert page.locator("input[name=code]").input_value() == "000000"
    crawl.check("/accounts/2fa/totp/activate/ (form error)")
    phone_shot(page, "every_page_totp_error_summary")

    # allauth's sign-in form, signed out.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Sähköposti").fill(member.email)
    page.get_by_label("Salasana").fill("väärä salasana")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_load_state()
    assert focused(page) == "div#error-summary.error-summary"
    assert page.get_by_label("Sähköposti").input_value() == member.email
    crawl.check("/accounts/login/ (form error)")
    phone_shot(page, "every_page_sign_in_error_summary")
    page.context.close()
    assert not failures, "\n".join(failures)
