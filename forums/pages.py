"""Sections that the layer above adds to a forum's page, without forums importing it.

sessions_app registers its section (meetings and polls) in its AppConfig.ready(). A
section gets the forum as the access helper returned it and the viewer, and returns
template context; it runs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable

from forums.models import Forum
from members.models import User

Section = Callable[[Forum, User], dict]
_sections: list[Section] = []


def register_section(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def sections_context(forum: Forum, viewer: User) -> dict:
    context: dict = {}
    for section in _sections:
        context.update(section(forum, viewer))
    return context
