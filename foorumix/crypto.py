"""Encryption at rest for session notes and MFA secrets, with keys of their own.

The keys are ``FOORUMIX_NOTES_KEYS``: comma-separated Fernet keys. The first key
encrypts; every key decrypts (cryptography's MultiFernet), so a key is rotated by putting
a new one first, running ``manage.py rotate_note_keys`` and then dropping the old one.
SECRET_KEY is deliberately not used: it signs sessions and links, and leaking or
rotating it must not expose or lose notes.

``load_note_keys`` runs inside settings.py (so it imports nothing from Django that needs
settings): a missing key with DEBUG off, or a malformed key, stops start-up. In
development (DEBUG on, variable unset) one key is generated into ``var/notes-key`` and
reused, so notes survive restarts without any configuration.

Members' private texts (preparations, notes to the coordinator) and the pulse's staged
answers use the same keys through ``EncryptedTextField``: a model field whose column
only ever holds a token, padded to a length class and stamped with no time (see
``encrypt_private``), so a database copy shows neither the text, nor its length, nor
when it was written.

Error messages name the variable or the key's position, never a key or a plaintext.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.views.decorators.debug import sensitive_variables

logger = logging.getLogger(__name__)

ENV_VAR = "FOORUMIX_NOTES_KEYS"
DEV_KEY_FILENAME = "notes-key"
_HOW_TO = (
    "Generate a key with: python -c "
    '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class UndecryptableError(Exception):
    """A stored value cannot be decrypted with any key in FOORUMIX_NOTES_KEYS."""


# --------------------------------------------------------------------------- start-up


def _check_key(key: str, where: str) -> str:
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            f"{where} is not a valid Fernet key (32 url-safe base64-encoded bytes). {_HOW_TO}"
        ) from None
    return key


def load_note_keys(raw: str | None, *, debug: bool, var_dir: Path) -> list[str]:
    """The configured keys, first one encrypting; raises ImproperlyConfigured if unusable.

    ``raw`` is the environment value (None when unset or blank).
    """
    if raw is None:
        if not debug:
            raise ImproperlyConfigured(
                f"{ENV_VAR} must be set when DEBUG is false: comma-separated Fernet keys, "
                f"the first one encrypts. {_HOW_TO}"
            )
        return [_development_key(var_dir / DEV_KEY_FILENAME)]
    keys = [part.strip() for part in raw.split(",")]
    if any(not key for key in keys):
        raise ImproperlyConfigured(
            f"{ENV_VAR} must be a comma-separated list of Fernet keys without empty items."
        )
    for position, key in enumerate(keys, start=1):
        _check_key(key, f"{ENV_VAR}: key number {position}")
    return keys


def _development_key(path: Path) -> str:
    """Read the development key, creating it (mode 0600) on first use.

    The file is written under a temporary name and linked into place, so parallel
    processes (runserver's reloader, a worker, pytest) agree on one complete key.
    """
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        try:
            descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(Fernet.generate_key().decode("ascii") + "\n")
            with contextlib.suppress(FileExistsError):  # another process won: use its key
                os.link(tmp, path)
        except OSError as error:
            raise ImproperlyConfigured(
                f"{ENV_VAR} is not set and the development key file {path} could not be "
                f"created ({error.strerror}). Set {ENV_VAR} or make the directory writable."
            ) from None
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    return _check_key(key, f"The development key file {path} (used while {ENV_VAR} is unset)")


# --------------------------------------------------------------------------- runtime


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    return _multi_fernet(tuple(settings.FOORUMIX_NOTES_KEYS))


@sensitive_variables("text")
def encrypt(text: str) -> str:
    """Encrypt under the first key; the token is ASCII, safe for a TextField or JSON."""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


@sensitive_variables()
def decrypt(token: str) -> str:
    """Decrypt with whichever configured key fits, or raise UndecryptableError."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise UndecryptableError(
            f"A stored value cannot be decrypted with any key in {ENV_VAR}: the key that "
            "encrypted it is missing from the list, or the value is damaged."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt ``token`` under the first key (it may have been made with any key)."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise UndecryptableError(
            f"A stored value cannot be decrypted with any key in {ENV_VAR}."
        ) from None


# --------------------------------------------------------------------------- private texts

# Every private text is padded to a power of two of at least this many bytes, so an empty
# note, "sick" and two sentences give tokens of one length.
_PAD_MINIMUM = 128
_PAD_MARKER = b"\x80"  # ISO/IEC 7816-4 padding: the marker, then zero bytes
# Fernet tokens are url-safe base64 of the version byte 0x80 and a timestamp that starts
# with zero bytes (encrypt_private stamps 0), so they all start with "gAAAAA".
_TOKEN_SHAPE = re.compile(r"gAAAAA[A-Za-z0-9_-]{90,}={0,2}")


def looks_encrypted(value: str) -> bool:
    """Whether ``value`` has the shape of a Fernet token (it may still fit no key)."""
    return bool(_TOKEN_SHAPE.fullmatch(value))


@sensitive_variables("text", "data")
def encrypt_private(text: str) -> str:
    """Encrypt a member's private text under the first key.

    The plaintext is padded to a length class (see _PAD_MINIMUM) and the token's
    timestamp is 0, so the token reveals neither the exact length nor the time of
    writing; each call gives a different token.
    """
    data = text.encode("utf-8") + _PAD_MARKER
    size = max(_PAD_MINIMUM, 1 << (len(data) - 1).bit_length())
    return _fernet().encrypt_at_time(data.ljust(size, b"\0"), 0).decode("ascii")


@sensitive_variables()
def decrypt_private(token: str) -> str:
    """The text of an encrypt_private token, or UndecryptableError."""
    try:
        padded = _fernet().decrypt(token.encode("ascii")).rstrip(b"\0")
        if not padded.endswith(_PAD_MARKER):
            raise InvalidToken
        return padded[: -len(_PAD_MARKER)].decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise UndecryptableError(
            f"A stored value cannot be decrypted with any key in {ENV_VAR}: the key that "
            "encrypted it is missing from the list, or the value is damaged."
        ) from None


class UndecryptableText(str):
    """What an EncryptedTextField holds when no configured key opens its token.

    It reads as "" (pages render; ``undecryptable`` lets a template say why), and saving
    the row writes the original token back unchanged, so restoring the key restores the
    text."""

    undecryptable = True
    token: str

    def __new__(cls, token: str = "") -> UndecryptableText:
        text = super().__new__(cls, "")
        text.token = token
        return text


class EncryptedTextField(models.TextField):
    """Free text that the database only ever holds as an ``encrypt_private`` token.

    Python code reads and assigns plain ``str``; the column gets a fresh token on every
    save (also of ""), decryption happens when rows are loaded. A token that fits no key
    loads as an UndecryptableText (and is logged, without the value). The database
    cannot compare encrypted text, so lookups other than ``isnull`` are refused.
    ``max_length`` only limits the form field. ``dumpdata`` writes tokens, ``loaddata``
    reads them back."""

    description = "Text encrypted with FOORUMIX_NOTES_KEYS"

    def from_db_value(self, value, expression, connection):
        if not value:  # NULL, or "" written by raw SQL
            return value
        try:
            return decrypt_private(value)
        except UndecryptableError:
            logger.error("A value of %s cannot be decrypted with %s", self, ENV_VAR)
            return UndecryptableText(value)

    @sensitive_variables()
    def to_python(self, value):
        plain = isinstance(value, str) and not isinstance(value, UndecryptableText)
        if plain and looks_encrypted(value):  # e.g. from loaddata
            try:
                return decrypt_private(value)
            except UndecryptableError:
                return value
        return super().to_python(value)

    @sensitive_variables()
    def get_prep_value(self, value):
        if isinstance(value, UndecryptableText):
            return value.token
        value = super().get_prep_value(value)
        return None if value is None else encrypt_private(value)

    def value_to_string(self, obj) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else self.get_prep_value(value)

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name):
        return None


def reencrypt_rows(queryset: models.QuerySet, field_names: Sequence[str], *, chunk=500) -> int:
    """Re-encrypt the EncryptedTextFields ``field_names`` of every row of ``queryset``
    under the first key: rows are locked, loaded (decrypted with any key) and written
    back a chunk at a time. Call it inside a transaction.

    Raises UndecryptableError naming the ids of rows that fit no key (after rewriting
    the others: the caller's transaction is expected to roll them back). Returns the
    number of rows rewritten."""
    rows = queryset.select_for_update().only("pk", *field_names).order_by("pk")
    failed: list = []
    count, last = 0, None
    while page := list((rows if last is None else rows.filter(pk__gt=last))[:chunk]):
        last = page[-1].pk
        readable = []
        for row in page:
            values = [getattr(row, name) for name in field_names]
            if any(isinstance(value, UndecryptableText) for value in values):
                failed.append(row.pk)
            else:
                readable.append(row)
        queryset.model.objects.bulk_update(readable, field_names)
        count += len(readable)
    if failed:
        shown = ", ".join(str(pk) for pk in failed[:20]) + (" ..." if len(failed) > 20 else "")
        raise UndecryptableError(
            f"{queryset.model._meta.label} rows [{shown}] cannot be decrypted "
            f"with any key in {ENV_VAR}."
        )
    return count
