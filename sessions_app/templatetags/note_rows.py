"""The rows of a forum's notes list (templates/sessions_app/notes/forum_notes.html), made
here in one pass: as a template loop, a row's two {% url %}s, three date filters and a
dozen lookups and branches were most of the page's rendering. Every value is escaped by
format_html; the labels are translated once per list."""

from collections.abc import Callable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from foorumix.rows import address_maker
from sessions_app.notes.selectors import NoteListRow

register = template.Library()


def _notes_cell(row: NoteListRow, labels: dict[str, str], read: Callable[[int], str]) -> str:
    if row.has_note:
        return format_html(
            '<a href="{}" class="read-notes">{}</a> <span class="muted">· {}</span>',
            read(row.pk),
            labels["read"],
            row.note_date,
        )
    return format_html('<span class="badge badge-muted">{}</span>', labels["none"])


@register.simple_tag
def note_rows(rows: list[NoteListRow]) -> SafeString:
    labels = {
        "read": gettext("Read the notes"),
        "none": gettext("No notes yet"),
        "edit": gettext("Edit"),
        "write": gettext("Write"),
    }
    read = address_maker("notes:meeting_notes", "meeting_id")
    edit = address_maker("notes:meeting_notes_edit", "meeting_id")
    items = []
    for row in rows:
        writing = ""
        if row.may_write:
            writing = format_html(
                ' · <a href="{}" class="write-notes">{}</a>',
                edit(row.pk),
                labels["edit" if row.has_note else "write"],
            )
        cancelled = ""
        if row.cancelled_label:
            cancelled = format_html(
                ' <span class="badge badge-muted">{}</span>', row.cancelled_label
            )
        items.append(
            (
                row.pk,
                row.starts_iso,
                row.starts_date,
                cancelled,
                row.theme or "–",
                _notes_cell(row, labels, read),
                writing,
            )
        )
    return format_html_join(
        "",
        '<tr class="notes-row" data-meeting="{}"><td><time datetime="{}">{}</time>{}</td>'
        "<td>{}</td><td>{}{}</td></tr>",
        items,
    )
