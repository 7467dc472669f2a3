"""Session notes pages: a forum's list, reading one meeting's notes, the editor.

Every page answers with ``Cache-Control: no-store`` and ``X-Robots-Tag: noindex``.
Plaintext never reaches a log line, and the editor's POST data and the views' local
variables are hidden from Django's error reports.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from foorumix.crypto import UndecryptableError
from forums.access import get_forum_for_member
from sessions_app.access import get_meeting_for_member
from sessions_app.models import Meeting, SessionNote
from sessions_app.notes import services as notes
from sessions_app.notes.anonymise import PLACEHOLDERS
from sessions_app.notes.forms import NoteForm

logger = logging.getLogger(__name__)

KIND_LABELS = {
    "member": gettext_lazy("A member's name"),
    "person": gettext_lazy("A person's name"),
    "phone": gettext_lazy("Phone number"),
    "email": gettext_lazy("Email address"),
    "hetu": gettext_lazy("Personal identity code"),
    "iban": gettext_lazy("Bank account number"),
}


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _only_get(request: HttpRequest) -> HttpResponse | None:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def _undecryptable(request: HttpRequest, meeting: Meeting, note: SessionNote) -> HttpResponse:
    logger.error(
        "Session note %s cannot be decrypted with FOORUMIX_NOTES_KEYS (meeting %s)",
        note.pk,
        meeting.pk,
    )
    response = render(
        request,
        "sessions_app/notes/undecryptable.html",
        {"meeting": meeting, "forum": meeting.forum},
        status=503,
    )
    return _private(response)


@login_required
@never_cache
def forum_notes(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The forum's started meetings and whether each has notes."""
    forum = get_forum_for_member(request.user, forum_id)
    if (refused := _only_get(request)) is not None:
        return refused
    meetings = list(notes.forum_note_meetings(request.user, forum))
    for meeting in meetings:
        meeting.forum = forum
        meeting.viewer_may_write = notes.meeting_accepts_notes(meeting) and notes.can_write_notes(
            request.user, meeting
        )
        meeting.stored_note = getattr(meeting, "note", None)
    context = {"forum": forum, "meetings": meetings}
    return _private(render(request, "sessions_app/notes/forum_notes.html", context))


@login_required
@never_cache
@sensitive_variables()
def meeting_notes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Read a meeting's notes; every read is recorded and listed on the page."""
    meeting = get_meeting_for_member(request.user, meeting_id)
    if (refused := _only_get(request)) is not None:
        return refused
    note = notes.note_for_meeting(meeting)
    content = None
    if note is not None:
        try:
            content = notes.note_read(note=note, reader=request.user)
        except UndecryptableError:
            return _undecryptable(request, meeting, note)
    context = {
        "meeting": meeting,
        "forum": meeting.forum,
        "note": note,
        "body": content.body if content else "",
        "readers": list(notes.note_readers(note)) if note else [],
        "may_write": notes.can_write_notes(request.user, meeting)
        and notes.meeting_accepts_notes(meeting),
    }
    return _private(render(request, "sessions_app/notes/note.html", context))


@login_required
@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def meeting_notes_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Write the notes: check for personal data, replace or dismiss findings, save.

    The server re-runs the check on every post and refuses to save while a finding is
    unresolved; the refused text comes back in the editor, so nothing typed is lost.
    """
    meeting = get_meeting_for_member(request.user, meeting_id)
    notes.require_note_writer(request.user, meeting)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not notes.meeting_accepts_notes(meeting):
        context = {
            "meeting": meeting,
            "forum": meeting.forum,
            "text": request.POST.get("text", ""),
        }
        status = 409 if request.method == "POST" else 200
        response = render(request, "sessions_app/notes/unavailable.html", context, status=status)
        return _private(response)

    note = notes.note_for_meeting(meeting)
    if request.method != "POST":
        if note is None:
            return _editor(request, meeting, text="", review=None, base=None)
        try:
            content = notes.note_read(note=note, reader=request.user)
        except UndecryptableError:
            return _undecryptable(request, meeting, note)
        review = notes.note_review(
            forum=meeting.forum, text=content.body, dismissed=content.dismissed
        )
        return _editor(request, meeting, text=content.body, review=review, base=note.updated_at)

    form = NoteForm(request.POST)
    if not form.is_valid():
        return _editor(request, meeting, form=form, status=400)
    data = form.cleaned_data
    text, base, action = data["text"], data["base"], form.chosen_action()
    review = notes.note_review(forum=meeting.forum, text=text, dismissed=data["dismissed"])
    notice = None

    if action == "replace":
        replaced = review.replace(*data["replace"])
        if replaced is None:
            notice = ("info", _("That finding is no longer in the text. Here is a fresh check."))
        else:
            text = replaced
            review = notes.note_review(forum=meeting.forum, text=text, dismissed=review.dismissed)
    elif action == "replace_all":
        text = review.replace_all()
        review = notes.note_review(forum=meeting.forum, text=text, dismissed=review.dismissed)
    elif action == "dismiss":
        review = review.with_dismissed(review.dismissed | {data["dismiss"]})
    elif action == "restore":
        review = review.with_dismissed(review.dismissed - {data["restore"]})
    elif action == "save":
        try:
            notes.note_save(
                meeting=meeting,
                author=request.user,
                text=text,
                dismissed=review.dismissed,
                expected_updated_at=base,
            )
        except notes.UnresolvedFindings as refusal:
            notice = ("refused", _unresolved_message(len(refusal.findings)))
        except notes.NoteChanged:
            notice = (
                "conflict",
                _(
                    "Someone else saved these notes while you were editing. Your text is "
                    "still here; open the saved notes in another tab to compare, then save "
                    "again to replace them with yours."
                ),
            )
            current = notes.note_for_meeting(meeting)
            base = current.updated_at if current else None
        except notes.NotesPastRetention:
            notice = (
                "refused",
                _(
                    "This meeting is older than the forum keeps notes, so they would be "
                    "deleted at once. Nothing was saved."
                ),
            )
        else:
            messages.success(request, _("The notes were saved."))
            return redirect("notes:meeting_notes", meeting_id=meeting.pk)

    return _editor(request, meeting, text=text, review=review, base=base, notice=notice)


def _unresolved_message(count: int) -> str:
    return ngettext(
        "Not saved: %(count)d finding still needs to be replaced or dismissed.",
        "Not saved: %(count)d findings still need to be replaced or dismissed.",
        count,
    ) % {"count": count}


@sensitive_variables()
def _editor(
    request: HttpRequest,
    meeting: Meeting,
    *,
    text: str = "",
    review: notes.Review | None = None,
    base=None,
    form: NoteForm | None = None,
    notice: tuple[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = NoteForm(
            initial={
                "text": text,
                "base": base.isoformat() if base else "",
                "dismissed": review.dismissal_values if review else [],
            }
        )
    findings = []
    if review is not None:
        for number, finding in enumerate(review.findings, start=1):
            findings.append(
                {
                    "number": number,
                    "finding": finding,
                    "label": KIND_LABELS[finding.kind],
                    "placeholder": PLACEHOLDERS[finding.kind],
                    "dismissed": review.is_dismissed(finding),
                    "before": _context_before(review.text, finding.start),
                    "after": _context_after(review.text, finding.end),
                    "replace_value": f"{finding.kind}:{finding.start}:{finding.text}",
                    "dismissal_value": notes.dismissal_key(finding.kind, finding.text),
                }
            )
    context = {
        "meeting": meeting,
        "forum": meeting.forum,
        "form": form,
        "checked": review is not None,
        "segments": review.segments() if review else [],
        "open_findings": [item for item in findings if not item["dismissed"]],
        "dismissed_findings": _one_per_dismissal(findings),
        "notice": notice,
        "unsaved": request.method == "POST",
    }
    response = render(request, "sessions_app/notes/edit.html", context, status=status)
    return _private(response)


def _one_per_dismissal(findings: list[dict]) -> list[dict]:
    """A dismissal covers every occurrence of its text: list each dismissal once."""
    seen, rows = set(), []
    for item in findings:
        if item["dismissed"] and item["dismissal_value"] not in seen:
            seen.add(item["dismissal_value"])
            rows.append(item)
    return rows


CONTEXT_CHARS = 32


def _context_before(text: str, start: int) -> str:
    """Up to CONTEXT_CHARS of the line before a finding, from a word start, so the
    author can tell occurrences of the same word apart."""
    line_start = text.rfind("\n", 0, start) + 1
    piece = text[max(line_start, start - CONTEXT_CHARS) : start]
    if start - CONTEXT_CHARS > line_start and " " in piece:
        piece = "…" + piece.split(" ", 1)[1]
    return piece


def _context_after(text: str, end: int) -> str:
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    piece = text[end : min(line_end, end + CONTEXT_CHARS)]
    if end + CONTEXT_CHARS < line_end and " " in piece:
        piece = piece.rsplit(" ", 1)[0] + "…"
    return piece
