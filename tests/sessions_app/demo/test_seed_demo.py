from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from members.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_demo_people_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = sorted(User.objects.values_list("email", flat=True))
    call_command("seed_demo", stdout=StringIO())
    assert sorted(User.objects.values_list("email", flat=True)) == first
    expected = {
        "coordinator1@demo.foorumix.fi",
        "coordinator2@demo.foorumix.fi",
        "hr1@demo.foorumix.fi",
        "hr2@demo.foorumix.fi",
        "admin@demo.foorumix.fi",
        *(f"member{n:02d}@demo.foorumix.fi" for n in range(1, 17)),
    }
    assert expected <= set(first)
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Esimerkki Oy",
        "Mallikunta",
    }
    hr1 = User.objects.get(email="hr1@demo.foorumix.fi")
    assert hr1.hr_organisation.name == "Esimerkki Oy"
    assert User.objects.get(email="hr2@demo.foorumix.fi").hr_organisation.name == "Mallikunta"
    assert User.objects.get(email="coordinator1@demo.foorumix.fi").is_coordinator
    assert User.objects.get(email="admin@demo.foorumix.fi").is_superuser
    members = User.objects.filter(email__startswith="member")
    assert {m.organisation.name for m in members} == {"Esimerkki Oy", "Mallikunta"}
    assert all(m.first_name and m.last_name for m in members)


def test_demo_coordinator_can_sign_in_with_the_demo_password(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    response = client.post(
        "/accounts/login/",
        {"login": "coordinator1@demo.foorumix.fi", "password": "Foorumix-demo-2026"},
    )
    assert response.headers["Location"] == "/"


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
