"""One address per account. An address proves itself only through a link sent to it;
a change takes effect once the owner, signed in, opens that link, and the old address
is told. An unverified address never belongs to anyone."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from members.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "uusi.osoite@example.fi"


def confirmation_path(message) -> str:
    return re.search(r"/accounts/confirm-email/[^/\s]+/", message.body).group(0)


def sign_in(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def request_change(client, email=NEW):
    """Ask for a change; allauth asks for the password again first, then carries on."""
    response = client.post("/accounts/email/", {"action_add": "", "email": email})
    if response.headers.get("Location", "").startswith("/accounts/reauthenticate/"):
        response = client.post(response.headers["Location"], {"password": PASSWORD})
    return response


def addresses(user) -> list[tuple[str, bool, bool]]:
    return list(
        EmailAddress.objects.filter(user=user)
        .order_by("email")
        .values_list("email", "verified", "primary")
    )


def test_change_takes_effect_after_the_link_and_the_old_address_is_told(client, member):
    old = member.email
    sign_in(client, member)
    request_change(client)
    member.refresh_from_db()
    assert member.email == old  # nothing changes before the link is opened
    (link,) = [m for m in mail.outbox if m.to == [NEW]]

    client.post(confirmation_path(link))

    member.refresh_from_db()
    assert member.email == NEW
    assert addresses(member) == [(NEW, True, True)]
    (notice,) = [m for m in mail.outbox if m.to == [old]]
    assert NEW in notice.body
    # The old address no longer signs in; the new one does.
    client.logout()
    client.post("/accounts/login/", {"login": old, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post("/accounts/login/", {"login": NEW, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_change_link_works_only_for_its_owner_signed_in(client, member, outsider):
    owner = Client()
    sign_in(owner, member)
    request_change(owner)
    (link,) = [m for m in mail.outbox if m.to == [NEW]]
    path = confirmation_path(link)

    page = client.get(path)
    assert "Kirjaudu sisään tilille, joka pyysi muutosta" in page.content.decode()
    client.post(path)
    client.force_login(outsider)
    client.post(path)
    assert not EmailAddress.objects.filter(email=NEW, verified=True).exists()

    owner.post(path)
    member.refresh_from_db()
    assert member.email == NEW


def test_an_account_keeps_exactly_one_address(client, member):
    old = member.email
    sign_in(client, member)
    request_change(client)
    # The pending address cannot be made primary, nor the current one removed.
    client.post("/accounts/email/", {"action_primary": "", "email": NEW})
    client.post("/accounts/email/", {"action_remove": "", "email": old})
    member.refresh_from_db()
    assert member.email == old
    assert addresses(member) == [(old, True, True), (NEW, False, False)]
    # A pending change can be cancelled, and a second request replaces the first.
    request_change(client, "toinen@example.fi")
    assert addresses(member) == [(old, True, True), ("toinen@example.fi", False, False)]
    client.post("/accounts/email/", {"action_remove": "", "email": "toinen@example.fi"})
    assert addresses(member) == [(old, True, True)]


def test_changing_to_another_accounts_address_never_takes_it(client, member, outsider):
    taken = outsider.email
    sign_in(client, member)
    request_change(client, taken)
    for message in mail.outbox:
        found = re.search(r"/accounts/confirm-email/[^/\s]+/", message.body)
        if found:
            client.post(found.group(0))
    member.refresh_from_db()
    assert member.email != taken
    assert addresses(outsider) == [(taken, True, True)]


def test_the_email_page_renders_without_inline_styles(client, member):
    sign_in(client, member)
    request_change(client)
    body = client.get("/accounts/email/").content.decode()
    assert NEW in body
    assert "style=" not in body


def test_an_account_created_by_an_administrator_is_its_addresss_owner(client, forum):
    """Created in the admin, not yet signed in: the address is the account's (nobody
    else can sign up with it), and the first sign-in verifies it through a link."""
    from tests.factories import make_invitation

    person = User.objects.create_user("uusi.koordinaattori@example.fi", PASSWORD)
    _invitation, token = make_invitation(forum, person.email)
    page = client.get(f"/invitations/{token}/")
    assert page.context["has_account"] is True
    assert client.get("/accounts/signup/").templates[0].name == "account/signup_closed.html"
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.headers["Location"] == "/accounts/confirm-email/"
    client.get(confirmation_path(mail.outbox[-1]))
    client.post(confirmation_path(mail.outbox[-1]))
    assert addresses(person) == [(person.email, True, True)]


def test_a_password_reset_never_goes_through_an_unverified_claim(client, member):
    sign_in(client, member)
    request_change(client, "kutsuttu@example.fi")
    mail.outbox.clear()
    Client().post("/accounts/password/reset/", {"email": "kutsuttu@example.fi"})
    assert "/accounts/password/reset/key/" not in "".join(m.body for m in mail.outbox)
    Client().post("/accounts/password/reset/", {"email": member.email})
    (reset,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "/accounts/password/reset/key/" in reset.body


def test_migration_leaves_one_address_per_account_and_no_session(client, member, outsider):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.models import Session

    migration = import_module("members.migrations.0004_sessions_and_one_address")
    client.force_login(member)
    EmailAddress.objects.create(user=member, email="toinen@example.fi", verified=True)
    EmailAddress.objects.create(user=outsider, email="kaapattava@example.fi")
    User.objects.filter(pk=outsider.pk).update(email="vanha@example.fi")

    migration.forward(apps, None)

    assert addresses(member) == [(member.email, True, True)]
    assert addresses(outsider) == [(outsider.email, True, True)]
    outsider.refresh_from_db()
    assert outsider.email == addresses(outsider)[0][0]
    assert not Session.objects.exists()
