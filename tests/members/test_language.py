import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_finnish_by_default_whatever_the_browser_asks(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "fi"
    assert 'lang="fi"' in response.content.decode()
    assert "Siirry sisältöön" in response.content.decode()


def test_switching_language_sets_a_cookie_and_translates(client):
    response = client.post("/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert page.headers["Content-Language"] == "en"
    assert "Skip to content" in page.content.decode()


def test_swedish_is_available(client):
    client.post("/language/", {"language": "sv", "next": "/"})
    page = client.get("/accounts/login/")
    assert page.headers["Content-Language"] == "sv"
    assert "Hoppa till innehållet" in page.content.decode()


def test_signed_in_users_choice_is_remembered(client, member):
    client.force_login(member)
    client.post("/language/", {"language": "en", "next": "/"})
    member.refresh_from_db()
    assert member.language == "en"
    client.cookies.clear()
    client.force_login(member)
    assert client.get("/").headers["Content-Language"] == "en"


def test_unknown_language_changes_nothing(client, member):
    client.force_login(member)
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "fi"


def test_switcher_does_not_redirect_to_another_site(client):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example.com/"})
    assert response.headers["Location"] == "/"
