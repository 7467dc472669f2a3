"""Secret link tokens (invitations, calendar feeds).

A token is derived, not stored: HMAC(a SECRET_KEY-derived key per purpose, a random
128-bit nonce). The database keeps the nonce and SHA-256(token) for lookup, so a copy of
the database alone cannot produce a working link, while the app can rebuild the link
from the row when it sends an email (no token travels through the broker). Drawing a new
nonce invalidates the old link.
"""

import hashlib
import re
import secrets

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
