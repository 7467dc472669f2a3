"""Re-encrypt everything encrypted with FOORUMIX_NOTES_KEYS under its first key: session
notes, MFA secrets, preparations, notes to the coordinator and staged pulse answers.

Key rotation: put the new key first in FOORUMIX_NOTES_KEYS (keep the old one after it),
restart, run this command, then remove the old key and restart again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from foorumix.crypto import UndecryptableError
from members.mfa_adapter import mfa_secrets_rotate
from sessions_app.live.services import live_texts_rotate_keys
from sessions_app.meetings.services import private_texts_rotate_keys
from sessions_app.notes.services import notes_rotate_keys
from sessions_app.pulse.services import staged_pulse_answers_rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every session note, MFA secret, preparation, note to the coordinator "
        "and staged pulse answer under the first key of FOORUMIX_NOTES_KEYS, and report "
        "how many were rewritten."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():  # all or nothing
                notes = notes_rotate_keys()
                secrets = mfa_secrets_rotate()
                preparations, rsvps = private_texts_rotate_keys()
                staged = staged_pulse_answers_rotate_keys()
                notepads, commitments = live_texts_rotate_keys()
        except UndecryptableError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {notes} session notes and {secrets} MFA secrets, "
                f"{preparations} preparations, {rsvps} RSVP rows (notes to the coordinator), "
                f"{staged} staged pulse answers, {notepads} meeting notepads and "
                f"{commitments} commitments under the first key of "
                "FOORUMIX_NOTES_KEYS."
            )
        )
