"""What polls show: the forum's open polls, the coordinator's answer grid with the best
time, what picking a time would do, my answers, the polls waiting for me."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F

from forums.models import Forum, Membership
from members.models import User
from sessions_app.models import PollAnswer, PollSlot, SchedulingPoll

YES, IF_NEEDED, NO = PollAnswer.Answer.YES, PollAnswer.Answer.IF_NEEDED, PollAnswer.Answer.NO


def forum_polls(forum: Forum) -> list[dict]:
    """The forum's open scheduling polls, as the forum page links them."""
    return list(
        forum.polls.filter(closed_at__isnull=True).order_by("-created_at").values("pk", "title")
    )


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


def polls_waiting_for(user: User) -> list[dict]:
    """Open polls in the user's forums that the user has not answered yet, soonest
    deadline first: for the member's home page."""
    return list(
        SchedulingPoll.objects.filter(
            closed_at__isnull=True,
            forum__memberships__in=Membership.objects.active().filter(user=user),
        )
        .exclude(slots__answers__user=user)
        .distinct()
        .order_by(F("deadline").asc(nulls_last=True), "-created_at")
        .values("pk", "title", "deadline", "forum__name")
    )
