"""Re-encrypt session notes and MFA secrets under the first key of FOORUMIX_NOTES_KEYS.

Key rotation: put the new key first in FOORUMIX_NOTES_KEYS (keep the old one after it),
restart, run this command, then remove the old key and restart again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from foorumix.crypto import UndecryptableError
from members.mfa_adapter import mfa_secrets_rotate
from sessions_app.notes.services import notes_rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every session note and MFA secret under the first key of "
        "FOORUMIX_NOTES_KEYS, and report how many were rewritten."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():  # all or nothing
                notes = notes_rotate_keys()
                secrets = mfa_secrets_rotate()
        except UndecryptableError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {notes} session notes and {secrets} MFA secrets "
                "under the first key of FOORUMIX_NOTES_KEYS."
            )
        )
