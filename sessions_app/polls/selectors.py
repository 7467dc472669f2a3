"""What polls show: the forum's open polls, the coordinator's answer grid, my answers."""

from django.db.models import Count, F, Q

from forums.models import Forum, Membership
from members.models import User
from sessions_app.models import PollAnswer, SchedulingPoll


def forum_polls(forum: Forum) -> list[dict]:
    """The forum's open scheduling polls, as the forum page links them."""
    return list(
        forum.polls.filter(closed_at__isnull=True).order_by("-created_at").values("pk", "title")
    )


def poll_matrix(poll: SchedulingPoll) -> tuple[list, list, dict]:
    """Coordinator view: (slots with counts, respondents, {(slot_id, user_id): answer})."""
    slots = list(
        poll.slots.annotate(
            yes=Count("answers", filter=Q(answers__answer="yes")),
            if_needed=Count("answers", filter=Q(answers__answer="if_needed")),
            no=Count("answers", filter=Q(answers__answer="no")),
        )
    )
    answers = list(PollAnswer.objects.filter(slot__poll=poll).select_related("user"))
    respondents = sorted(
        {answer.user for answer in answers}, key=lambda u: (u.last_name, u.first_name)
    )
    grid = {(answer.slot_id, answer.user_id): answer.answer for answer in answers}
    return slots, respondents, grid


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
