"""The themes page: the shared library and the forum's proposals, by votes, with the
meetings each theme was picked for; and the meetings a coordinator may pick one for."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from forums.models import Forum
from members.models import User
from sessions_app.models import Meeting, Theme, ThemeVote


def _themes(forum: Forum, user: User) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(Q(forum__isnull=True) | Q(forum=forum))
        .annotate(
            vote_count=Count("votes", filter=Q(votes__forum=forum)),
            my_vote=Exists(ThemeVote.objects.filter(theme=OuterRef("pk"), forum=forum, user=user)),
        )
        .order_by("-vote_count", "title_fi", "title_en")
    )


def forum_themes(forum: Forum, user: User) -> list[Theme]:
    """Library themes plus this forum's proposals, with this forum's vote counts."""
    return list(_themes(forum, user))


def theme_cards(forum: Forum, user: User) -> list[Theme]:
    """forum_themes, each theme also with `chosen`: this forum's meetings (not cancelled)
    it was picked for and whose theme is still its title, by time; and `is_mine`:
    whether `user` proposed it. Who proposed a theme is never part of what a page gets
    besides that flag about the viewer. Two queries.

    Only this forum's meetings are looked at: a library theme picked by another forum
    says nothing here."""
    meetings = (
        Meeting.objects.filter(forum=forum)
        .exclude(status=Meeting.Status.CANCELLED)
        .only("pk", "forum_id", "starts_at", "status", "theme", "theme_source_id")
        .order_by("starts_at")
    )
    themes = list(
        _themes(forum, user).prefetch_related(
            Prefetch("meetings", queryset=meetings, to_attr="forum_meetings")
        )
    )
    for theme in themes:
        # A meeting whose theme was edited by hand afterwards no longer carries it.
        titles = {theme.title_fi, theme.title_en, theme.title_sv} - {""}
        theme.chosen = [meeting for meeting in theme.forum_meetings if meeting.theme in titles]
        theme.is_mine = theme.forum_id == forum.pk and theme.proposed_by_id == user.pk
    return themes


def my_chosen_proposals(themes: list[Theme]) -> list[tuple[Theme, Meeting]]:
    """(theme, meeting) for each meeting a theme the viewer proposed was picked for."""
    return [(theme, meeting) for theme in themes if theme.is_mine for meeting in theme.chosen]


def pickable_meetings(forum: Forum) -> list[Meeting]:
    """The forum's upcoming scheduled meetings, each of a series on its own: the ones a
    coordinator may give a theme from the themes page. One query."""
    return list(
        Meeting.objects.filter(
            forum=forum, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
        ).order_by("starts_at")
    )
