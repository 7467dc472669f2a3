import pytest

from tests import real_services as services
from tests.factories import UserFactory


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        # The database connection is only known once Django is set up; the check needs
        # no query.
        services.require_postgres()
    if item.get_closest_marker("redis"):
        services.require_redis()
    if item.get_closest_marker("browser"):
        services.require_chromium()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is first in production settings (tested in test_settings); hashing with it
    # in every test would only slow the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(db):
    return UserFactory(first_name="Liisa", last_name="Virtanen")


@pytest.fixture
def coordinator(db):
    return UserFactory(first_name="Kirsi", last_name="Ojala", is_coordinator=True)


@pytest.fixture
def outsider(db):
    return UserFactory(first_name="Olli", last_name="Ulkopuolinen")


@pytest.fixture
def hr_viewer(db):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    return UserFactory(
        first_name="Helena",
        last_name="Lindqvist",
        organisation=organisation,
        hr_organisation=organisation,
    )


@pytest.fixture
def forum(coordinator, member):
    """A forum run by `coordinator` with `member` (agreement accepted)."""
    from tests.factories import make_forum

    return make_forum(coordinator=coordinator, members=[member], name="Foorumi A")


@pytest.fixture
def other_forum(db):
    """Another forum with its own coordinator and member — data that must not leak."""
    from tests.factories import make_forum

    return make_forum(
        coordinator=UserFactory(
            first_name="Toinen", last_name="Koordinaattori", is_coordinator=True
        ),
        members=[UserFactory(first_name="Salainen", last_name="Jäsen")],
        name="Foorumi B",
    )
