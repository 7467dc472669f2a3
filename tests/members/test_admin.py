"""The Django admin: one sign-in path for everyone (allauth's, with its second factor
and rate limits), and admin changes that affect forums land in their audit logs."""

import pytest
from django.test import Client

from forums.models import AuditEvent
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, give_totp, totp_code

pytestmark = pytest.mark.django_db

WRONG = "Vaarin-arvattu-2026"


@pytest.fixture
def administrator(db):
    return UserFactory(first_name="Ylläpito", is_staff=True, is_superuser=True)


def test_admin_login_page_sends_to_the_one_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/members/user/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=%2Fadmin%2Fmembers%2Fuser%2F"
    response = client.get("/admin/")
    assert response.headers["Location"].startswith("/admin/login/")


def test_a_password_posted_to_the_admin_login_signs_no_one_in(client, administrator):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": administrator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_with_totp_needs_the_second_factor_to_reach_the_admin(client, administrator):
    secret = give_totp(administrator)
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": administrator.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_thirty_wrong_admin_passwords_are_refused_and_the_owner_still_gets_in(administrator):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(15):
        attacker.post("/admin/login/", {"username": administrator.email, "password": WRONG})
        attacker.post("/accounts/login/", {"login": administrator.email, "password": WRONG})
    # From the attacker's address even the right password is refused now, with a message.
    response = attacker.post(
        "/accounts/login/", {"login": administrator.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in attacker.session
    assert "Liian monta epäonnistunutta kirjautumisyritystä" in response.content.decode()
    # The owner, from their own address, is not locked out.
    owner = Client(REMOTE_ADDR="198.51.100.7")
    owner.post("/accounts/login/", {"login": administrator.email, "password": PASSWORD})
    assert owner.session["_auth_user_id"] == str(administrator.pk)
    assert owner.get("/admin/").status_code == 200


def admin_change(client, user, **changes):
    """Post the admin's change form for `user` with its current values and `changes`."""
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "organisation": user.organisation_id or "",
        "unit": user.unit_id or "",
        "hr_organisation": user.hr_organisation_id or "",
        "is_coordinator": user.is_coordinator,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not False}
    return client.post(f"/admin/members/user/{user.pk}/change/", data)


def test_taking_the_coordinator_role_away_lands_in_the_forums_audit_log(
    client, administrator, forum, other_forum, coordinator
):
    client.force_login(administrator)
    response = admin_change(client, coordinator, is_coordinator=False)
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.is_coordinator is False
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGED)
    assert {(e.forum_id, e.actor_id, e.subject_user_id, e.detail) for e in events} == {
        (None, administrator.pk, coordinator.pk, "is_coordinator=False"),
        (forum.pk, administrator.pk, coordinator.pk, "is_coordinator=False"),
    }
    assert not AuditEvent.objects.filter(forum=other_forum, action="role_changed").exists()


def test_making_a_member_an_hr_viewer_lands_in_the_audit_log_of_their_forums(
    client, administrator, forum, member
):
    organisation = OrganisationFactory()
    client.force_login(administrator)
    admin_change(client, member, hr_organisation=organisation.pk)
    assert list(
        AuditEvent.objects.filter(forum=forum, action="role_changed").values_list(
            "subject_user", "detail"
        )
    ) == [(member.pk, f"hr_organisation={organisation}")]


def test_deactivating_a_coordinator_lands_in_the_forums_audit_log(
    client, administrator, forum, coordinator
):
    client.force_login(administrator)
    admin_change(client, coordinator, is_active=False)
    assert list(
        AuditEvent.objects.filter(forum=forum, action="role_changed").values_list("detail")
    ) == [("is_active=False",)]


def test_the_admin_cannot_change_a_persons_address(client, administrator, member):
    client.force_login(administrator)
    admin_change(client, member, email="kaapattu@example.fi", first_name="Liisa-Maria")
    member.refresh_from_db()
    assert member.first_name == "Liisa-Maria"
    assert member.email != "kaapattu@example.fi"
