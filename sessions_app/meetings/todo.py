"""The coordinator's to-do list on the dashboard: what waits for them in the forums they
coordinate (archived ones left out), each thing as one sentence with a link to the page
where it is done.

Six queries whatever the number of forums, meetings and members: the forums' active
members, the open polls, who answered them, the meetings (upcoming, and past ones with
loose ends, in one query), undelivered emails and expiring invitations. The forums are
a subquery of each, never loaded on their own.

The list names members only where the coordinator sees the same names on the page the
item links to (a poll's answers); it never carries private texts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forums import selectors as forum_selectors
from forums.models import Forum, Membership
from members.models import User
from sessions_app.models import (
    Meeting,
    OutboxMessage,
    Participation,
    PollAnswer,
    SchedulingPoll,
    SessionNote,
)

RSVP_WINDOW = timedelta(days=14)  # upcoming meetings whose answers are watched
NOTES_WINDOW = timedelta(days=90)  # held meetings still worth writing notes for
FAILED_WINDOW = timedelta(days=30)  # undelivered emails worth a look
INVITATION_WINDOW = timedelta(days=7)  # invitations about to stop working

# The order of the list: things to do now for members first, then the loose ends.
KINDS = ("poll", "rsvp", "attendance", "notes", "email", "invitation")


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for the coordinator: a sentence, and the page where it is done."""

    kind: str  # one of KINDS
    forum_id: int
    forum_name: str
    text: str
    url: str
    action: str  # the link's text
    at: datetime  # orders the items of one kind


def coordinator_todo(user: User) -> list[TodoItem]:
    """What needs the attention of `user` in the forums they coordinate: by forum, in
    KINDS order and by time within a kind; empty for anyone who coordinates nothing."""
    forums = forum_selectors.forums_at_work(user)
    now = timezone.now()
    members = _members_by_forum(forums)
    items = [
        *_poll_items(forums, members),
        *_meeting_items(forums, members, now),
        *_email_items(forums, now),
        *_invitation_items(user),
    ]
    items.sort(key=lambda item: (item.forum_name, item.forum_id, KINDS.index(item.kind), item.at))
    return items


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "D j.n.Y H.i")


def _members_by_forum(forums: QuerySet[Forum]) -> dict[int, list[tuple[int, str]]]:
    """{forum id: [(user id, name)]} of the active members, by surname."""
    rows = (
        Membership.objects.active()
        .filter(forum__in=forums)
        .order_by("user__last_name", "user__first_name", "user__email")
        .values_list("forum_id", "user_id", "user__first_name", "user__last_name", "user__email")
    )
    members = defaultdict(list)
    for forum_id, user_id, first, last, email in rows:
        members[forum_id].append((user_id, f"{first} {last}".strip() or email))
    return members


def _poll_items(forums: QuerySet[Forum], members: dict) -> list[TodoItem]:
    """Each open poll: who has not answered it yet, or that everyone has (time to pick)."""
    polls = SchedulingPoll.objects.filter(forum__in=forums, closed_at__isnull=True)
    answered = set(
        PollAnswer.objects.filter(slot__poll__in=polls).values_list("slot__poll_id", "user_id")
    )
    items = []
    for poll in polls.values("pk", "title", "forum_id", "forum__name", "created_at"):
        people = members.get(poll["forum_id"])
        if not people:
            continue
        missing = [name for user_id, name in people if (poll["pk"], user_id) not in answered]
        values = {"title": poll["title"], "count": len(missing), "names": ", ".join(missing)}
        if missing:
            text = ngettext(
                "%(count)s member has not answered the poll “%(title)s”: %(names)s.",
                "%(count)s members have not answered the poll “%(title)s”: %(names)s.",
                len(missing),
            )
        else:
            text = _("Everyone has answered the poll “%(title)s”: you can pick the time.")
        url = reverse("meetings:poll", kwargs={"poll_id": poll["pk"]})
        items.append(
            TodoItem("poll", poll["forum_id"], poll["forum__name"], text % values, url,
                     _("Open the poll"), poll["created_at"])
        )  # fmt: skip
    return items


def _answered_by_members() -> Coalesce:
    """For a meeting annotation: how many of its forum's active members have answered."""
    active = Membership.objects.active().filter(forum=OuterRef(OuterRef("forum_id")))
    answers = (
        Participation.objects.filter(meeting=OuterRef("pk"), user__in=active.values("user_id"))
        .exclude(rsvp="")
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(answers), 0)


def _meetings(forums: QuerySet[Forum], now: datetime) -> QuerySet:
    """The forums' upcoming meetings within RSVP_WINDOW, and the past ones without
    attendance or (held recently) without notes. One query."""
    scheduled, held = Meeting.Status.SCHEDULED, Meeting.Status.HELD
    upcoming = Q(status=scheduled, starts_at__gte=now, starts_at__lte=now + RSVP_WINDOW)
    ended = Q(ends_at__lt=now)
    return (
        Meeting.objects.filter(forum__in=forums)
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(
            has_attendance=Exists(
                Participation.objects.filter(meeting=OuterRef("pk"), attended__isnull=False)
            ),
            has_note=Exists(SessionNote.objects.filter(meeting=OuterRef("pk"))),
        )
        .filter(
            upcoming
            | (ended & Q(status=scheduled))
            | (ended & Q(has_attendance=False))
            | (ended & Q(status=held, has_note=False, starts_at__gte=now - NOTES_WINDOW))
        )
        .annotate(answered=_answered_by_members())
        .order_by("starts_at")
        .values(
            "pk",
            "forum_id",
            "forum__name",
            "forum__note_retention_months",
            "starts_at",
            "status",
            "has_attendance",
            "has_note",
            "answered",
        )
    )


def _meeting_items(forums: QuerySet[Forum], members: dict, now: datetime) -> list[TodoItem]:
    items = []
    for meeting in _meetings(forums, now):
        item = _meeting_item(meeting, len(members.get(meeting["forum_id"], ())), now)
        if item is not None:
            items.append(item)
    return items


def _meeting_item(meeting: dict, member_count: int, now: datetime) -> TodoItem | None:
    """What one meeting still needs: answers (upcoming), attendance, or notes."""
    pk, starts_at, when = meeting["pk"], meeting["starts_at"], _when(meeting["starts_at"])
    forum = meeting["forum_id"], meeting["forum__name"]
    if starts_at >= now:
        answered = meeting["answered"]
        if not member_count or answered * 2 >= member_count:
            return None
        if answered:
            text = ngettext(
                "Only %(answered)s of %(total)s members has said whether they are coming "
                "to the meeting on %(when)s.",
                "Only %(answered)s of %(total)s members have said whether they are coming "
                "to the meeting on %(when)s.",
                answered,
            )
        else:
            text = _("No member has said yet whether they are coming to the meeting on %(when)s.")
        text %= {"answered": answered, "total": member_count, "when": when}
        url = reverse("meetings:detail", kwargs={"meeting_id": pk})
        return TodoItem("rsvp", *forum, text, url, _("Open the meeting"), starts_at)
    if meeting["status"] == Meeting.Status.SCHEDULED or not meeting["has_attendance"]:
        text = _("The meeting on %(when)s is over, but its attendance is not recorded.")
        url = reverse("meetings:attendance", kwargs={"meeting_id": pk})
        return TodoItem(
            "attendance", *forum, text % {"when": when}, url, _("Record attendance"),
            starts_at,
        )  # fmt: skip
    kept_until = starts_at + relativedelta(months=meeting["forum__note_retention_months"])
    if meeting["has_note"] or kept_until <= now:
        return None  # notes past the retention period could not be saved any more
    text = _("The meeting on %(when)s has no session notes yet.") % {"when": when}
    url = reverse("notes:meeting_notes_edit", kwargs={"meeting_id": pk})
    return TodoItem("notes", *forum, text, url, _("Write the notes"), starts_at)


def _email_items(forums: QuerySet[Forum], now: datetime) -> list[TodoItem]:
    """Per forum, the emails that could not be delivered lately (shown on the forum's
    page, where the coordinator sees the addresses and reasons)."""
    rows = (
        OutboxMessage.objects.filter(
            forum__in=forums,
            status=OutboxMessage.Status.FAILED,
            created_at__gte=now - FAILED_WINDOW,
        )
        .values("forum_id", "forum__name")
        .annotate(count=Count("pk"), latest=Max("created_at"))
        .order_by("-latest")
    )
    items = []
    for row in rows:
        text = ngettext(
            "%(count)s email could not be delivered in the last 30 days.",
            "%(count)s emails could not be delivered in the last 30 days.",
            row["count"],
        ) % {"count": row["count"]}
        url = reverse("forums:detail", kwargs={"forum_id": row["forum_id"]})
        items.append(
            TodoItem("email", row["forum_id"], row["forum__name"], text,
                     f"{url}#undelivered-heading", _("See the undelivered emails"), row["latest"])
        )  # fmt: skip
    return items


def _invitation_items(user: User) -> list[TodoItem]:
    """Per forum, the unanswered invitations whose links stop working within a week."""
    items = []
    for row in forum_selectors.expiring_invitations(user, within=INVITATION_WINDOW):
        text = ngettext(
            "%(count)s unanswered invitation expires on %(date)s.",
            "%(count)s unanswered invitations expire within a week, the first on %(date)s.",
            row["count"],
        ) % {"count": row["count"], "date": _when(row["expires"])}
        url = reverse("forums:invitations", kwargs={"forum_id": row["forum_id"]})
        items.append(
            TodoItem("invitation", row["forum_id"], row["forum__name"], text, url,
                     _("See the invitations"), row["expires"])
        )  # fmt: skip
    return items
