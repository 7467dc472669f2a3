"""What members write privately (preparation, note to the coordinator) exists in the
database only encrypted, and the pages work as before (foorumix/crypto.py,
EncryptedTextField).

The attack replayed here is someone holding a copy of the database: they read the raw
rows with a cursor and look for the text.
"""

import importlib
import logging
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foorumix import crypto
from forums.models import Membership
from sessions_app.meetings import services
from sessions_app.models import Participation, Preparation
from tests.factories import UserFactory, make_meeting

pytestmark = pytest.mark.django_db

SITUATION = "VALMISTELU-KANARIA-4d1c yt-neuvottelut ja oma jaksaminen"
TO_BRING = "TUOTAVA-KANARIA-9b2e miten kerron tiimille"
ABSENCE = "POISSA-KANARIA-7e5a lääkärikäynti klo 13"
CANARIES = ("KANARIA", "yt-neuvottelut", "lääkärikäynti", "tiimille")
MIGRATION = importlib.import_module("sessions_app.migrations.0004_private_texts_encrypted")


def url(name, meeting):
    return reverse(f"meetings:{name}", kwargs={"meeting_id": meeting.pk})


def raw_rows(model: type[models.Model]) -> list[tuple]:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        return cursor.fetchall()


def raw_value(model: type[models.Model], column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def assert_no_canary(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text


@pytest.fixture
def meeting(forum):
    return make_meeting(forum)


@pytest.fixture
def second_member(forum):
    user = UserFactory(first_name="Mikko", last_name="Korhonen")
    Membership.objects.create(forum=forum, user=user, accepted_version=forum.agreement_version)
    return user


@pytest.fixture
def written(client, meeting, member, second_member):
    """The member writes a shared preparation and declines with a note, through the
    pages; the second member declines without a note."""
    client.force_login(member)
    client.post(
        url("preparation", meeting),
        {"current_situation": SITUATION, "to_bring": TO_BRING, "shared": "on"},
    )
    client.post(url("rsvp", meeting), {"rsvp": "no", "absence_note": ABSENCE})
    services.rsvp_set(meeting=meeting, user=second_member, rsvp="no")
    return Participation.objects.get(meeting=meeting, user=member)


def test_a_database_copy_shows_no_preparation_or_note_to_the_coordinator(
    written, meeting, member, second_member
):
    preparation_rows = raw_rows(Preparation)
    participation_rows = raw_rows(Participation)
    assert len(preparation_rows) == 1 and len(participation_rows) == 2
    assert_no_canary(repr(preparation_rows) + repr(participation_rows))

    tokens = [
        raw_value(Preparation, "current_situation", Preparation.objects.get().pk),
        raw_value(Preparation, "to_bring", Preparation.objects.get().pk),
        raw_value(Participation, "absence_note", written.pk),
        raw_value(
            Participation,
            "absence_note",
            Participation.objects.get(meeting=meeting, user=second_member).pk,
        ),
    ]
    assert all(crypto.looks_encrypted(token) for token in tokens)
    # A short text and no text at all look the same: the length tells nothing.
    assert len({len(token) for token in tokens}) == 1
    # The application still reads them.
    preparation = Preparation.objects.get()
    assert (preparation.current_situation, preparation.to_bring) == (SITUATION, TO_BRING)
    assert Participation.objects.get(pk=written.pk).absence_note == ABSENCE
    assert Participation.objects.get(user=second_member).absence_note == ""


def test_the_sql_sent_to_the_database_carries_no_plaintext(meeting, member):
    with CaptureQueriesContext(connection) as queries:
        services.preparation_save(
            meeting=meeting, user=member, current_situation=SITUATION, to_bring="", shared=False
        )
        services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=ABSENCE)
    assert_no_canary(" ".join(query["sql"] for query in queries.captured_queries))


def test_pages_work_as_before_for_the_author_the_forum_and_the_coordinator(
    client, written, meeting, member, second_member, coordinator
):
    client.force_login(member)
    editor = client.get(url("preparation", meeting)).content.decode()
    assert SITUATION in editor and TO_BRING in editor
    client.force_login(second_member)
    page = client.get(url("detail", meeting)).content.decode()
    assert SITUATION in page and ABSENCE not in page
    client.force_login(coordinator)
    page = client.get(url("detail", meeting)).content.decode()
    assert ABSENCE in page and SITUATION in page  # shared with the forum


def test_dumpdata_writes_tokens_and_loaddata_reads_them_back(written, tmp_path):
    out = StringIO()
    call_command("dumpdata", "sessions_app.preparation", "sessions_app.participation", stdout=out)
    dump = out.getvalue()
    assert_no_canary(dump)
    fixture = tmp_path / "private.json"
    fixture.write_text(dump, encoding="utf-8")
    Preparation.objects.all().delete()
    Participation.objects.all().delete()

    call_command("loaddata", str(fixture), verbosity=0)

    assert Preparation.objects.get().current_situation == SITUATION
    assert Participation.objects.get(pk=written.pk).absence_note == ABSENCE
    assert_no_canary(repr(raw_rows(Preparation)) + repr(raw_rows(Participation)))


def test_encrypted_texts_cannot_be_searched_in_the_database():
    with pytest.raises(FieldError):
        Preparation.objects.filter(to_bring="Jaksaminen").exists()
    with pytest.raises(FieldError):
        Participation.objects.filter(absence_note__icontains="lääkäri").exists()
    assert Participation.objects.filter(absence_note__isnull=True).count() == 0


# --- A key that is not configured --------------------------------------------------------------


@pytest.fixture
def wrong_key(settings, written):
    settings.FOORUMIX_NOTES_KEYS = [Fernet.generate_key().decode()]


def test_with_a_missing_key_the_meeting_page_says_so_instead_of_failing(
    client, wrong_key, meeting, member, second_member, coordinator, caplog
):
    with caplog.at_level(logging.DEBUG):
        client.force_login(second_member)
        page = client.get(url("detail", meeting))
        assert page.status_code == 200
        assert 'class="muted undecryptable"' in page.content.decode()  # the shared one
        client.force_login(coordinator)
        page = client.get(url("detail", meeting))
        assert page.status_code == 200
        assert "undecryptable" in page.content.decode()  # the note to the coordinator
        # Both notes are stored encrypted (an empty one too), so neither opens.
        declined = page.context["answers"].groups[2].people
        assert [(a.name, a.note_unreadable) for a in declined] == [
            ("Mikko Korhonen", True),
            (member.get_full_name(), True),
        ]
        client.force_login(member)
        page = client.get(url("detail", meeting))
        assert page.status_code == 200
        assert 'id="absence-note-undecryptable"' in page.content.decode()
    assert_no_canary(caplog.text)
    assert "cannot be decrypted with FOORUMIX_NOTES_KEYS" in caplog.text


def test_with_a_missing_key_the_preparation_page_is_a_clear_503_and_keeps_the_text(
    client, wrong_key, meeting, member, settings
):
    preparation = Preparation.objects.get()
    before = raw_value(Preparation, "current_situation", preparation.pk)
    client.force_login(member)

    for response in (
        client.get(url("preparation", meeting)),
        client.post(url("preparation", meeting), {"current_situation": "uusi", "to_bring": ""}),
    ):
        assert response.status_code == 503
        assert 'id="preparation-undecryptable"' in response.content.decode()
        assert response.headers["Cache-Control"] == "no-store"
    assert raw_value(Preparation, "current_situation", preparation.pk) == before


def test_saving_another_field_keeps_an_unreadable_text_as_it_was(wrong_key, written, coordinator):
    before = raw_value(Participation, "absence_note", written.pk)
    participation = Participation.objects.get(pk=written.pk)
    assert participation.absence_note == "" and participation.absence_note.undecryptable
    participation.attended = False
    participation.save()  # every field, the unreadable one included
    assert raw_value(Participation, "absence_note", written.pk) == before


# --- The data migration ------------------------------------------------------------------------


def test_the_migration_encrypts_existing_rows_can_run_again_and_can_be_reversed(
    meeting, member, second_member
):
    preparation = Preparation.objects.create(meeting=meeting, author=member)
    noted = Participation.objects.create(meeting=meeting, user=member, rsvp="no")
    silent = Participation.objects.create(meeting=meeting, user=second_member, rsvp="no")
    with connection.cursor() as cursor:  # rows as they were before the migration
        cursor.execute(
            "UPDATE sessions_app_preparation SET current_situation = %s, to_bring = %s",
            [SITUATION, ""],
        )
        cursor.execute(
            "UPDATE sessions_app_participation SET absence_note = %s WHERE id = %s",
            [ABSENCE, noted.pk],
        )
        cursor.execute(
            "UPDATE sessions_app_participation SET absence_note = '' WHERE id = %s", [silent.pk]
        )
    from django.apps import apps

    editor = SimpleNamespace(connection=connection)

    MIGRATION.encrypt_private_texts(apps, editor)
    first = repr(raw_rows(Preparation)) + repr(raw_rows(Participation))
    MIGRATION.encrypt_private_texts(apps, editor)  # again: nothing changes

    assert repr(raw_rows(Preparation)) + repr(raw_rows(Participation)) == first
    assert_no_canary(first)
    assert crypto.looks_encrypted(raw_value(Participation, "absence_note", silent.pk))
    preparation.refresh_from_db()
    assert (preparation.current_situation, preparation.to_bring) == (SITUATION, "")
    assert Participation.objects.get(pk=noted.pk).absence_note == ABSENCE

    MIGRATION.decrypt_private_texts(apps, editor)

    assert raw_value(Preparation, "current_situation", preparation.pk) == SITUATION
    assert raw_value(Participation, "absence_note", noted.pk) == ABSENCE
    assert raw_value(Participation, "absence_note", silent.pk) == ""


def test_a_note_to_the_coordinator_is_still_limited_to_500_characters(meeting, member):
    from django.core.exceptions import ValidationError

    services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note="x" * 500)
    with pytest.raises(ValidationError):
        services.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note="x" * 501)
    assert Participation.objects.get().absence_note == "x" * 500
