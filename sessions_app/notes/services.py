"""Session notes: save, read and re-encrypt them; when a meeting takes notes.

The notes are the most confidential data in the product. What this module guarantees:

* Nothing is stored while the text has a personal-data finding (sessions_app.notes.anonymiser)
  that the author has neither replaced by its placeholder nor dismissed as a false alarm;
  the check runs here, on the server, on every save.
* The body exists only encrypted (``SessionNote.body_encrypted``, foorumix/crypto.py).
  The encrypted payload is a small JSON envelope ``{"v": 1, "body": ..., "dismissed":
  [...]}`` so that the author's dismissals survive re-editing; they are as confidential
  as the body and live only inside the ciphertext.
* Logs carry ids and counts only, never text. Functions that hold plaintext are marked
  ``sensitive_variables`` so Django's error reports do not show it.
Reviewing a text is sessions_app/notes/review.py, retention sessions_app/notes/retention.py,
reads that list notes sessions_app/notes/selectors.py.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from foorumix import crypto
from members.models import User
from sessions_app.models import Meeting, NoteRead, SessionNote
from sessions_app.notes.anonymiser import Finding
from sessions_app.notes.retention import note_expiry
from sessions_app.notes.review import Dismissal, dismissal_key, note_review, parse_dismissal

logger = logging.getLogger(__name__)

ANY_VERSION = object()  # note_save: overwrite whatever notes are stored
_PAYLOAD_VERSION = 1


# --------------------------------------------------------------------------- errors


class NotesNotOpen(Exception):
    """The meeting has not started yet, or was cancelled: no notes can be written."""


class UnresolvedFindings(Exception):
    """The text still has personal-data findings that were neither replaced nor dismissed."""

    def __init__(self, findings: list[Finding]):
        super().__init__(len(findings))
        self.findings = findings


class NoteChanged(Exception):
    """Somebody else saved the notes after the editor was opened."""


class NotesPastRetention(Exception):
    """The meeting is older than the forum keeps notes; they would be deleted at once."""


# --------------------------------------------------------------------------- when


def meeting_accepts_notes(meeting: Meeting) -> bool:
    """Notes are written once a meeting has started (held or not yet marked held) and
    never for a cancelled one."""
    return meeting.has_started and not meeting.is_cancelled


# --------------------------------------------------------------------------- storage


@dataclass(frozen=True)
class NoteContent:
    body: str
    dismissed: frozenset[Dismissal]


@sensitive_variables("body", "dismissed")
def _pack(body: str, dismissed: frozenset[Dismissal]) -> str:
    return json.dumps(
        {
            "v": _PAYLOAD_VERSION,
            "body": body,
            "dismissed": sorted(dismissal_key(k, t) for k, t in dismissed),
        },
        ensure_ascii=False,
    )


@sensitive_variables()
def _unpack(plain: str) -> NoteContent:
    try:
        payload = json.loads(plain)
    except ValueError:
        payload = None
    if not (isinstance(payload, dict) and payload.get("v") == _PAYLOAD_VERSION):
        return NoteContent(plain, frozenset())  # a bare body, e.g. written by hand
    parsed = (parse_dismissal(value) for value in payload.get("dismissed", []))
    return NoteContent(payload["body"], frozenset(d for d in parsed if d))


@sensitive_variables("text", "review", "token")
def note_save(
    *,
    meeting: Meeting,
    author: User,
    text: str,
    dismissed: frozenset[Dismissal],
    expected_updated_at: datetime | None | object = ANY_VERSION,
) -> SessionNote:
    """Store the meeting's notes, encrypted, replacing earlier ones.

    Callers have checked sessions_app.access.meeting_for_note_writer. Re-runs
    personal-data detection and raises UnresolvedFindings if any finding is not
    dismissed; NotesNotOpen before the
    meeting starts or if it is cancelled; NotesPastRetention if the notes would already
    be expired; NoteChanged if ``expected_updated_at`` is given and the stored notes
    differ from it (None: "the editor saw no notes"; ANY_VERSION, the default: overwrite
    whatever is stored). Nothing is stored on any of these. One transaction; logs ids only.
    """
    if not meeting_accepts_notes(meeting):
        raise NotesNotOpen
    review = note_review(forum=meeting.forum, text=text, dismissed=dismissed)
    if review.unresolved:
        raise UnresolvedFindings(review.unresolved)
    now = timezone.now()
    expires_at = note_expiry(meeting)
    if expires_at <= now:
        raise NotesPastRetention
    token = crypto.encrypt(_pack(review.text, review.dismissed))
    fields = {
        "body_encrypted": token,
        "author": author,
        "updated_at": now,
        "expires_at": expires_at,
    }
    with transaction.atomic():
        note = SessionNote.objects.select_for_update().filter(meeting=meeting).first()
        if note is None:
            if expected_updated_at not in (None, ANY_VERSION):
                raise NoteChanged  # deleted meanwhile (retention)
            try:
                with transaction.atomic():
                    note = SessionNote.objects.create(meeting=meeting, created_at=now, **fields)
            except IntegrityError:
                raise NoteChanged from None  # another writer created them a moment ago
        else:
            if expected_updated_at is not ANY_VERSION and expected_updated_at != note.updated_at:
                raise NoteChanged
            for name, value in fields.items():
                setattr(note, name, value)
            note.save(update_fields=list(fields))
    logger.info("Session note %s saved for meeting %s by user %s", note.pk, meeting.pk, author.pk)
    return note


@sensitive_variables()
def note_content(note: SessionNote) -> NoteContent:
    """Decrypt the notes; raises crypto.UndecryptableError if no configured key fits."""
    return _unpack(crypto.decrypt(note.body_encrypted))


@sensitive_variables()
def note_read(*, note: SessionNote, reader: User) -> NoteContent:
    """Decrypt the notes for a reader the caller has authorised and record the read.

    Nothing is recorded when decryption fails."""
    content = note_content(note)
    NoteRead.objects.create(note=note, reader=reader)
    logger.info("Session note %s read by user %s", note.pk, reader.pk)
    return content


def notes_rotate_keys() -> int:
    """Re-encrypt every note under the first key of FOORUMIX_NOTES_KEYS.

    One transaction: if any note fits no key, nothing is rewritten and
    crypto.UndecryptableError names the note ids. Returns the number of notes."""
    failed, count = [], 0
    with transaction.atomic():
        notes = SessionNote.objects.select_for_update().only("pk", "body_encrypted")
        for note in notes.order_by("pk"):
            try:
                note.body_encrypted = crypto.rotate(note.body_encrypted)
            except crypto.UndecryptableError:
                failed.append(note.pk)
                continue
            note.save(update_fields=["body_encrypted"])
            count += 1
        if failed:
            raise crypto.UndecryptableError(
                f"Session notes {failed} cannot be decrypted with any key in "
                f"{crypto.ENV_VAR}; no note was re-encrypted."
            )
    return count
