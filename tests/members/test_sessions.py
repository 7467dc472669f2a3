"""Sessions keep no readable secret at rest: the table holds a digest of each session's
key (so a copy of it yields no working cookie) and data encrypted with
FOORUMIX_NOTES_KEYS (so it yields no pending TOTP secret or password-reset key)."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as PlainStore
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import PASSWORD, with_password

pytestmark = pytest.mark.django_db


def store():
    return import_module(settings.SESSION_ENGINE).SessionStore()


def test_the_cookie_value_is_not_in_the_table_and_a_copied_key_opens_nothing(client, member):
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/").status_code == 200
    (row,) = Session.objects.all()
    assert row.session_key != cookie
    assert cookie not in row.session_key
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = row.session_key
    assert thief.get("/").status_code == 302


def test_session_data_is_encrypted_at_rest(client, member):
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    (row,) = Session.objects.all()
    assert PlainStore().decode(row.session_data) == {}  # SECRET_KEY alone reads nothing
    assert store().decode(row.session_data)["_auth_user_id"] == str(member.pk)


def test_a_pending_totp_secret_is_not_readable_from_the_table(client, member):
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    page = with_password(client, client.get("/accounts/2fa/totp/activate/"))
    secret = page.context["form"].secret
    (row,) = Session.objects.all()
    assert secret not in row.session_data
    assert PlainStore().decode(row.session_data) == {}


def test_signing_in_rotates_the_key_and_signing_out_deletes_the_row(client, member):
    session = client.session
    session["seen"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert Session.objects.count() == 1
    client.post("/accounts/logout/")
    decoded = [store().decode(row.session_data) for row in Session.objects.all()]
    assert not [data for data in decoded if "_auth_user_id" in data]


def test_a_session_written_by_djangos_plain_store_still_works_and_moves_to_its_digest(
    member,
):
    """Scripts and tests that write sessions with django.contrib.sessions' own store
    (e.g. tests/foorumix/test_outbox_worker.py) keep working; the first save re-keys
    the row. Sessions from before this release were deleted by members.0004."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    plain = PlainStore()
    plain[SESSION_KEY] = str(member.pk)
    plain[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    plain[HASH_SESSION_KEY] = member.get_session_auth_hash()
    plain.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = plain.session_key
    assert client.get("/").status_code == 200

    session = import_module(settings.SESSION_ENGINE).SessionStore(plain.session_key)
    session["seen"] = True
    session.save()
    assert not Session.objects.filter(session_key=plain.session_key).exists()
    assert client.get("/").status_code == 200
    assert store().decode(Session.objects.get().session_data)["seen"] is True
