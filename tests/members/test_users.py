import pytest
from django.db import IntegrityError

from members.models import User
from members.roles import hr_organisation_id, is_admin, is_coordinator, is_hr_viewer
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_lowercase():
    user = User.objects.create_user("Liisa.Virtanen@Example.FI", "pw-long-enough-1")
    assert user.email == "liisa.virtanen@example.fi"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username")


def test_email_is_unique_regardless_of_case():
    User.objects.create_user("mikko@example.fi", "pw-long-enough-1")
    with pytest.raises(IntegrityError):
        User.objects.create(email="MIKKO@example.fi")


def test_user_shows_full_name_or_email():
    assert str(UserFactory(first_name="Anna-Maija", last_name="Nieminen")) == "Anna-Maija Nieminen"
    assert str(UserFactory(first_name="", last_name="", email="x@example.fi")) == "x@example.fi"


def test_role_predicates(member, coordinator, hr_viewer):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert (is_coordinator(member), is_hr_viewer(member), is_admin(member)) == (False, False, False)
    assert (is_coordinator(coordinator), is_hr_viewer(coordinator)) == (True, False)
    assert (is_coordinator(hr_viewer), is_hr_viewer(hr_viewer)) == (False, True)
    assert hr_organisation_id(hr_viewer) == hr_viewer.hr_organisation_id
    assert hr_organisation_id(member) is None
    assert is_admin(admin) is True


def test_inactive_users_hold_no_role():
    organisation = OrganisationFactory()
    user = UserFactory(is_coordinator=True, hr_organisation=organisation, is_active=False)
    assert (is_coordinator(user), is_hr_viewer(user), hr_organisation_id(user)) == (
        False,
        False,
        None,
    )


def test_anonymous_user_holds_no_role():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert (is_coordinator(anonymous), is_hr_viewer(anonymous), is_admin(anonymous)) == (
        False,
        False,
        False,
    )


@pytest.mark.postgres
def test_postgresql_enforces_case_insensitive_email_with_a_functional_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["user_email_ci_unique"]
        )
        (definition,) = cursor.fetchone()
    assert "UNIQUE" in definition
    assert "lower((email)::text)" in definition
