"""Reads of the anonymous pulse: a forum's results for its coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from sessions_app.models import PULSE_QUESTION_NAMES, PULSE_QUESTIONS, ForumPulseAnswer, Meeting
from sessions_app.models.pulse import Question
from sessions_app.pulse.services import PULSE_OPEN_DAYS


@dataclass(frozen=True)
class PulseResult:
    day: date | None  # the meeting's day; None for "all shown meetings"
    answers: int | None  # None: fewer than the threshold
    averages: dict[str, float] | None

    @property
    def scores(self) -> list[tuple[Question, float]]:
        """(question, average) in the pulse's order; empty when hidden."""
        if self.averages is None:
            return []
        return [(question, self.averages[question.name]) for question in PULSE_QUESTIONS]


@dataclass
class ForumPulseSummary:
    threshold: int
    meetings: list[PulseResult]  # meetings whose pulse has closed, newest first
    overall: PulseResult | None  # over the shown meetings only
    still_open: int  # held meetings whose pulse is still collecting answers


def forum_pulse_summary(
    forum_id: int, *, today: date | None = None, threshold: int | None = None
) -> ForumPulseSummary:
    """Averages per held meeting of one forum, for its coordinators (the caller checks
    that with forums.access.forum_for_coordinator). Two queries.

    A meeting appears only once its pulse has closed, so its figures never change
    afterwards (a later answer could otherwise be read off as a difference), and its
    averages only with at least `threshold` answers. The overall averages cover the shown
    meetings only, so they add nothing that the rows do not already show.
    """
    today = today or timezone.localdate()
    threshold = threshold or settings.FOORUMIX_MIN_GROUP_SIZE
    last_closed = today - timedelta(days=PULSE_OPEN_DAYS + 1)
    starts = Meeting.objects.filter(
        forum_id=forum_id, status=Meeting.Status.HELD, starts_at__lt=timezone.now()
    ).values_list("starts_at", flat=True)
    days = sorted({timezone.localdate(moment) for moment in starts}, reverse=True)
    rows = (
        ForumPulseAnswer.objects.filter(forum_id=forum_id, answered_on__lte=last_closed)
        .order_by()
        .values("answered_on")
        .annotate(answers=Count("id"), **{q: Sum(q) for q in PULSE_QUESTION_NAMES})
    )
    by_day = {row["answered_on"]: row for row in rows}
    meetings, shown = [], []
    for day in (d for d in days if d <= last_closed):
        row = by_day.get(day)
        if row and row["answers"] >= threshold:
            shown.append(row)
            meetings.append(PulseResult(day, row["answers"], _averages(row, row["answers"])))
        else:
            meetings.append(PulseResult(day, None, None))
    overall = None
    if shown:
        totals = {q: sum(row[q] for row in shown) for q in PULSE_QUESTION_NAMES}
        answers = sum(row["answers"] for row in shown)
        overall = PulseResult(None, answers, _averages(totals, answers))
    return ForumPulseSummary(
        threshold, meetings, overall, still_open=sum(1 for d in days if d > last_closed)
    )


def _averages(sums: dict, answers: int) -> dict[str, float]:
    return {q: round(sums[q] / answers, 1) for q in PULSE_QUESTION_NAMES}
