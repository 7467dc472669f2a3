"""Reads that span relations, with a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from foorumix.rows import address_maker, fetch, in_list, moment
from foorumix.tokens import derive
from forums.models import (
    AuditEvent,
    Forum,
    Invitation,
)
from members.models import User


@dataclass(frozen=True, slots=True)
class MyForum:
    """One of the user's forums as their home page shows it."""

    forum_id: int
    name: str
    url: str
    agreement_url: str
    status: str  # its label in the active language
    member_count: int
    needs_agreement: bool  # the user has not accepted the current group agreement


@dataclass(frozen=True, slots=True)
class HomeMemberships:
    """The user's forums, and the active members of those and of `also` forums."""

    mine: list[MyForum]  # by forum name
    # forum id -> [(user id, name, accepted the current agreement)] by surname
    members: dict[int, list[tuple[int, str, bool]]]

    def accepted_forum_ids(self) -> list[int]:
        return [forum.forum_id for forum in self.mine if not forum.needs_agreement]


# Hand-written: the ORM's form of this read (a join, annotations and a conditional
# count) took ~1.2 ms to build and compile against ~0.2 ms to run, on every home page.
# "ended_at IS NULL" is MembershipQuerySet.active(); accepted_version against the
# forum's agreement_version is accepted().
_MEMBERSHIPS_SQL = """
SELECT f.id, f.name, f.status, f.agreement_version, ms.user_id, ms.accepted_version,
       u.first_name, u.last_name, u.email
FROM forums_membership ms
JOIN forums_forum f ON f.id = ms.forum_id
JOIN members_user u ON u.id = ms.user_id
WHERE ms.ended_at IS NULL AND (ms.forum_id IN (
    SELECT mine.forum_id FROM forums_membership mine
    WHERE mine.user_id = %s AND mine.ended_at IS NULL
){also})
ORDER BY f.name, f.id, u.last_name, u.first_name, u.email
"""


def member_memberships(user: User, *, also: Sequence[int] = ()) -> HomeMemberships:
    """The user's active memberships with their forums and member counts, and the active
    members of every such forum and of the forums `also` (the ones a coordinator's
    dashboard counts and names). One query, whose rows are the members."""
    also_sql = f" OR ms.forum_id IN ({in_list(also)})" if also else ""
    rows = fetch(_MEMBERSHIPS_SQL.format(also=also_sql), [user.pk, *also])
    members: dict[int, list[tuple[int, str, bool]]] = {}
    mine = []
    for forum_id, forum_name, status, version, user_id, accepted, first, last, email in rows:
        name = f"{first} {last}".strip() or email
        members.setdefault(forum_id, []).append((user_id, name, accepted >= version))
        if user_id == user.pk:
            mine.append((forum_id, forum_name, status, accepted < version))
    url = address_maker("forums:detail", "forum_id")
    agreement_url = address_maker("forums:agreement", "forum_id")
    return HomeMemberships(
        mine=[
            MyForum(
                forum_id=forum_id,
                name=name,
                url=url(forum_id),
                agreement_url=agreement_url(forum_id),
                status=Forum.Status(status).label,
                member_count=len(members[forum_id]),
                needs_agreement=needs_agreement,
            )
            for forum_id, name, status, needs_agreement in mine
        ],
        members=members,
    )


@dataclass(frozen=True, slots=True)
class HomeInvitations:
    """Open invitations (unanswered, link still working) as the home pages use them."""

    mine: list[tuple[str, str]]  # (forum name, token) addressed to the user, newest first
    expiries: dict[int, list[datetime]]  # forum id -> expiry times, of the `also` forums


# Hand-written for the same reason as _MEMBERSHIPS_SQL (~0.6 ms to build and compile, a
# few hundredths of a millisecond to run). The address compared as the ORM's `iexact`
# does on PostgreSQL; on SQLite both forms fold ASCII letters only.
_INVITATIONS_SQL = """
SELECT i.forum_id, f.name, i.nonce, i.expires_at, UPPER(i.email) = UPPER(%s)
FROM forums_invitation i
JOIN forums_forum f ON f.id = i.forum_id
WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > %s
  AND (UPPER(i.email) = UPPER(%s){also})
ORDER BY i.created_at DESC, i.id DESC
"""


def open_invitations_for(user: User, *, also: Sequence[int] = ()) -> HomeInvitations:
    """The open invitations (Invitation.objects.open()) addressed to the user's email,
    and those of the forums `also` (the ones a coordinator's dashboard counts). One
    query."""
    also_sql = f" OR i.forum_id IN ({in_list(also)})" if also else ""
    params = [user.email, timezone.now(), user.email, *also]
    wanted, mine, expiries = set(also), [], {}
    for forum_id, name, nonce, expires_at, to_me in fetch(
        _INVITATIONS_SQL.format(also=also_sql), params
    ):
        if to_me:
            mine.append((name, derive(Invitation.token_purpose, nonce)))
        if forum_id in wanted:
            expiries.setdefault(forum_id, []).append(moment(expires_at))
    return HomeInvitations(mine=mine, expiries=expiries)


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One active member as the forum's page lists them."""

    membership_id: int
    name: str  # the full name, else the email address, as User.get_full_name shows it
    has_accepted: bool  # the forum's current group agreement


@dataclass(frozen=True, slots=True)
class ForumPeople:
    """Who a forum's page names: its organisations, coordinators and active members, by
    name."""

    organisations: list[str]
    coordinators: list[str]
    members: list[MemberRow]


# Organisations (kind 0), coordinators (1) and active members (2) in one statement. Written
# out because the three lists as ORM querysets (or as one ORM union) cost 1.6-2.8 ms of
# Python to build and compile against 0.3 ms for this statement, on a page of ~10 ms.
# Plain SQL that SQLite and PostgreSQL both run; ties in a name are broken by id.
_PEOPLE_SQL = """
SELECT 0, o.id, o.name, '', '', 0, 1 = 0
  FROM members_organisation o
  JOIN forums_forum_organisations fo ON fo.organisation_id = o.id
 WHERE fo.forum_id = %s
UNION ALL
SELECT 1, u.id, u.last_name, u.first_name, u.email, 0, u.erased_at IS NOT NULL
  FROM members_user u
  JOIN forums_forum_coordinators c ON c.user_id = u.id
 WHERE c.forum_id = %s
UNION ALL
SELECT 2, m.id, u.last_name, u.first_name, u.email, m.accepted_version, u.erased_at IS NOT NULL
  FROM forums_membership m
  JOIN members_user u ON u.id = m.user_id
 WHERE m.forum_id = %s AND m.ended_at IS NULL
 ORDER BY 1, 3, 4, 2
"""


def _display_name(last_name: str, first_name: str, email: str, erased: bool) -> str:
    # User.get_full_name, or the email address where that is empty (the template's
    # former get_full_name|default:email).
    if erased:
        return gettext("Deleted user")
    return f"{first_name} {last_name}".strip() or email


def forum_people(forum: Forum) -> ForumPeople:
    """The forum's organisations (by name), coordinators and active members (by last and
    first name), each as the page shows them: one query."""
    people = ForumPeople(organisations=[], coordinators=[], members=[])
    for kind, pk, last_name, first_name, email, accepted_version, erased in fetch(
        _PEOPLE_SQL, [forum.pk] * 3
    ):
        if kind == 0:
            people.organisations.append(last_name)  # an organisation's name
            continue
        name = _display_name(last_name, first_name, email, bool(erased))
        if kind == 1:
            people.coordinators.append(name)
        else:
            has_accepted = accepted_version >= forum.agreement_version
            people.members.append(MemberRow(pk, name, has_accepted))
    return people


def forum_invitations(forum: Forum) -> QuerySet[Invitation]:
    return forum.invitations.select_related("invited_by").order_by("-created_at")


def forum_audit(forum: Forum, limit: int = 200) -> QuerySet[AuditEvent]:
    return forum.audit_events.select_related("actor", "subject_user").order_by("-at", "-id")[:limit]


def forum_detail(forum_id: int) -> Forum:
    return Forum.objects.prefetch_related(
        "organisations", Prefetch("coordinators", queryset=User.objects.order_by("last_name"))
    ).get(pk=forum_id)
