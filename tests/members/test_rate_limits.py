"""Sign-in rate limits: they stop guessing without locking the owner out, and they see
the real client address behind a configured number of trusted proxies."""

import re

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "Vaarin-arvattu-2026"
REFUSED = "Liian monta epäonnistunutta kirjautumisyritystä"


def login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(member):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(10):
        login(attacker, member.email, WRONG)
    owner = Client(REMOTE_ADDR="198.51.100.7")
    login(owner, member.email, PASSWORD)
    assert signed_in(owner, member)


def test_five_wrong_passwords_for_one_account_from_one_address_stop_that_address(member):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        response = login(attacker, member.email, WRONG)
        assert REFUSED not in response.content.decode()
    response = login(attacker, member.email, PASSWORD)
    assert not signed_in(attacker, member)
    assert REFUSED in response.content.decode()


def test_the_refusal_says_what_happened_and_what_to_do(member):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        response = login(attacker, member.email, WRONG)
    assert response.context["form"].errors["__all__"] == [
        "Liian monta epäonnistunutta kirjautumisyritystä tältä yhteydeltä. Odota muutama "
        "minuutti ja yritä uudelleen, tai vaihda salasana ”Unohditko salasanasi?” "
        "-linkistä."
    ]


def test_one_address_guessing_many_accounts_is_stopped(member):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(20):
        login(attacker, f"arvaus{number}@example.fi", WRONG)
    response = login(attacker, member.email, PASSWORD)
    assert not signed_in(attacker, member)
    assert REFUSED in response.content.decode()


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for number in range(20):
        login(attacker, f"arvaus{number}@example.fi", WRONG)
    assert REFUSED in login(attacker, member.email, PASSWORD).content.decode()
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    login(colleague, member.email, PASSWORD)
    assert signed_in(colleague, member)


def test_behind_a_trusted_proxy_only_the_address_the_proxy_saw_counts(member, settings):
    """A client cannot dodge the limit by sending its own X-Forwarded-For: the proxy
    appends the address it saw, and only that last entry is trusted."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(20):
        spoofer = Client(
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9"
        )
        login(spoofer, f"arvaus{number}@example.fi", WRONG)
    assert REFUSED in login(spoofer, member.email, PASSWORD).content.decode()


def test_without_a_trusted_proxy_a_forwarded_for_header_is_ignored(member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for number in range(20):
        spoofer = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        login(spoofer, f"arvaus{number}@example.fi", WRONG)
    assert REFUSED in login(spoofer, member.email, PASSWORD).content.decode()


def test_a_password_reset_lifts_the_limit_for_the_owners_address(member):
    from django.core import mail

    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(6):
        login(client, member.email, WRONG)
    client.post("/accounts/password/reset/", {"email": member.email})
    path = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    response = client.get(path)
    client.post(
        response.headers["Location"],
        {"password1": "Uusi-salasana-2026", "password2": "Uusi-salasana-2026"},
    )
    login(client, member.email, "Uusi-salasana-2026")
    assert signed_in(client, member)


def test_other_limits_answer_with_a_clear_page(client):
    for _ in range(20):
        client.post("/accounts/signup/", {"email": "x@example.fi"})
    response = client.post("/accounts/signup/", {"email": "x@example.fi"})
    assert response.status_code == 429
    assert "Liian monta yritystä" in response.content.decode()
