"""Discussion themes: members propose and vote, one vote per theme per member."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from forums.models import Forum, Membership
from members.models import User
from sessions_app.models import Theme, ThemeVote


def _require_member_of_forum(forum_id: int, user: User) -> None:
    if not Membership.objects.active().filter(forum=forum_id, user=user):
        raise PermissionDenied


@transaction.atomic
def theme_propose(*, forum: Forum, user: User, title: str) -> Theme:
    """A member (or coordinator) proposes a theme for their forum."""
    language = forum.language
    theme = Theme.objects.create(forum=forum, proposed_by=user, **{f"title_{language}": title})
    ThemeVote.objects.get_or_create(forum=forum, theme=theme, user=user)
    return theme


@transaction.atomic
def theme_vote_toggle(*, forum: Forum, theme: Theme, user: User) -> bool:
    """One vote per member per theme; voting again takes the vote back. Returns
    whether the user now votes for the theme."""
    if theme.forum_id not in (None, forum.pk):
        raise PermissionDenied
    _require_member_of_forum(forum.pk, user)
    vote = ThemeVote.objects.filter(forum=forum, theme=theme, user=user).first()
    if vote:
        vote.delete()
        return False
    ThemeVote.objects.create(forum=forum, theme=theme, user=user)
    return True
