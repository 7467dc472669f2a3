"""Discussion themes: members propose and vote, one vote per theme per member; the
forum's coordinators pick themes for meetings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from forums.models import Forum, Membership
from members.models import User
from sessions_app.meetings.services import EDITABLE_FIELDS, meeting_update
from sessions_app.models import Meeting, Theme, ThemeVote


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


def theme_title_for(theme: Theme, forum: Forum) -> str:
    """The theme's title in the forum's meeting language (or the nearest one it has)."""
    with translation.override(forum.language):
        return theme.title


@transaction.atomic
def theme_pick(*, theme: Theme, meeting: Meeting, actor: User) -> Meeting:
    """Make `theme` the theme of one upcoming scheduled meeting: the meeting's `theme`
    becomes the theme's title in the forum's language and `theme_source` the theme.

    Callers have checked that `actor` coordinates the meeting's forum. The theme must be
    the forum's own or from the library (else PermissionDenied). The change itself is
    meetings.services.meeting_update's, so a new theme raises the calendar SEQUENCE, is
    recorded as a MeetingChange and told to the members exactly as an edit of the
    meeting would be; picking the theme a meeting already has changes nothing there.
    Raises ValidationError (changing nothing) once the meeting has started or is no
    longer scheduled."""
    if theme.forum_id not in (None, meeting.forum_id):
        raise PermissionDenied
    # Only the meeting's row is locked: PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer join that the optional note-taker needs.
    locked = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("forum", "note_taker")
        .get(pk=meeting.pk)
    )
    if locked.status != Meeting.Status.SCHEDULED or locked.has_started:
        raise ValidationError(_("Only an upcoming scheduled meeting can get a theme here."))
    changes = {name: getattr(locked, name) for name in EDITABLE_FIELDS}
    changes["theme"] = theme_title_for(theme, locked.forum)
    locked = meeting_update(meeting=locked, actor=actor, note_taker=locked.note_taker, **changes)
    if locked.theme_source_id != theme.pk:
        locked.theme_source = theme
        locked.save(update_fields=["theme_source", "updated_at"])
    return locked
