"""Accounts through django-allauth: email login, mandatory verification, closed signup."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from members.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_member_signs_in_with_email_and_lands_on_home(client, member):
    response = login(client, member.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").context["user"] == member


def test_wrong_password_is_refused_with_a_message(client, member):
    response = login(client, member.email, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_unverified_email_cannot_sign_in(client):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = login(client, user.email)
    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh confirmation link


def test_signup_is_closed_without_an_invitation(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    response = client.post(
        "/accounts/signup/",
        {
            "email": "stranger@example.fi",
            "password1": "Long-enough-pass-1",
            "password2": "Long-enough-pass-1",
        },
    )
    assert not User.objects.filter(email="stranger@example.fi").exists()


def test_logout_needs_a_post(client, member):
    client.force_login(member)
    client.get("/accounts/logout/")
    assert client.session.get("_auth_user_id") == str(member.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, member):
    response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_repeated_failed_logins_are_rate_limited(client, member):
    for _ in range(5):
        login(client, member.email, "wrong-password")
    response = login(client, member.email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_two_factor_authentication_is_offered_to_every_user(client, member):
    client.force_login(member)
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200
    assert "/accounts/2fa/totp/activate/" in response.content.decode()
    # Activating asks for the password again before showing the secret.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
