"""Invitation tokens.

A token is derived, not stored: HMAC(SECRET_KEY-derived key, a random 128-bit nonce).
The database keeps the nonce and SHA-256(token) for lookup, so a copy of
the database alone cannot produce a working link, while the mail task can rebuild the
link from the invitation row (no token ever travels through the broker).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

if TYPE_CHECKING:
    from forums.models import Invitation

SESSION_KEY = "foorumix_invitation_token"
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def new_nonce() -> str:
    return secrets.token_hex(16)  # 128 bits


def token_for(invitation: Invitation) -> str:
    return salted_hmac("foorumix.invitation", invitation.nonce, algorithm="sha256").hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(invitation: Invitation) -> str:
    from django.conf import settings

    path = reverse("invitation", kwargs={"token": token_for(invitation)})
    return f"{settings.SITE_URL}{path}"


def find_invitation(token: str) -> Invitation | None:
    """The invitation a token belongs to, whatever its state; None if the token is
    malformed or unknown."""
    from forums.models import Invitation

    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    return (
        Invitation.objects.select_related("forum", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_for_signup(request: HttpRequest) -> Invitation | None:
    """The valid invitation stored in this session, if its address has no account yet.

    This is the only way signup opens (see members.adapters.AccountAdapter).
    """
    from members.models import User

    token = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    invitation = find_invitation(token) if token else None
    if invitation is None or invitation.status != invitation.Status.PENDING:
        return None
    if User.objects.filter(email__iexact=invitation.email).exists():
        return None
    return invitation


def default_expiry():
    from django.conf import settings

    return timezone.now() + timedelta(days=settings.FOORUMIX_INVITATION_DAYS)
