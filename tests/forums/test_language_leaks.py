"""No English on Finnish pages, no way to a closed signup, one name per page.

- The invitation signup shows the password rules' errors in the page's language.
- Signing in says that people join by invitation; nothing links to the closed signup.
- The main navigation's account page and a forum's settings have different names, and
  each page's heading is its navigation label."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from members.models import User
from tests.factories import make_invitation

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


def signup(client, forum, password, *, language="fi"):
    _invitation, token = make_invitation(forum, "uusi.jasen@example.fi")
    client.cookies["django_language"] = language
    client.get(f"/invitations/{token}/")
    return client.post(
        SIGNUP,
        {
            "email": "uusi.jasen@example.fi",
            "first_name": "Uusi",
            "last_name": "Jäsen",
            "password1": password,
            "password2": password,
        },
    )


def test_a_short_password_is_refused_in_finnish_on_the_finnish_signup(client, forum):
    response = signup(client, forum, "lyhyt1")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Salasana on liian lyhyt. Siinä on oltava vähintään 10 merkkiä." in page
    assert "too short" not in page
    assert not User.objects.filter(email="uusi.jasen@example.fi").exists()


@pytest.mark.parametrize(
    ("password", "finnish"),
    [
        ("1234567890123", "Tämä salasana on kokonaan numeerinen."),
        ("password123", "Tämä salasana on liian yleinen."),
    ],
)
def test_the_other_password_rules_speak_finnish_too(client, forum, password, finnish):
    page = signup(client, forum, password).content.decode()
    assert finnish in page


def test_a_short_password_is_refused_in_swedish_on_the_swedish_signup(client, forum):
    page = signup(client, forum, "kort1", language="sv").content.decode()
    assert "Det här lösenordet är för kort. Det måste innehålla minst 10 tecken." in page


def test_sign_in_page_says_joining_is_by_invitation_and_has_no_signup_link(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "Foorumixiin liitytään kutsusta" in page
    assert "Kysy koordinaattoriltasi." in page
    assert SIGNUP not in page
    assert "rekisteröidy" not in page.lower()


def test_closed_signup_explains_the_invitation_and_links_only_to_sign_in(client):
    response = client.get(SIGNUP)
    page = response.content.decode()
    assert response.templates[0].name == "account/signup_closed.html"
    assert "<h1> Foorumixiin liitytään kutsusta </h1>" in " ".join(page.split())
    assert f'href="{reverse("account_login")}"' in page
    assert "suljettu" not in page.lower()  # allauth's "signup is closed"


def test_password_reset_for_an_unknown_address_does_not_point_to_signup(client):
    client.post("/accounts/password/reset/", {"email": "tuntematon@example.fi"})
    (message,) = mail.outbox
    assert "/accounts/signup/" not in message.body
    assert "pyydä koordinaattoria kutsumaan tämä osoite" in message.body


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_account_and_forum_settings_have_their_own_names_matching_their_headings(
    client, forum, coordinator, language
):
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    response = client.get(reverse("forums:edit", kwargs={"forum_id": forum.pk}))
    main_labels = {item["key"]: str(item["label"]) for item in response.context["nav_items"]}
    page = response.content.decode()
    with translation.override(language):
        forum_settings = translation.gettext("Forum settings")
        account = translation.gettext("My account")
    assert forum_settings != account
    assert main_labels["notification_settings"] == account
    assert f'aria-current="page">{forum_settings}</a>' in page
    assert f"<h1>{forum_settings}</h1>" in page
    assert f"<title>{forum_settings} · Foorumi A · Foorumix</title>" in page
    if language == "fi":
        assert (forum_settings, account) == ("Foorumin asetukset", "Oma tili")
