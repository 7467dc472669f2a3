"""Who may pick a theme for a meeting: the forum's coordinators (members 403, everyone
else 404, as forums.access.forum_for_coordinator says)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from forums.access import ForumAccess, forum_for_coordinator
from members.models import User
from sessions_app.models import Theme


def theme_for_coordinator(user: User, forum_id: int, theme_id: int) -> tuple[ForumAccess, Theme]:
    """A theme the forum's coordinators may pick for a meeting: the forum's own or one
    from the shared library; another forum's proposal is 404 like a missing one."""
    access = forum_for_coordinator(user, forum_id)
    theme = Theme.objects.filter(Q(forum=access.forum) | Q(forum__isnull=True), pk=theme_id).first()
    if theme is None:
        raise Http404
    return access, theme
