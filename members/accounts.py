"""Accounts: who owns an email address, and allauth's adapter for the account rules.

One address per account. An address proves itself only through a link sent to it (a
confirmation link, or a forum invitation link, see forums/signup.py), so:

- an address *belongs* to the account on which it is verified; an account that has never
  verified any address (created by an administrator, not yet signed in) owns its own
  address until then. An unverified address on any other account belongs to nobody: it
  can neither block a signup nor be captured.
- a change of address is an unverified second address until the link sent to it is
  opened *by the account's owner, signed in*. Someone else opening the link (say, the
  real owner of that mailbox, tricked into clicking) verifies nothing. When it is
  verified it replaces the old address, which is told (allauth's email notifications).

Failed sign-ins are counted per account and client address together (see
ACCOUNT_RATE_LIMITS in settings), so nobody can lock an owner out from elsewhere.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import get_ip
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from members.models import User

# Django ships no Finnish for its password-length rule; our catalogue has it, and naming
# the message here keeps it there when `make messages` runs.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)

TOO_MANY_LOGIN_ATTEMPTS = _(
    "Too many failed sign-in attempts from this connection. Wait a few minutes and try "
    "again, or reset your password with the “Forgot your password?” link."
)


def address_owner(email: str) -> User | None:
    """The account `email` belongs to, or None (see the module docstring)."""
    verified = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    if verified is not None:
        return verified.user
    holder = User.objects.filter(email__iexact=email).first()
    if holder is not None and not EmailAddress.objects.filter(user=holder, verified=True).exists():
        return holder
    return None


def owns_verified_address(user: User, email: str) -> bool:
    """Whether `email` is verified on `user`'s account (what accepting an invitation to
    it needs)."""
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def unverified_claims_drop(*, email: str) -> int:
    """Forget every unverified claim on `email`, whose mailbox has just been proven by
    someone about to own it (an invitee signing up). Their confirmation links stop
    working (a link names the address row). Returns how many were dropped."""
    deleted, _details = EmailAddress.objects.filter(email__iexact=email, verified=False).delete()
    return deleted


def is_address_change(address: EmailAddress) -> bool:
    """Whether verifying `address` would replace an address its account already has."""
    return (
        EmailAddress.objects.filter(user_id=address.user_id, verified=True)
        .exclude(pk=address.pk)
        .exists()
    )


class AccountAdapter(DefaultAccountAdapter):
    """The account rules; forums.signup.AccountAdapter adds the invitation signup."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": TOO_MANY_LOGIN_ATTEMPTS,
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """Failed sign-ins count per account *and* client address (allauth counts per
        account only, so anyone could lock the owner out). Also the key a password
        reset clears, for the address it is completed from."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}@{get_ip(request)}"

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """A link that would change an account's address works only for that account's
        owner, signed in: holding the new mailbox is not enough, nor is having been
        asked to click."""
        if is_address_change(email_address) and request.user.pk != email_address.user_id:
            messages.error(
                request,
                _(
                    "Sign in to the account that asked for this change first, then "
                    "open the link again."
                ),
            )
            return False
        return super().confirm_email(request, email_address)

    def can_delete_email(self, email_address: EmailAddress) -> bool:
        """One address per account: only a pending change can be removed (cancelled)."""
        return not email_address.verified and not email_address.primary
