"""The session store (SESSION_ENGINE): no readable secret in ``django_session``.

Django's database store keeps the cookie's value as the row's key and the data signed
but readable, so a copy of the table would yield working sessions, and whatever a
library parks in a session (allauth: a TOTP secret being set up, a password-reset key
between the click and the new password). This store keeps instead

- a digest of the key (SHA-256, 40 hex digits: the column's width, 160 bits); the key
  itself lives only in the browser's cookie;
- the data encrypted with FOORUMIX_NOTES_KEYS (foorumix/crypto.py), which the database
  never holds; data from a key no longer configured reads as an empty session (the person
  signs in again).

Rows written by Django's own database store (scripts, tests that create a session
directly) are still read and move to the digest on their next save; a presented value of
a digest's length is never looked up as such a row, or a copied digest would open its
session. Sessions from before this store existed were deleted by migration members.0004.
"""

from __future__ import annotations

import hashlib

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone

from foorumix import crypto

ENCRYPTED_PREFIX = "fernet:"
DIGEST_LENGTH = 40  # django_session.session_key is 40 characters wide


def digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:DIGEST_LENGTH]


def stored_keys(session_key: str) -> list[str]:
    """The row keys a cookie value may open: its digest, or a plain row of its own."""
    if len(session_key) == DIGEST_LENGTH:
        return [digest(session_key)]
    return [digest(session_key), session_key]


class SessionStore(DatabaseStore):
    _plain_row = False  # loaded from a row keyed by the raw key (see module docstring)

    def encode(self, session_dict) -> str:
        return ENCRYPTED_PREFIX + crypto.encrypt(super().encode(session_dict))

    def decode(self, session_data: str) -> dict:
        if not session_data.startswith(ENCRYPTED_PREFIX):
            return super().decode(session_data)
        try:
            return super().decode(crypto.decrypt(session_data.removeprefix(ENCRYPTED_PREFIX)))
        except crypto.UndecryptableError:
            return {}

    def _get_session_from_db(self):
        if self.session_key is None:
            return None
        rows = self.model.objects.filter(
            session_key__in=stored_keys(self.session_key), expire_date__gt=timezone.now()
        )
        row = min(rows, key=lambda row: row.session_key != digest(self.session_key), default=None)
        if row is None:
            self._session_key = None
            return None
        self._plain_row = row.session_key == self.session_key
        return row

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key__in=stored_keys(session_key)).exists()

    def create_model_instance(self, data):
        return self.model(
            session_key=digest(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def save(self, must_create: bool = False) -> None:
        if self._plain_row and self.session_key is not None:
            self.model.objects.filter(session_key=self.session_key).delete()
            self._plain_row = False
            must_create = True
        super().save(must_create=must_create)

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key__in=stored_keys(session_key)).delete()

    # The site runs synchronously; the async API gives the same answers.
    async def _aget_session_from_db(self):
        return await sync_to_async(self._get_session_from_db)()

    async def aexists(self, session_key: str) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def acreate_model_instance(self, data):
        return await sync_to_async(self.create_model_instance)(data)

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)
