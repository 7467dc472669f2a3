"""Secret links (invitations, calendar feeds, pulse links): one mechanism.

A token is derived, not stored: HMAC(a SECRET_KEY-derived key per purpose, a random
128-bit nonce). The database keeps the nonce and SHA-256(token) for lookup, so a copy of
the database alone cannot produce a working link, while the app can rebuild the link
from the row when it sends an email (no token travels through the broker). Drawing a new
nonce invalidates the old link.

Models reachable by a secret link inherit the abstract `SecretLink` and name their
`token_purpose`; a purpose keeps one kind of link from opening another.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import ClassVar

from django.db import models
from django.utils.crypto import salted_hmac

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def new_nonce() -> str:
    return secrets.token_hex(16)  # 128 bits


def derive(purpose: str, nonce: str) -> str:
    return salted_hmac(f"foorumix.{purpose}", nonce, algorithm="sha256").hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: object) -> bool:
    return isinstance(token, str) and bool(TOKEN_PATTERN.match(token))


class SecretLink(models.Model):
    """A row that a secret link opens. Holds the nonce and the token's hash, never the
    token."""

    token_purpose: ClassVar[str]

    nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        abstract = True

    def token(self) -> str:
        return derive(self.token_purpose, self.nonce)

    def draw_token(self) -> str:
        """A fresh nonce (any earlier link stops working once saved); returns the token."""
        self.nonce = new_nonce()
        token = self.token()
        self.token_hash = hash_token(token)
        return token

    @classmethod
    def by_token(cls, token: object) -> models.QuerySet:
        """The row(s) a token opens: none when it is malformed or unknown."""
        if not well_formed(token):
            return cls.objects.none()
        return cls.objects.filter(token_hash=hash_token(token))
