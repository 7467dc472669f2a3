"""Invitation links; see foorumix/tokens.py for how tokens are made and kept."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from foorumix import tokens

if TYPE_CHECKING:
    from forums.models import Invitation

SESSION_KEY = "foorumix_invitation_token"
new_nonce = tokens.new_nonce
hash_token = tokens.hash_token


def token_for(invitation: Invitation) -> str:
    return tokens.derive("invitation", invitation.nonce)


def invitation_url(invitation: Invitation) -> str:
    from django.conf import settings

    path = reverse("invitation", kwargs={"token": token_for(invitation)})
    return f"{settings.SITE_URL}{path}"


def find_invitation(token: str) -> Invitation | None:
    """The invitation a token belongs to, whatever its state; None if the token is
    malformed or unknown."""
    from forums.models import Invitation

    if not tokens.well_formed(token):
        return None
    return (
        Invitation.objects.select_related("forum", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_for_signup(request: HttpRequest) -> Invitation | None:
    """The valid invitation stored in this session, if its address has no account yet.

    This is the only way signup opens (see forums.signup.AccountAdapter).
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
