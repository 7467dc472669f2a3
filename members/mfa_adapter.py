"""allauth MFA secrets (TOTP keys, recovery-code seeds) encrypted at rest; TOTP stays on
for whoever must use it (members/mfa.py).

allauth stores them in ``Authenticator.data`` and passes every one through the adapter's
``encrypt``/``decrypt``; we use the session notes' MultiFernet (FOORUMIX_NOTES_KEYS, see
foorumix/crypto.py), so a database dump alone cannot mint second factors, and
``manage.py rotate_note_keys`` re-encrypts these secrets together with the notes.
"""

from __future__ import annotations

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from foorumix import crypto
from members.mfa import mfa_required_for

# The encrypted values inside Authenticator.data, by authenticator type.
_SECRET_FIELDS = ("secret", "seed")
_SECRET_LISTS = ("migrated_codes",)


class MFAAdapter(DefaultMFAAdapter):
    @sensitive_variables("text")
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    @sensitive_variables()
    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Whoever must use a second factor (members/mfa.py) cannot turn TOTP off."""
        if authenticator.type == Authenticator.Type.TOTP and mfa_required_for(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)


def mfa_secrets_rotate() -> int:
    """Re-encrypt every stored MFA secret under the first key; returns how many
    authenticators were rewritten. One transaction: all or nothing.

    Raises crypto.UndecryptableError if any secret fits no configured key."""
    count = 0
    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().exclude(
            type=Authenticator.Type.WEBAUTHN
        )
        for authenticator in authenticators.order_by("pk"):
            data = dict(authenticator.data)
            changed = False
            for field in _SECRET_FIELDS:
                if isinstance(data.get(field), str):
                    data[field] = crypto.rotate(data[field])
                    changed = True
            for field in _SECRET_LISTS:
                if isinstance(data.get(field), list):
                    data[field] = [crypto.rotate(value) for value in data[field]]
                    changed = True
            if changed:
                authenticator.data = data
                authenticator.save(update_fields=["data"])
                count += 1
    return count
