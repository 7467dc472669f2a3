"""The themes page: the shared library and the forum's proposals, by votes."""

from django.db.models import Count, Exists, OuterRef, Q

from forums.models import Forum
from members.models import User
from sessions_app.models import Theme, ThemeVote


def forum_themes(forum: Forum, user: User) -> list[Theme]:
    """Library themes plus this forum's proposals, with this forum's vote counts."""
    return list(
        Theme.objects.filter(Q(forum__isnull=True) | Q(forum=forum))
        .annotate(
            vote_count=Count("votes", filter=Q(votes__forum=forum)),
            my_vote=Exists(ThemeVote.objects.filter(theme=OuterRef("pk"), forum=forum, user=user)),
        )
        .order_by("-vote_count", "title_fi", "title_en")
    )
