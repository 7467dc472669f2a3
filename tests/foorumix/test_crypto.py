"""Notes and MFA secrets are encrypted with FOORUMIX_NOTES_KEYS: nothing readable in the
database, key rotation, a clear error for a wrong key and for bad configuration."""

import logging
import stat
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt as allauth_decrypt
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from foorumix import crypto
from members.mfa_adapter import MFAAdapter
from sessions_app.meetings import services as meetings
from sessions_app.models import (
    Commitment,
    MeetingNotepad,
    NoteRead,
    Participation,
    Preparation,
    SessionNote,
)
from sessions_app.notes import services as notes
from sessions_app.pulse import services as pulse
from tests.factories import make_held_meeting, make_meeting
from tests.processes import run_manage

ROOT = Path(__file__).resolve().parents[2]
CANARY = "kanarialintu7f3a9c"
TEXT = f"Sovimme kokeilevamme viikkopalaveria. {CANARY}"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "foorumix.example.org",
}


def new_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def old_key(settings):
    key = new_key()
    settings.FOORUMIX_NOTES_KEYS = [key]
    return key


@pytest.fixture
def note(forum, member, coordinator, old_key):
    meeting = make_held_meeting(forum, attendees=[member])
    return notes.note_save(meeting=meeting, author=coordinator, text=TEXT, dismissed=frozenset())


def raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchall()


def rotate() -> str:
    out = StringIO()
    call_command("rotate_note_keys", stdout=out)
    return out.getvalue()


# --------------------------------------------------------------------------- at rest


@pytest.mark.django_db
def test_raw_sql_shows_no_plaintext_of_the_notes(note):
    rows = raw_rows(SessionNote._meta.db_table)
    assert len(rows) == 1
    assert CANARY not in repr(rows)
    assert "viikkopalaveria" not in repr(rows)
    assert notes.note_content(note).body == TEXT


@pytest.mark.django_db
def test_notes_are_encrypted_with_their_own_key_not_the_secret_key(note, settings):
    settings.FOORUMIX_NOTES_KEYS = [new_key()]
    with pytest.raises(crypto.UndecryptableError):
        notes.note_content(SessionNote.objects.get())


def test_each_encryption_is_different():
    assert crypto.encrypt(TEXT) != crypto.encrypt(TEXT)
    assert crypto.decrypt(crypto.encrypt(TEXT)) == TEXT


# --------------------------------------------------------------------------- rotation


@pytest.mark.django_db
def test_old_key_in_second_place_still_decrypts(note, settings, old_key):
    settings.FOORUMIX_NOTES_KEYS = [new_key(), old_key]
    assert notes.note_content(SessionNote.objects.get()).body == TEXT


@pytest.mark.django_db
def test_rotate_note_keys_reencrypts_every_note_under_the_first_key(
    note, settings, old_key, forum, member, coordinator
):
    second = make_held_meeting(forum, attendees=[member], days_ago=40)
    notes.note_save(meeting=second, author=coordinator, text="Toinen.", dismissed=frozenset())
    fresh = new_key()
    settings.FOORUMIX_NOTES_KEYS = [fresh, old_key]

    assert "Re-encrypted 2 session notes and 0 MFA secrets" in rotate()

    settings.FOORUMIX_NOTES_KEYS = [fresh]
    assert sorted(notes.note_content(n).body for n in SessionNote.objects.all()) == sorted(
        [TEXT, "Toinen."]
    )
    settings.FOORUMIX_NOTES_KEYS = [old_key]
    with pytest.raises(crypto.UndecryptableError):
        notes.note_content(SessionNote.objects.get(pk=note.pk))


@pytest.mark.django_db
def test_rotation_refuses_and_changes_nothing_when_a_note_fits_no_key(note, settings, old_key):
    before = SessionNote.objects.get().body_encrypted
    settings.FOORUMIX_NOTES_KEYS = [new_key()]  # the old key is gone
    with pytest.raises(CommandError, match=rf"Session notes \[{note.pk}\] cannot be decrypted"):
        rotate()
    assert SessionNote.objects.get().body_encrypted == before


@pytest.mark.django_db
def test_rotation_reencrypts_mfa_secrets_too(member, settings, old_key):
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    codes = RecoveryCodes.activate(member).generate_codes()
    fresh = new_key()
    settings.FOORUMIX_NOTES_KEYS = [fresh, old_key]

    assert "0 session notes and 2 MFA secrets" in rotate()

    settings.FOORUMIX_NOTES_KEYS = [fresh]
    totp = Authenticator.objects.get(type=Authenticator.Type.TOTP)
    assert allauth_decrypt(totp.data["secret"]) == secret
    recovery = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(recovery).generate_codes() == codes


@pytest.fixture
def private_texts(forum, member, old_key):
    """A preparation, a note to the coordinator and a staged pulse answer, all
    encrypted with `old_key`."""
    meeting = make_meeting(forum)
    meetings.preparation_save(
        meeting=meeting, user=member, current_situation=TEXT, to_bring="", shared=False
    )
    meetings.rsvp_set(meeting=meeting, user=member, rsvp="no", absence_note=TEXT)
    (receipt,) = pulse.pulse_receipts_create(
        make_held_meeting(forum, attendees=[member], days_ago=3)
    )
    pulse.pulse_answer(
        receipt=receipt,
        scores={"useful": 4, "safe_place": 5, "important_to_group": 3, "helps_coping": 4},
    )
    return meeting


@pytest.mark.django_db
def test_rotation_reencrypts_preparations_notes_to_the_coordinator_and_staged_answers(
    private_texts, settings, old_key
):
    member = Preparation.objects.get().author
    MeetingNotepad.objects.create(meeting=private_texts, author=member, text=TEXT)
    Commitment.objects.create(meeting=private_texts, author=member, text=TEXT, outcome=TEXT)
    fresh = new_key()
    settings.FOORUMIX_NOTES_KEYS = [fresh, old_key]

    assert (
        "1 preparations, 2 RSVP rows (notes to the coordinator), 1 staged pulse answers, "
        "1 meeting notepads and 1 commitments" in rotate()
    )

    settings.FOORUMIX_NOTES_KEYS = [fresh]
    assert Preparation.objects.get().current_situation == TEXT
    assert Participation.objects.get(meeting=private_texts).absence_note == TEXT
    assert MeetingNotepad.objects.get().text == TEXT
    assert Commitment.objects.get().outcome == TEXT
    assert pulse.pulse_answers_release(today=timezone.localdate() + timedelta(days=60)) == 1
    settings.FOORUMIX_NOTES_KEYS = [old_key]
    assert Preparation.objects.get().current_situation.undecryptable


@pytest.mark.django_db
def test_rotation_refuses_and_changes_nothing_when_a_preparation_fits_no_key(
    private_texts, note, forum, member, settings, old_key
):
    settings.FOORUMIX_NOTES_KEYS = [new_key()]  # a key that is then lost
    stray = meetings.preparation_save(
        meeting=make_meeting(forum, starts_at=timezone.now() + timedelta(days=20)),
        user=member,
        current_situation="Toinen.",
        to_bring="",
        shared=False,
    )
    before = raw_rows(Preparation._meta.db_table), raw_rows(SessionNote._meta.db_table)
    settings.FOORUMIX_NOTES_KEYS = [new_key(), old_key]

    with pytest.raises(
        CommandError, match=rf"sessions_app.Preparation rows \[{stray.pk}\] cannot be"
    ):
        rotate()

    assert (raw_rows(Preparation._meta.db_table), raw_rows(SessionNote._meta.db_table)) == before


def test_private_texts_hide_their_length_and_their_time():
    short = [crypto.encrypt_private(text) for text in ("", "sairas", "x" * 100)]
    assert len({len(token) for token in short}) == 1
    assert len(crypto.encrypt_private("x" * 200)) > len(short[0])
    key = settings_key()
    assert all(Fernet(key).extract_timestamp(token) == 0 for token in short)
    assert crypto.encrypt_private(TEXT) != crypto.encrypt_private(TEXT)
    for text in ("", TEXT, "ends with À", "ends with NUL\0", "x" * 127, "x" * 128):
        assert crypto.decrypt_private(crypto.encrypt_private(text)) == text


def settings_key() -> str:
    from django.conf import settings

    return settings.FOORUMIX_NOTES_KEYS[0]


# --------------------------------------------------------------------------- wrong key


@pytest.mark.django_db
def test_a_wrong_key_gives_a_clear_page_not_a_crash(client, note, member, settings, caplog):
    settings.FOORUMIX_NOTES_KEYS = [new_key()]
    client.force_login(member)
    with caplog.at_level(logging.DEBUG):
        response = client.get(
            reverse("notes:meeting_notes", kwargs={"meeting_id": note.meeting_id})
        )
    assert response.status_code == 503
    assert 'id="notes-undecryptable"' in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    assert NoteRead.objects.count() == 0
    assert CANARY not in caplog.text
    errors = [r for r in caplog.records if r.name.startswith("sessions_app")]
    assert [r.getMessage() for r in errors] == [
        f"Session note {note.pk} cannot be decrypted with FOORUMIX_NOTES_KEYS "
        f"(meeting {note.meeting_id})"
    ]


@pytest.mark.django_db
def test_a_wrong_key_in_the_editor_gives_the_same_page(client, note, coordinator, settings):
    settings.FOORUMIX_NOTES_KEYS = [new_key()]
    client.force_login(coordinator)
    url = reverse("notes:meeting_notes_edit", kwargs={"meeting_id": note.meeting_id})
    response = client.get(url)
    assert response.status_code == 503
    assert 'id="notes-undecryptable"' in response.content.decode()


def test_undecryptable_error_names_the_setting_and_no_secret(settings):
    token = crypto.encrypt(TEXT)
    key = new_key()
    settings.FOORUMIX_NOTES_KEYS = [key]
    with pytest.raises(crypto.UndecryptableError) as error:
        crypto.decrypt(token)
    assert "FOORUMIX_NOTES_KEYS" in str(error.value)
    assert key not in str(error.value) and CANARY not in str(error.value)


# --------------------------------------------------------------------------- MFA adapter


def test_mfa_adapter_round_trips_and_stores_no_plain_secret():
    adapter = MFAAdapter()
    secret = generate_totp_secret()
    stored = adapter.encrypt(secret)
    assert stored != secret and secret not in stored
    assert adapter.decrypt(stored) == secret


def test_allauth_uses_the_mfa_adapter(settings):
    from allauth.mfa.adapter import get_adapter

    assert settings.MFA_ADAPTER == "members.mfa_adapter.MFAAdapter"
    assert isinstance(get_adapter(), MFAAdapter)


@pytest.mark.django_db
def test_totp_secret_is_stored_encrypted_and_codes_still_validate(member):
    secret = generate_totp_secret()
    totp = TOTP.activate(member, secret)
    rows = raw_rows(Authenticator._meta.db_table)
    assert secret not in repr(rows)
    assert Authenticator.objects.get().data["secret"] != secret
    counter = next(iter(yield_hotp_counters_from_time()))
    assert totp.validate_code(format_hotp_value(hotp_value(secret, counter)))


# --------------------------------------------------------------------------- configuration


def test_load_keys_accepts_a_comma_separated_list(tmp_path):
    first, second = new_key(), new_key()
    keys = crypto.load_note_keys(f" {first} , {second}", debug=False, var_dir=tmp_path)
    assert keys == [first, second]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "FOORUMIX_NOTES_KEYS must be set when DEBUG is false"),
        ("not-a-fernet-key", "FOORUMIX_NOTES_KEYS: key number 1 is not a valid Fernet key"),
        ("KEY,short", "FOORUMIX_NOTES_KEYS: key number 2 is not a valid Fernet key"),
        ("KEY,,KEY", "FOORUMIX_NOTES_KEYS must be a comma-separated list"),
    ],
)
def test_production_without_usable_keys_refuses_to_start(tmp_path, raw, message):
    raw = raw and raw.replace("KEY", new_key())
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        crypto.load_note_keys(raw, debug=False, var_dir=tmp_path)
    if raw:
        for key in raw.split(","):
            assert len(key) < 10 or key not in str(error.value)


def test_development_generates_one_private_key_file_and_reuses_it(tmp_path):
    first = crypto.load_note_keys(None, debug=True, var_dir=tmp_path)
    path = tmp_path / "notes-key"
    assert path.read_text().strip() == first[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert crypto.load_note_keys(None, debug=True, var_dir=tmp_path) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes-key"]


def test_development_key_file_that_is_damaged_stops_start_up(tmp_path):
    (tmp_path / "notes-key").write_text("garbage\n")
    with pytest.raises(ImproperlyConfigured, match="development key file .* FOORUMIX_NOTES_KEYS"):
        crypto.load_note_keys(None, debug=True, var_dir=tmp_path)


def test_production_start_up_without_the_variable_fails_with_its_name(tmp_path):
    result = run_manage("check", FOORUMIX_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "FOORUMIX_NOTES_KEYS must be set when DEBUG is false" in result.stderr
    assert not (tmp_path / "notes-key").exists()


def test_production_start_up_with_a_malformed_key_fails_without_echoing_it(tmp_path):
    bad = "this-is-not-a-fernet-key-but-a-secret-value"
    result = run_manage(
        "check", FOORUMIX_VAR_DIR=str(tmp_path), FOORUMIX_NOTES_KEYS=bad, **PRODUCTION
    )
    assert result.returncode != 0
    assert "FOORUMIX_NOTES_KEYS: key number 1 is not a valid Fernet key" in result.stderr
    assert bad not in result.stderr + result.stdout


def test_deploy_check_is_clean_with_a_notes_key(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        FOORUMIX_VAR_DIR=str(tmp_path),
        FOORUMIX_NOTES_KEYS=new_key(),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_start_up_creates_the_key_file(tmp_path):
    result = run_manage("check", DEBUG="true", FOORUMIX_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "notes-key").read_text().strip()
    Fernet(key)
