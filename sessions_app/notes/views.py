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
from forums.access import forum_for_member
from sessions_app.access import (
    MeetingAccess,
    meeting_for_member,
    meeting_for_note_writer,
)
from sessions_app.models import SessionNote
from sessions_app.notes import editor, selectors
from sessions_app.notes import services as notes
from sessions_app.notes.anonymiser import PLACEHOLDERS, voikko_available
from sessions_app.notes.forms import NoteForm
from sessions_app.notes.review import Review, dismissal_key, note_review

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


def _undecryptable(request: HttpRequest, access: MeetingAccess, note: SessionNote) -> HttpResponse:
    meeting = access.meeting
    logger.error(
        "Session note %s cannot be decrypted with FOORUMIX_NOTES_KEYS (meeting %s)",
        note.pk,
        meeting.pk,
    )
    response = render(
        request,
        "sessions_app/notes/undecryptable.html",
        {"meeting": meeting, "forum": access.forum, "access": access},
        status=503,
    )
    return _private(response)


@login_required
@never_cache
def forum_notes(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The forum's started meetings and whether each has notes."""
    access = forum_for_member(request.user, forum_id)
    if (refused := _only_get(request)) is not None:
        return refused
    rows = selectors.forum_note_rows(access)
    context = {"forum": access.forum, "access": access, "rows": rows}
    return _private(render(request, "sessions_app/notes/forum_notes.html", context))


@login_required
@never_cache
@sensitive_variables()
def meeting_notes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Read a meeting's notes; every read is recorded and listed on the page."""
    access = meeting_for_member(request.user, meeting_id)
    meeting = access.meeting
    if (refused := _only_get(request)) is not None:
        return refused
    note = selectors.note_for_meeting(meeting)
    content = None
    if note is not None:
        try:
            content = notes.note_read(note=note, reader=request.user)
        except UndecryptableError:
            return _undecryptable(request, access, note)
    context = {
        "meeting": meeting,
        "forum": access.forum,
        "access": access,
        "note": note,
        "body": content.body if content else "",
        "readers": list(selectors.note_readers(note)) if note else [],
        "may_write": access.may_write_notes and notes.meeting_accepts_notes(meeting),
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
    access = meeting_for_note_writer(request.user, meeting_id)
    meeting = access.meeting
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not notes.meeting_accepts_notes(meeting):
        context = {"meeting": meeting, "forum": access.forum, "access": access,
                   "text": request.POST.get("text", "")}  # fmt: skip
        status = 409 if request.method == "POST" else 200
        response = render(request, "sessions_app/notes/unavailable.html", context, status=status)
        return _private(response)
    if request.method != "POST":
        return _open_editor(request, access)

    form = NoteForm(request.POST)
    if not form.is_valid():
        return _editor(request, access, form=form, status=400)
    data = form.cleaned_data
    action = form.chosen_action()
    result = editor.note_edit(
        meeting=meeting, author=request.user, text=data["text"], dismissed=data["dismissed"],
        base=data["base"], action=action, argument=data.get(action),
    )  # fmt: skip
    if result.saved:
        messages.success(request, _("The notes were saved."))
        return redirect("notes:meeting_notes", meeting_id=meeting.pk)
    notice = _notice(result) if result.notice else None
    return _editor(
        request, access, text=result.text, review=result.review, base=result.base, notice=notice
    )


@sensitive_variables()
def _open_editor(request: HttpRequest, access: MeetingAccess) -> HttpResponse:
    """The editor with the stored notes, already checked, or empty."""
    note = selectors.note_for_meeting(access.meeting)
    if note is None:
        return _editor(request, access, text="", review=None, base=None)
    try:
        content = notes.note_read(note=note, reader=request.user)
    except UndecryptableError:
        return _undecryptable(request, access, note)
    review = note_review(forum=access.forum, text=content.body, dismissed=content.dismissed)
    return _editor(request, access, text=content.body, review=review, base=note.updated_at)


def _notice(result: editor.EditorResult) -> tuple[str, str]:
    """(the notice's look for the template: info, refused or conflict; its text)."""
    if result.notice == editor.GONE:
        return "info", _("That finding is no longer in the text. Here is a fresh check.")
    if result.notice == editor.UNRESOLVED:
        return "refused", _unresolved_message(result.unresolved)
    if result.notice == editor.CONFLICT:
        return "conflict", _(
            "Someone else saved these notes while you were editing. Your text is "
            "still here; open the saved notes in another tab to compare, then save "
            "again to replace them with yours."
        )
    return "refused", _(
        "This meeting is older than the forum keeps notes, so they would be "
        "deleted at once. Nothing was saved."
    )


def _unresolved_message(count: int) -> str:
    return ngettext(
        "Not saved: %(count)d finding still needs to be replaced or dismissed.",
        "Not saved: %(count)d findings still need to be replaced or dismissed.",
        count,
    ) % {"count": count}


@sensitive_variables()
def _editor(
    request: HttpRequest,
    access: MeetingAccess,
    *,
    text: str = "",
    review: Review | None = None,
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
                    "possible": not finding.certain,
                    "placeholder": PLACEHOLDERS[finding.kind],
                    "dismissed": review.is_dismissed(finding),
                    "before": _context_before(review.text, finding.start),
                    "after": _context_after(review.text, finding.end),
                    "replace_value": f"{finding.kind}:{finding.start}:{finding.text}",
                    "dismissal_value": dismissal_key(finding.kind, finding.text),
                }
            )
    context = {
        "meeting": access.meeting,
        "forum": access.forum,
        "access": access,
        "form": form,
        "checked": review is not None,
        "segments": review.segments() if review else [],
        "open_findings": [item for item in findings if not item["dismissed"]],
        "dismissed_findings": _one_per_dismissal(findings),
        "notice": notice,
        "unsaved": request.method == "POST",
        # Without Voikko the names check falls back to stems and a name list.
        "names_check_weaker": not voikko_available(),
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
