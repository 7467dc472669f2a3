"""`Cache-Control: no-store` on every response to a signed-in user and on every
secret-link page (foorumix/middleware.py); static files stay cacheable.

The walk takes every URL pattern there is (tests/test_access_policy.py classifies them
all), turns it into a real path with real objects, and asks for it as the persona its
class allows, so a page added tomorrow is covered without anyone listing it here.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.cache import get_max_age

from tests import test_access_policy as policy
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

world = policy.world  # the access-policy test's objects: a forum, meeting, poll, ...

# Who may reach each class of URL; None is an anonymous visitor.
PERSONAS = {
    policy.PUBLIC: ("member",),
    policy.LOGIN: ("member",),
    policy.HR: ("hr_viewer",),
    policy.ALLAUTH: ("member",),
    policy.ADMIN: ("admin",),
    policy.COORDINATOR: ("coordinator",),
    policy.FORUM_MEMBER: ("member",),
    policy.FORUM_COORDINATOR: ("coordinator",),
    policy.TOKEN: (None, "member"),  # the link is the credential; signed in or not
}
# Our own pages must be reached for real: the page, or 405 for a POST-only action.
REACHED = {200, 405}


@dataclass(frozen=True)
class Route:
    name: str  # as tests/test_access_policy.py names it
    route: str  # the full pattern, e.g. "forums/<int:forum_id>/"


def all_routes(resolver=None, namespace="", prefix="") -> list[Route]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += all_routes(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or f"<unnamed {entry.pattern}>"
            routes.append(Route(f"{namespace}{name}", prefix + str(entry.pattern)))
    return routes


def concrete_path(route: str, values: dict) -> str:
    """A path matching `route`, its arguments filled from `values`."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m[1]]), route)  # (?P<key>...)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), path)  # <int:forum_id>
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def people(member, coordinator, hr_viewer):
    admin = UserFactory(is_staff=True, is_superuser=True)
    return {"member": member, "coordinator": coordinator, "hr_viewer": hr_viewer, "admin": admin}


@pytest.fixture
def url_values(world, member):
    """A value for every URL argument of every pattern; each secret link its own, live
    token."""
    from sessions_app.meetings import feeds
    from sessions_app.models import Meeting
    from sessions_app.pulse import services as pulse

    meeting = Meeting.objects.get(pk=world["meeting_id"])
    (receipt,) = pulse.pulse_receipts_create(meeting)
    feed = feeds.feed_create(user=member)
    shared = {
        **world,
        "key": "MQ:1vabc:0f1e2d",  # allauth's email-confirmation and password-reset keys
        "uidb36": "1",
        "app_label": "forums",
        "object_id": str(world["forum_id"]),
        "content_type_id": "1",
        "id": str(member.pk),
        "url": "no-such-admin-page/",
    }
    return {
        "default": shared,
        "pulse:answer": {**shared, "token": receipt.token()},
        "meetings:feed": {**shared, "token": feed.token()},
    }


def get(client, person, path):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client.get(path)


def no_store(response) -> bool:
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def test_every_url_answers_its_allowed_persona_with_no_store(client, people, url_values):
    routes = all_routes()
    assert {route.name for route in routes} == set(policy.all_patterns())
    checked = []
    for route in routes:
        access = policy.classify(route.name)
        values = url_values.get(route.name, url_values["default"])
        path = concrete_path(route.route, values)
        assert resolve(path).route.replace("^", "") == route.route.replace("^", ""), path
        for persona in PERSONAS[access]:
            response = get(client, people.get(persona), path)
            own_page = access not in (policy.ADMIN, policy.ALLAUTH)
            if own_page:
                assert response.status_code in REACHED, (route.name, persona, response)
            assert no_store(response), (route.name, persona, response.get("Cache-Control"))
            checked.append((route.name, persona))
    # Every pattern was walked, the secret links also without signing in.
    assert {name for name, _persona in checked} == {route.name for route in routes}
    assert {name for name, persona in checked if persona is None} == {
        "invitation", "pulse:answer", "meetings:feed",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("account_confirm_email", {"key": "MQ:1vabc:0f1e2d"}),
        ("account_reset_password_from_key", {"uidb36": "1", "key": "set-password"}),
        ("invitation", {"token": "0" * 64}),
        ("pulse:answer", {"token": "not-a-token"}),
        ("meetings:feed", {"token": "0" * 64}),
    ],
)
def test_secret_link_pages_are_not_stored_even_for_a_visitor_or_a_bad_link(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code < 500
    assert no_store(response)


def test_errors_and_redirects_for_a_signed_in_user_are_not_stored(client, world, outsider, member):
    client.force_login(outsider)
    not_found = client.get(f"/forums/{world['forum_id']}/")
    assert not_found.status_code == 404 and no_store(not_found)
    client.force_login(member)
    forbidden = client.post(f"/forums/{world['forum_id']}/audit/")
    assert forbidden.status_code == 403 and no_store(forbidden)
    redirected = client.post("/language/", {"language": "en", "next": "/meetings/"})
    assert redirected.status_code == 302 and no_store(redirected)


def test_signing_in_answers_with_no_store(client, member):
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert no_store(response)


def test_static_files_stay_cacheable_for_a_signed_in_user(client, settings, member):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_MAX_AGE = 3600
    client.force_login(member)
    response = client.get("/static/css/foorumix.css")
    assert response.status_code == 200
    assert not no_store(response)
    assert get_max_age(response) == 3600
