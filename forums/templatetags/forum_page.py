"""A forum's sub-navigation and its page's member list, made here in one pass: as
template loops with a {% url %}, a {% blocktranslate %} and a few branches per item they
cost more than the rest of the forum page's own rendering. Every value is escaped by
format_html; each label is translated once per list."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

from forums.selectors import MemberRow

register = template.Library()

_PLACEHOLDER_ID = 987654321

# (URL name, label) of a forum's pages; the second part for its coordinators only.
_NAV = (
    ("forums:detail", gettext_noop("Overview")),
    ("forums:agreement", gettext_noop("Group agreement")),
    ("notes:forum_notes", gettext_noop("Session notes")),
    ("meetings:themes", gettext_noop("Themes")),
)
_COORDINATOR_NAV = (
    ("forums:invitations", gettext_noop("Invitations")),
    ("forums:edit", gettext_noop("Forum settings")),
    ("pulse:forum_results", gettext_noop("Pulse")),
    ("forums:audit", gettext_noop("Audit log")),
)


# The attribute that marks the current page's link (markup of its own, not a value).
_CURRENT = format_html(' aria-current="{}"', "page")


@lru_cache(maxsize=128)
def _address_parts(name: str, urlconf: str | None, script_prefix: str) -> tuple[str, str]:
    # What surrounds the forum's id in the address of URL `name` (which takes only
    # `forum_id`). Kept for the process: it depends on nothing but the URLconf and the
    # script prefix (both in the key), never on the viewer or the data, and the pages
    # that include the forum's navigation ask for 4-12 of them (a reverse() each cost
    # ~30 us; bench/README.md).
    url = reverse(name, urlconf=urlconf, kwargs={"forum_id": _PLACEHOLDER_ID})
    prefix, _, suffix = url.rpartition(str(_PLACEHOLDER_ID))
    return prefix, suffix


@register.simple_tag
def forum_url(name: str, forum_id: int) -> str:
    """{% url name forum_id=forum_id %} for a forum page's URL: the same address."""
    prefix, suffix = _address_parts(name, get_urlconf(), get_script_prefix())
    return f"{prefix}{int(forum_id)}{suffix}"


@register.simple_tag(takes_context=True)
def forum_nav(context: template.Context) -> SafeString:
    """The forum's sub-navigation (templates/forums/_forum_nav.html), the current page
    marked by its URL name."""
    forum, access = context["forum"], context.get("access")
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.url_name if match is not None else None
    links = _NAV + _COORDINATOR_NAV if access is not None and access.is_coordinator else _NAV
    items = (
        (
            forum_url(name, forum.pk),
            _CURRENT if name.partition(":")[2] == current else "",
            gettext(label),
        )
        for name, label in links
    )
    return format_html(
        '<nav class="sub-nav" aria-label="{}"><ul>{}</ul></nav>',
        gettext("Forum"),
        format_html_join("", '<li><a href="{}"{}>{}</a></li>', items),
    )


@register.simple_tag
def member_list(members: list[MemberRow], forum_id: int, is_coordinator: bool) -> SafeString:
    """The forum page's members; for its coordinators with whether each has accepted the
    group agreement and a link to remove them."""
    if not is_coordinator:
        return format_html(
            '<ul class="member-list">{}</ul>',
            format_html_join("", "<li><span>{}</span></li>", ((row.name,) for row in members)),
        )
    # One reverse() per list, the membership's id filled in per row.
    url = reverse(
        "forums:member_remove", kwargs={"forum_id": forum_id, "membership_id": _PLACEHOLDER_ID}
    )
    prefix, _, suffix = url.rpartition(str(_PLACEHOLDER_ID))
    pending = format_html(
        '<span class="badge badge-warn">{}</span>', gettext("Agreement not yet accepted")
    )
    remove = gettext("Remove %(name)s")
    items = (
        (
            row.name,
            "" if row.has_accepted else pending,
            f"{prefix}{row.membership_id}{suffix}",
            remove % {"name": row.name},
        )
        for row in members
    )
    return format_html(
        '<ul class="member-list">{}</ul>',
        format_html_join("", '<li><span>{}</span> {} <a href="{}">{}</a></li>', items),
    )
