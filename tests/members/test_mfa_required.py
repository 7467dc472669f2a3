"""Two-factor authentication is required of coordinators, HR viewers and staff
(FOORUMIX_MFA_REQUIRED, on whenever DEBUG is off): before any of their pages they set up
TOTP, and a session that did not pass the second factor passes it first."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, give_totp, totp_code, with_password

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.FOORUMIX_MFA_REQUIRED = True


@pytest.fixture
def person(request, forum, coordinator, hr_viewer):
    people = {
        "coordinator": coordinator,
        "hr_viewer": hr_viewer,
        "staff": UserFactory(is_staff=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    return people[request.param]


def pages(forum):
    return [
        "/",
        reverse("forums:detail", kwargs={"forum_id": forum.pk}),
        reverse("notification_settings"),
        reverse("meetings:list"),
        reverse("hr:participation"),
        "/admin/",
        "/admin/members/user/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]


@pytest.mark.parametrize(
    "person", ["coordinator", "hr_viewer", "staff", "superuser"], indirect=True
)
def test_roles_that_need_mfa_set_up_totp_before_any_page(client, forum, person):
    client.force_login(person)
    for url in pages(forum):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == SETUP, url
        response = client.post(url)
        assert response.headers["Location"] == SETUP, url


def test_a_member_is_not_required_to_use_mfa(client, forum, member):
    client.force_login(member)
    assert client.get("/").status_code == 200
    assert client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk})).status_code == 200


def test_setup_sign_out_and_language_stay_reachable(client, coordinator):
    client.force_login(coordinator)
    # Setting up TOTP asks for the password again (this session has not used it).
    response = client.get(SETUP)
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
    response = client.post("/language/", {"language": "sv", "next": "/"})
    assert response.headers["Location"] == "/"
    coordinator.refresh_from_db()
    assert coordinator.language == "sv"
    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_the_setup_page_says_why(client, coordinator):
    client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    response = client.get("/")
    assert response.headers["Location"] == SETUP
    page = with_password(client, client.get(SETUP))
    assert page.status_code == 200
    assert "Roolisi vuoksi" in page.content.decode()


def test_coordinator_sets_up_totp_with_recovery_codes_and_then_reaches_the_pages(
    client, forum, coordinator
):
    response = client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    assert client.get(response.headers["Location"]).headers["Location"] == SETUP
    page = with_password(client, client.get(SETUP))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.headers["Location"] == "/accounts/2fa/recovery-codes/"
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200
    assert set(Authenticator.objects.filter(user=coordinator).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    for url in pages(forum)[:4] + ["/accounts/email/"]:
        assert client.get(url).status_code == 200, url


def test_coordinator_with_totp_signs_in_with_a_code(client, coordinator):
    secret = give_totp(coordinator)
    response = client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").headers["Location"].startswith("/accounts/login/")
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_when_the_phone_is_lost(client, coordinator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    give_totp(coordinator)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=coordinator, type="recovery_codes")
    ).get_unused_codes()
    client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert client.get("/").status_code == 200


def test_a_session_that_skipped_the_second_factor_must_pass_it(client, forum, coordinator):
    secret = give_totp(coordinator)
    client.force_login(coordinator)  # e.g. a session from before MFA was required
    response = client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk}))
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/accounts/2fa/reauthenticate/?next=/forums/{forum.pk}/"
    )
    response = client.post(response.headers["Location"], {"code": totp_code(secret)})
    assert response.headers["Location"] == f"/forums/{forum.pk}/"
    assert client.get(f"/forums/{forum.pk}/").status_code == 200


def test_someone_who_needs_mfa_cannot_turn_totp_off(client, coordinator):
    secret = give_totp(coordinator)
    client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    with_password(client, client.post("/accounts/2fa/totp/deactivate/"))
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()


def test_a_member_may_turn_their_own_totp_off(client, member):
    secret = give_totp(member)
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    with_password(client, client.post("/accounts/2fa/totp/deactivate/"))
    assert not Authenticator.objects.filter(user=member, type="totp").exists()


def test_with_the_requirement_off_roles_sign_in_with_a_password(client, settings, coordinator):
    settings.FOORUMIX_MFA_REQUIRED = False
    client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
