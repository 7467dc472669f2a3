"""A list of meetings as the pages that list them show it (templates/sessions_app/
_meeting_rows.html): made here in one pass, because the same markup as a template loop
cost more than the rest of those pages' rendering (a dozen lookups, tags and branches per
row). Every value is escaped by format_html; the labels are translated once per language."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from sessions_app.meetings.selectors import MeetingRow

register = template.Library()


_BADGES: dict[str, dict[str, SafeString]] = {}


def _badges() -> dict[str, SafeString]:
    """The state badges in the active language, made once per language and process (fixed
    labels, nothing of anyone's data)."""
    language = get_language()
    if language not in _BADGES:
        _BADGES[language] = _make_badges()
    return _BADGES[language]


def _make_badges() -> dict[str, SafeString]:
    def badge(label: str, kind: str = "") -> SafeString:
        return format_html('<span class="badge{}">{}</span>', kind, label)

    return {
        "cancelled": badge(gettext("Cancelled"), " badge-muted"),
        "held": badge(gettext("Held")),
        "held_notes": format_html("{} {}", badge(gettext("Held")), badge(gettext("Notes"))),
        "yes": badge(gettext("Coming")),
        "maybe": badge(gettext("Maybe"), " badge-warn"),
        "no": badge(gettext("Not coming"), " badge-muted"),
    }


def _state(row: MeetingRow, badges: dict[str, SafeString]) -> SafeString | str:
    if row.is_cancelled:
        return badges["cancelled"]
    if row.status == "held":
        return badges["held_notes" if row.has_note else "held"]
    return badges.get(row.my_rsvp or "", "")


@register.simple_tag
def meeting_rows(meetings: list[MeetingRow], show_forum: bool = False) -> SafeString:
    badges = _badges()
    items = (
        (
            " is-cancelled" if row.is_cancelled else "",
            row.url,
            row.starts_iso,
            row.when,
            format_html('<span class="muted">{}</span> · ', row.forum_name) if show_forum else "",
            row.theme,
            _state(row, badges),
        )
        for row in meetings
    )
    return format_html(
        '<ul class="meeting-list">{}</ul>',
        format_html_join(
            "",
            '<li class="meeting-item{}"><a class="meeting-when" href="{}"><time datetime="{}">'
            '{}</time></a> <span class="meeting-what">{}{}</span> '
            '<span class="meeting-state">{}</span></li>',
            items,
        ),
    )
