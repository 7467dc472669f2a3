"""Session notes: who may write them, the personal-data review, save, read, retention.

The notes are the most confidential data in the product. What this module guarantees:

* Nothing is stored while the text has a personal-data finding (sessions_app.notes.anonymise)
  that the author has neither replaced by its placeholder nor dismissed as a false alarm;
  the check runs here, on the server, on every save.
* The body exists only encrypted (``SessionNote.body_encrypted``, sessions_app/crypto.py).
  The encrypted payload is a small JSON envelope ``{"v": 1, "body": ..., "dismissed":
  [...]}`` so that the author's dismissals survive re-editing; they are as confidential
  as the body and live only inside the ciphertext.
* Logs carry ids and counts only, never text. Functions that hold plaintext are marked
  ``sensitive_variables`` so Django's error reports do not show it.

A dismissal is the pair (kind, text) of a finding, written "kind:text" in forms: it
accepts every occurrence of exactly that text detected as that kind. Offsets would not
survive the author editing the text between two checks; the pair does.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from foorumix import crypto
from forums.models import Forum
from members.models import User
from sessions_app.access import meetings_visible_to
from sessions_app.models import Meeting, NoteRead, SessionNote
from sessions_app.notes.anonymise import PLACEHOLDERS, Finding, find_personal_data, redact

logger = logging.getLogger(__name__)

Dismissal = tuple[str, str]  # (finding kind, finding text)
MAX_DISMISSALS = 200
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


# --------------------------------------------------------------------------- who may write


def meeting_accepts_notes(meeting: Meeting) -> bool:
    """Notes are written once a meeting has started (held or not yet marked held) and
    never for a cancelled one."""
    return meeting.has_started and not meeting.is_cancelled


def can_write_notes(user: User, meeting: Meeting) -> bool:
    """The forum's coordinators, and the meeting's note-taker while an active member.

    ``meeting`` comes from ``get_meeting_for_member``: reaching it already means an active
    membership with the current agreement accepted, or coordinating the forum."""
    forum = meeting.forum
    if forum.viewer_is_coordinator:
        return True
    return meeting.note_taker_id == user.pk and forum.viewer_membership is not None


def require_note_writer(user: User, meeting: Meeting) -> None:
    """403 for a member who may read but not write these notes."""
    if not can_write_notes(user, meeting):
        raise PermissionDenied


# --------------------------------------------------------------------------- review


def dismissal_key(kind: str, text: str) -> str:
    return f"{kind}:{text}"


def parse_dismissal(value: str) -> Dismissal | None:
    kind, sep, text = value.partition(":")
    if not sep or kind not in PLACEHOLDERS or not text:
        return None
    return kind, text


def forum_names(forum: Forum) -> list[str]:
    """Full names the detector treats as members: active members' and coordinators'."""
    people = User.objects.filter(
        Q(memberships__forum=forum, memberships__ended_at__isnull=True)
        | Q(coordinated_forums=forum)
    ).distinct()
    names = {
        f"{first} {last}".strip() for first, last in people.values_list("first_name", "last_name")
    }
    return sorted(name for name in names if name)


@dataclass(frozen=True)
class Segment:
    """A piece of the reviewed text, for highlighting: a finding or the text between."""

    text: str
    finding: Finding | None = None
    number: int | None = None  # 1-based position among the findings
    dismissed: bool = False


@dataclass(frozen=True)
class Review:
    """The detector's findings on ``text`` and which of them the author dismissed."""

    text: str
    findings: list[Finding]
    dismissed: frozenset[Dismissal] = field(default_factory=frozenset)

    def is_dismissed(self, finding: Finding) -> bool:
        return (finding.kind, finding.text) in self.dismissed

    @property
    def unresolved(self) -> list[Finding]:
        return [f for f in self.findings if not self.is_dismissed(f)]

    @property
    def dismissed_findings(self) -> list[Finding]:
        return [f for f in self.findings if self.is_dismissed(f)]

    @property
    def dismissal_values(self) -> list[str]:
        return sorted(dismissal_key(kind, text) for kind, text in self.dismissed)

    def segments(self) -> list[Segment]:
        out, pos = [], 0
        for number, finding in enumerate(self.findings, start=1):
            if finding.start > pos:
                out.append(Segment(self.text[pos : finding.start]))
            out.append(Segment(finding.text, finding, number, self.is_dismissed(finding)))
            pos = finding.end
        if pos < len(self.text):
            out.append(Segment(self.text[pos:]))
        return out

    def with_dismissed(self, dismissed: frozenset[Dismissal]) -> Review:
        present = {(f.kind, f.text) for f in self.findings}
        return Review(self.text, self.findings, frozenset(dismissed) & present)

    def replace(self, kind: str, start: int, text: str) -> str | None:
        """The text with one finding replaced by its placeholder, or None if no finding of
        that kind and text is left. Prefers the one at ``start``, else the nearest."""
        candidates = [f for f in self.findings if f.kind == kind and f.text == text]
        if not candidates:
            return None
        target = min(candidates, key=lambda f: abs(f.start - start))
        return redact(self.text, [target])

    def replace_all(self) -> str:
        return redact(self.text, self.unresolved)


@sensitive_variables("text")
def note_review(*, forum: Forum, text: str, dismissed: frozenset[Dismissal]) -> Review:
    """Run the detector on ``text``; keep only dismissals that match a current finding."""
    findings = find_personal_data(text, forum_names(forum))
    return Review(text, findings).with_dismissed(dismissed)


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


def note_expiry(meeting: Meeting) -> datetime:
    """Notes are kept for the forum's retention period counted from the meeting start."""
    return meeting.starts_at + relativedelta(months=meeting.forum.note_retention_months)


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

    Callers have checked ``require_note_writer``. Re-runs personal-data detection and
    raises UnresolvedFindings if any finding is not dismissed; NotesNotOpen before the
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


def notes_delete_expired(*, now: datetime | None = None) -> list[int]:
    """Delete every note whose ``expires_at`` has passed (their reads go with them).

    Idempotent: a second run finds nothing. Returns the deleted ids."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            SessionNote.objects.select_for_update()
            .filter(expires_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if ids:
            SessionNote.objects.filter(pk__in=ids).delete()
    return ids


def notes_expiry_update(*, forum: Forum) -> int:
    """Recompute ``expires_at`` of the forum's notes after its retention period changed.

    For whoever changes ``Forum.note_retention_months``; returns the number of notes."""
    notes = SessionNote.objects.filter(meeting__forum=forum).select_related("meeting__forum")
    count = 0
    with transaction.atomic():
        for note in notes.select_for_update(of=("self",)):
            note.meeting.forum = forum
            note.expires_at = note_expiry(note.meeting)
            note.save(update_fields=["expires_at"])
            count += 1
    return count


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


# --------------------------------------------------------------------------- selectors


def note_for_meeting(meeting: Meeting) -> SessionNote | None:
    return SessionNote.objects.filter(meeting=meeting).select_related("author").first()


def note_readers(note: SessionNote) -> QuerySet[User]:
    """Everyone who has read the notes, each with ``last_read``, latest first."""
    reads = NoteRead.objects.filter(note=note)
    last = reads.filter(reader=OuterRef("pk")).order_by("-read_at").values("read_at")[:1]
    return (
        User.objects.filter(pk__in=reads.values("reader"))
        .annotate(last_read=Subquery(last))
        .order_by("-last_read", "last_name", "first_name")
    )


def forum_note_meetings(user: User, forum: Forum) -> QuerySet[Meeting]:
    """The forum's meetings that have notes or may get them (started, not cancelled),
    newest first, each with ``note`` loaded without its body. One query."""
    now = timezone.now()
    return (
        meetings_visible_to(user)
        .filter(forum=forum)
        .filter(
            Q(note__isnull=False) | (Q(starts_at__lte=now) & ~Q(status=Meeting.Status.CANCELLED))
        )
        .select_related("note", "note__author")
        .defer("note__body_encrypted")
        .order_by("-starts_at")
    )
