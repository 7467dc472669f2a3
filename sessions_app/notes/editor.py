"""The notes editor's actions, as one service: check, replace a finding, replace all,
dismiss, restore, save. The view parses the form and shows the result; every rule
about what an action does lives here.

Nothing typed is lost: whatever happens, the result carries the text to show again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.views.decorators.debug import sensitive_variables

from members.models import User
from sessions_app.models import Meeting
from sessions_app.notes import selectors
from sessions_app.notes import services as notes
from sessions_app.notes.review import Dismissal, Review, note_review

# Why the editor came back instead of saving (the view words each for the person).
GONE = "gone"  # the finding to replace is no longer in the text
UNRESOLVED = "unresolved"  # findings still need to be replaced or dismissed
CONFLICT = "conflict"  # someone else saved meanwhile
PAST_RETENTION = "past_retention"  # the notes would be deleted at once


@dataclass(frozen=True)
class EditorResult:
    text: str
    review: Review
    base: datetime | None
    saved: bool = False
    notice: str | None = None
    unresolved: int = 0


@sensitive_variables()
def _revise(action: str, review: Review, argument, forum) -> tuple[Review, str | None]:
    """The review after a replace/replace_all/dismiss/restore action (and a notice)."""
    if action == "replace":
        replaced = review.replace(*argument)
        if replaced is None:
            return review, GONE
        return note_review(forum=forum, text=replaced, dismissed=review.dismissed), None
    if action == "replace_all":
        text = review.replace_all()
        return note_review(forum=forum, text=text, dismissed=review.dismissed), None
    if action == "dismiss":
        return review.with_dismissed(review.dismissed | {argument}), None
    if action == "restore":
        return review.with_dismissed(review.dismissed - {argument}), None
    return review, None  # "check": the fresh review is the answer


@sensitive_variables()
def note_edit(
    *,
    meeting: Meeting,
    author: User,
    text: str,
    dismissed: frozenset[Dismissal],
    base: datetime | None,
    action: str,
    argument: tuple[str, int, str] | Dismissal | None = None,
) -> EditorResult:
    """Apply one editor action to the posted text. Only "save" writes: it stores the
    notes when no finding is unresolved and nobody saved since `base` (see
    notes.services.note_save). The caller has checked that `author` may write."""
    review = note_review(forum=meeting.forum, text=text, dismissed=dismissed)
    if action != "save":
        review, notice = _revise(action, review, argument, meeting.forum)
        return EditorResult(text=review.text, review=review, base=base, notice=notice)
    try:
        notes.note_save(
            meeting=meeting, author=author, text=text, dismissed=review.dismissed,
            expected_updated_at=base,
        )  # fmt: skip
    except notes.UnresolvedFindings as refusal:
        return EditorResult(text, review, base, notice=UNRESOLVED, unresolved=len(refusal.findings))
    except notes.NoteChanged:
        current = selectors.note_for_meeting(meeting)
        return EditorResult(text, review, current.updated_at if current else None, notice=CONFLICT)
    except notes.NotesPastRetention:
        return EditorResult(text, review, base, notice=PAST_RETENTION)
    return EditorResult(text, review, base, saved=True)
