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

Error messages name the variable or the key's position, never a key or a plaintext.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables

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
