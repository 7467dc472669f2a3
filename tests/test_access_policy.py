"""Every URL pattern is classified here; an unclassified URL fails the suite.

The table says who may reach each named URL. The checks below then prove the
classification: anonymous visitors are sent to login, outsiders and HR get 404 on
object URLs, HR-only pages are 404 for everyone else.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = "public"  # anyone, signed in or not
LOGIN = "login"  # any signed-in user; anonymous visitors go to the login page
HR = "hr"  # HR viewers only; everyone else gets 404
ALLAUTH = "allauth"  # allauth's account pages, with allauth's own rules
ADMIN = "admin"  # Django admin: staff only, login page for the rest
COORDINATOR = "coordinator"  # users with the coordinator role; others 403
FORUM_MEMBER = "forum-member"  # a forum's members and coordinators; outsiders and HR 404
FORUM_COORDINATOR = "forum-coordinator"  # a forum's coordinators; members 403, others 404
TOKEN = "token"  # anyone holding a valid secret token; a bad token gets a clear 404

ACCESS: dict[str, str] = {
    "home": LOGIN,
    "hr:participation": HR,
    "hr:participation_csv": HR,
    "pulse:answer": TOKEN,
    "pulse:forum_results": FORUM_COORDINATOR,
    "set_language": PUBLIC,
    "notification_settings": LOGIN,
    "profile": LOGIN,
    "my_data": LOGIN,
    "my_data_download": LOGIN,
    "delete_account": LOGIN,
    "privacy_notice": PUBLIC,
    "accessibility_statement": PUBLIC,
    "healthz": PUBLIC,
    "invitation": TOKEN,
    "forums:create": COORDINATOR,
    "forums:detail": FORUM_MEMBER,
    "forums:agreement": FORUM_MEMBER,
    "forums:leave": FORUM_MEMBER,
    "forums:edit": FORUM_COORDINATOR,
    "forums:agreement_edit": FORUM_COORDINATOR,
    "forums:invitations": FORUM_COORDINATOR,
    "forums:invitation_resend": FORUM_COORDINATOR,
    "forums:invitation_revoke": FORUM_COORDINATOR,
    "forums:member_remove": FORUM_COORDINATOR,
    "forums:audit": FORUM_COORDINATOR,
    "meetings:list": LOGIN,
    "meetings:calendar": LOGIN,
    "meetings:feed": TOKEN,
    "meetings:schedule": FORUM_COORDINATOR,
    "meetings:poll_create": FORUM_COORDINATOR,
    "meetings:poll_pick": FORUM_COORDINATOR,
    "meetings:edit": FORUM_COORDINATOR,
    "meetings:cancel": FORUM_COORDINATOR,
    "meetings:attendance": FORUM_COORDINATOR,
    "meetings:themes": FORUM_MEMBER,
    "meetings:theme_vote": FORUM_MEMBER,
    "meetings:theme_pick": FORUM_COORDINATOR,
    "meetings:nudge": FORUM_COORDINATOR,
    "meetings:poll": FORUM_MEMBER,
    "meetings:detail": FORUM_MEMBER,
    "meetings:rsvp": FORUM_MEMBER,
    "meetings:preparation": FORUM_MEMBER,
    "meetings:ics": FORUM_MEMBER,
    "notes:forum_notes": FORUM_MEMBER,
    "notes:meeting_notes": FORUM_MEMBER,
    # Also the meeting's note-taker (a member); see tests/sessions_app/notes/test_notes.py.
    "notes:meeting_notes_edit": FORUM_COORDINATOR,
    "live:room": FORUM_MEMBER,
    "live:state": FORUM_MEMBER,
    # Members only (a coordinator who is not a member gets 403): tests/sessions_app/live.
    "live:notepad": FORUM_MEMBER,
    "live:commitment": FORUM_MEMBER,
    "live:commitment_outcome": FORUM_MEMBER,
    "live:facilitate": FORUM_COORDINATOR,
    "live:screen": FORUM_COORDINATOR,
    "live:control": FORUM_COORDINATOR,
    "live:order_mode": FORUM_COORDINATOR,
    "live:presence": FORUM_COORDINATOR,
    "live:meeting_plan": FORUM_COORDINATOR,
    "live:forum_plan": FORUM_COORDINATOR,
}

# Whole namespaces or name prefixes owned by a library with its own access rules.
PREFIXES = {"admin:": ADMIN, "account_": ALLAUTH, "mfa_": ALLAUTH}


def all_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def classify(name: str) -> str | None:
    if name in ACCESS:
        return ACCESS[name]
    for prefix, policy in PREFIXES.items():
        if name.startswith(prefix):
            return policy
    return None


def test_every_url_pattern_is_classified():
    unclassified = sorted({name for name in all_patterns() if classify(name) is None})
    assert unclassified == [], f"Add these URLs to ACCESS in {__file__}: {unclassified}"


def test_access_table_names_only_existing_urls():
    existing = set(all_patterns())
    assert sorted(set(ACCESS) - existing) == []


def plain_urls(policy: str) -> list[str]:
    """Reversible URLs without arguments for a policy."""
    return object_urls({}, policy)


@pytest.fixture
def world(forum, member, coordinator):
    """Objects for every URL argument: a forum with a member, an invitation, a held
    meeting, a poll, a theme."""
    from datetime import timedelta

    from django.utils import timezone

    from forums.models import Membership
    from sessions_app.meetings.scheduling import Occurrence
    from sessions_app.models import Theme
    from sessions_app.polls import services as planning
    from tests.factories import make_held_meeting, make_invitation

    invitation, token = make_invitation(forum, "kutsuttu@example.fi")
    meeting = make_held_meeting(forum, attendees=[member])
    start = timezone.now() + timedelta(days=9)
    poll = planning.poll_create(
        forum=forum,
        actor=coordinator,
        title="Aika",
        slots=[
            Occurrence(start, start + timedelta(hours=2)),
            Occurrence(start + timedelta(days=1), start + timedelta(days=1, hours=2)),
        ],
    )
    return {
        "forum_id": forum.pk,
        "invitation_id": invitation.pk,
        "membership_id": Membership.objects.get(forum=forum, user=member).pk,
        "token": token,
        "meeting_id": meeting.pk,
        "poll_id": poll.pk,
        "slot_id": poll.slots.first().pk,
        "theme_id": Theme.objects.filter(forum__isnull=True).first().pk,
    }


def object_urls(world: dict, *policies: str) -> list[str]:
    """Every URL of the given policies, reversed with the world's objects."""
    from django.urls import NoReverseMatch

    urls = []
    for name, policy in ACCESS.items():
        if policy not in policies:
            continue
        for candidate in _kwarg_sets(world):
            try:
                urls.append(reverse(name, kwargs=candidate))
                break
            except NoReverseMatch:
                continue
    return urls


def _kwarg_sets(world: dict):
    keys = ["forum_id", "meeting_id", "poll_id", "token", "invitation_id", "membership_id",
            "slot_id", "theme_id"]  # fmt: skip
    from itertools import combinations

    for size in range(3):
        for combo in combinations(keys, size):
            yield {key: world[key] for key in combo}


@pytest.mark.django_db
def test_object_urls_send_anonymous_visitors_to_login(client, world):
    for url in object_urls(world, FORUM_MEMBER, FORUM_COORDINATOR, COORDINATOR):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/accounts/login/"), url


@pytest.mark.django_db
def test_outsiders_and_hr_get_404_on_every_forum_url(client, world, outsider, hr_viewer):
    urls = object_urls(world, FORUM_MEMBER, FORUM_COORDINATOR)
    assert len(urls) == sum(1 for p in ACCESS.values() if p in (FORUM_MEMBER, FORUM_COORDINATOR))
    for person in (outsider, hr_viewer):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
            assert client.post(url).status_code == 404, (person, url)


@pytest.mark.django_db
def test_members_get_403_on_coordinator_urls(client, world, member):
    client.force_login(member)
    for url in object_urls(world, FORUM_COORDINATOR):
        assert client.post(url).status_code == 403, url


@pytest.mark.django_db
def test_members_reach_member_urls(client, world, member):
    client.force_login(member)
    for url in object_urls(world, FORUM_MEMBER):
        # 405: a POST-only action, reached only after the access check passed.
        assert client.get(url).status_code in (200, 405), url


@pytest.mark.django_db
def test_token_urls_answer_a_bad_token_with_404(client, world):
    for name, policy in ACCESS.items():
        if policy == TOKEN:
            assert client.get(reverse(name, kwargs={"token": "0" * 64})).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login_from_every_signed_in_page(client):
    for url in plain_urls(LOGIN) + plain_urls(HR):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.django_db
def test_hr_pages_are_404_for_members_and_coordinators(client, member, coordinator):
    for person in (member, coordinator):
        client.force_login(person)
        for url in plain_urls(HR):
            assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_admin_is_closed_to_non_staff(client, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")
