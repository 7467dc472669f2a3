import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_keys(response):
    return [item["key"] for item in response.context["nav_items"]]


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/"


def test_coordinator_lands_on_the_dashboard(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/")
    assert "members/home_coordinator.html" in [t.name for t in response.templates]
    assert "participation" not in nav_keys(response)


def test_hr_viewer_lands_on_participation_and_sees_no_forum_navigation(client, hr_viewer):
    client.force_login(hr_viewer)
    response = client.get("/")
    assert "members/home_hr.html" in [t.name for t in response.templates]
    assert "participation" in nav_keys(response)
    assert "forums" not in nav_keys(response)


def test_participation_report_is_404_for_everyone_but_hr(client, member, coordinator, hr_viewer):
    for person in (member, coordinator):
        client.force_login(person)
        assert client.get(reverse("hr:participation")).status_code == 404
    client.force_login(hr_viewer)
    assert client.get(reverse("hr:participation")).status_code == 200


def test_friendly_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sivua ei löytynyt" in response.content.decode()


def test_friendly_500_page_needs_no_database(rf):
    from foorumix.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Jokin meni vikaan" in response.content.decode()
