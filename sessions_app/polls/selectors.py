"""What polls show: the forum's open polls, the coordinator's answer grid with the best
time, what picking a time would do, my answers, the polls waiting for me."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count

from foorumix.rows import address_maker, fetch, in_list, moment
from forums.models import Forum, Membership
from members.models import User
from sessions_app.models import PollAnswer, PollSlot, SchedulingPoll

YES, IF_NEEDED, NO = PollAnswer.Answer.YES, PollAnswer.Answer.IF_NEEDED, PollAnswer.Answer.NO


# Hand-written: the ORM's form took ~0.4 ms to build, compile and read against ~0.1 ms
# for this statement, on every forum page (which mostly has no open poll).
_FORUM_POLLS_SQL = """
SELECT id, title FROM sessions_app_schedulingpoll
WHERE forum_id = %s AND closed_at IS NULL
ORDER BY created_at DESC, id DESC
"""


def forum_polls(forum: Forum) -> list[dict]:
    """The forum's open scheduling polls, newest first, as the forum page links them:
    ``pk``, ``title`` and ``url``. One query."""
    rows = fetch(_FORUM_POLLS_SQL, [forum.pk])
    if not rows:
        return []
    address = address_maker("meetings:poll", "poll_id")
    return [{"pk": pk, "title": title, "url": address(pk)} for pk, title in rows]


@dataclass
class SlotSummary:
    """One proposed time with the answers of the forum's active members."""

    slot: PollSlot
    yes: int = 0
    if_needed: int = 0
    no: int = 0
    not_answered: int = 0
    is_best: bool = False

    @property
    def rank(self) -> tuple:
        # Most "yes"; then most who can come at all; then the earliest.
        return (-self.yes, -(self.yes + self.if_needed), self.slot.starts_at)


@dataclass
class PollResults:
    """The coordinator's view: every active member (answered or not), per-slot counts
    and the best time."""

    slots: list[SlotSummary]
    # (member, [answer per slot, "" when not answered]) for every active member.
    rows: list[tuple[User, list[str]]] = field(default_factory=list)
    not_answered: list[User] = field(default_factory=list)
    best: SlotSummary | None = None

    @property
    def member_count(self) -> int:
        return len(self.rows)


def active_members(forum_id: int) -> list[User]:
    """Everyone whose membership of the forum has not ended, by name (one query)."""
    return [
        membership.user
        for membership in Membership.objects.active()
        .filter(forum_id=forum_id, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    ]


def best_slot(slots: list[SlotSummary]) -> SlotSummary | None:
    """The slot most can come to (see SlotSummary.rank); None while nobody can come to
    any of them."""
    candidates = [s for s in slots if s.yes + s.if_needed > 0]
    return min(candidates, key=lambda s: s.rank) if candidates else None


def poll_results(poll: SchedulingPoll) -> PollResults:
    """Three queries whatever the number of members and answers: slots, members,
    answers. Answers of people who have left the forum are not counted."""
    summaries = [SlotSummary(slot) for slot in poll.slots.all()]
    members = active_members(poll.forum_id)
    answers = {
        (slot_id, user_id): answer
        for slot_id, user_id, answer in PollAnswer.objects.filter(slot__poll=poll).values_list(
            "slot_id", "user_id", "answer"
        )
    }
    results = PollResults(slots=summaries)
    for member in members:
        row = [answers.get((s.slot.pk, member.pk), "") for s in summaries]
        results.rows.append((member, row))
        if not any(row):
            results.not_answered.append(member)
        for summary, answer in zip(summaries, row, strict=True):
            if answer == YES:
                summary.yes += 1
            elif answer == IF_NEEDED:
                summary.if_needed += 1
            elif answer == NO:
                summary.no += 1
            else:
                summary.not_answered += 1
    results.best = best_slot(summaries)
    if results.best is not None:
        results.best.is_best = True
    return results


def pick_counts(poll: SchedulingPoll, slot: PollSlot) -> dict[str, int]:
    """How the forum's active members answered one slot: what picking it carries into
    RSVPs ({"yes": n, "if_needed": m, "no": k}, zeros included). One query."""
    active = Membership.objects.active().filter(forum=poll.forum_id).values("user_id")
    counts = {
        row["answer"]: row["n"]
        for row in slot.answers.filter(user_id__in=active)
        .order_by()
        .values("answer")
        .annotate(n=Count("pk"))
    }
    return {answer: counts.get(answer, 0) for answer in (YES, IF_NEEDED, NO)}


def my_poll_answers(poll: SchedulingPoll, user: User) -> dict[int, str]:
    return dict(
        PollAnswer.objects.filter(slot__poll=poll, user=user).values_list("slot_id", "answer")
    )


# Hand-written: the ORM's form (a join through memberships, an exclude across two
# relations, distinct) took ~1.4 ms to build and compile against ~0.2 ms to run, on
# every member's home. Parameters: the forum ids, the user.
_WAITING_SQL = """
SELECT p.id, p.title, p.deadline, f.name
FROM sessions_app_schedulingpoll p
JOIN forums_forum f ON f.id = p.forum_id
WHERE p.closed_at IS NULL AND p.forum_id IN ({forums}) AND NOT EXISTS (
  SELECT 1 FROM sessions_app_pollanswer a
  JOIN sessions_app_pollslot s ON s.id = a.slot_id
  WHERE s.poll_id = p.id AND a.user_id = %s)
ORDER BY CASE WHEN p.deadline IS NULL THEN 1 ELSE 0 END, p.deadline, p.created_at DESC, p.id
"""


def polls_waiting_for(user: User, forum_ids: Sequence[int]) -> list[dict]:
    """Open polls in the user's forums (`forum_ids`, those of their active memberships)
    that the user has not answered yet, soonest deadline first: for the member's home
    page. One query, none without forums."""
    if not forum_ids:
        return []
    rows = fetch(_WAITING_SQL.format(forums=in_list(forum_ids)), [*forum_ids, user.pk])
    return [
        {"pk": pk, "title": title, "deadline": moment(deadline), "forum__name": forum_name}
        for pk, title, deadline, forum_name in rows
    ]
