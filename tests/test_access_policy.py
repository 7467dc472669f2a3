"""Every URL pattern is classified here; an unclassified URL fails the suite.

The table says who may reach each named URL. The checks below then prove the
classification: anonymous visitors are sent to login, outsiders and HR get 404 on
object URLs, HR-only pages are 404 for everyone else.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"  # anyone, signed in or not
LOGIN = "login"  # any signed-in user; anonymous visitors go to the login page
HR = "hr"  # HR viewers only; everyone else gets 404
ALLAUTH = "allauth"  # allauth's account pages, with allauth's own rules
ADMIN = "admin"  # Django admin: staff only, login page for the rest

ACCESS: dict[str, str] = {
    "home": LOGIN,
    "participation": HR,
    "set_language": PUBLIC,
    "healthz": PUBLIC,
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
    from django.urls import reverse

    return [reverse(name) for name, value in ACCESS.items() if value == policy and "<" not in name]


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
