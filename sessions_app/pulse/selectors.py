"""Reads of the anonymous pulse: a forum's results for its coordinators.

Disclosure control for coordinators
-----------------------------------
A coordinator controls who is in the forum and who is marked present. With exact
figures, four accounts of their own, marked present and answering 5, 5, 5, 5, leave
one real member in a meeting's answers, and the averages then give that member's exact
scores (and the answer count whether they answered at all). A larger threshold does not
help (more accounts), nor do coarser periods (the accounts answer every meeting), and
counting only members who joined before the meeting was scheduled would need the
answers to carry who gave them, which they must not. What does help is that no single
answer decides what the coordinator sees, however many of the others they know:

`forum_pulse_results` publishes, per meeting whose pulse has closed, the answer count and
each question's score sum with Laplace noise added (differential privacy). One answer
changes the count by at most 1 and a question's sum, taken around the middle score 3,
by at most 2 (its presence) or 4 (its score), so with noise of scale COUNT_NOISE = 1
and SUM_NOISE = 2 each released number is 1-differentially private for one member's
answer to one meeting (2 for the score itself): whatever the coordinator knows about
the other answers, each value of the member's score (and answering or not) stays
plausible, within a likelihood factor of e^2 per question. For a whole answer (count and
four questions together) the bound is e^8 at worst (every score moved from 1 to 5), e^5
for answering at all: a formal guarantee that is weak alone, but the point is that no
value is ever certain, and a guess is off by one or more score points for most
meetings (tests/sessions_app/pulse/test_results_disclosure.py). Shown are the rounded noisy
count and 3 + noisy sum / noisy count, clipped to 1..5; a meeting is shown when the
noisy count reaches the threshold, so whether a row is shown does not tell either. The
overall averages are computed from the shown noisy figures only (post-processing: no
further loss).

The noise is not drawn afresh on each page view (reloading would average it away): it
is derived with HMAC-SHA256 from SECRET_KEY, the forum, the meeting's day and the
meeting's true figures, so the same figures always show the same noise while changed
figures get independent noise (a difference of two views never cancels it). Whoever
knows SECRET_KEY can remove the noise; that key already guards everything else.

For a meeting of six answers the noise moves an average by about 0.5 in one direction
or the other; across a year of meetings the overall average is off by about 0.1.
`forum_pulse_summary` gives the exact figures for internal use (tests, support): never
hand them to a coordinator.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from sessions_app.models import PULSE_QUESTION_NAMES, PULSE_QUESTIONS, ForumPulseAnswer, Meeting
from sessions_app.models.pulse import Question
from sessions_app.pulse.services import PULSE_OPEN_DAYS

COUNT_NOISE = 1.0  # Laplace scale of the answer count (sensitivity 1)
SUM_NOISE = 2.0  # Laplace scale of each score sum around 3 (sensitivity 2; 4 for a score)
MIDDLE = 3


@dataclass(frozen=True)
class PulseResult:
    day: date | None  # the meeting's day; None for "all shown meetings"
    answers: int | None  # None: hidden (too few answers)
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
    noisy: bool = False  # figures carry the noise of the module docstring


def forum_pulse_results(
    forum_id: int, *, today: date | None = None, threshold: int | None = None
) -> ForumPulseSummary:
    """What a forum's coordinators see (the caller checks that with
    forums.access.forum_for_coordinator): noisy figures per closed meeting, see the
    module docstring. Two queries."""
    threshold = threshold or settings.FOORUMIX_MIN_GROUP_SIZE
    days, rows, still_open = _closed_meetings(forum_id, today)
    meetings, shown = [], []
    for day in days:
        row = rows.get(day) or _nobody(day)
        count, sums = _noisy(forum_id, day, row)
        if count >= threshold:
            shown.append((count, sums))
            meetings.append(PulseResult(day, round(count), _noisy_averages(sums, count)))
        else:
            meetings.append(PulseResult(day, None, None))
    overall = None
    if shown:
        count = sum(c for c, _sums in shown)
        sums = {q: sum(s[q] for _c, s in shown) for q in PULSE_QUESTION_NAMES}
        overall = PulseResult(None, round(count), _noisy_averages(sums, count))
    return ForumPulseSummary(threshold, meetings, overall, still_open, noisy=True)


def forum_pulse_summary(
    forum_id: int, *, today: date | None = None, threshold: int | None = None
) -> ForumPulseSummary:
    """The exact figures per closed meeting (averages only with at least `threshold`
    answers), before disclosure control. Two queries. For internal use: coordinators
    get forum_pulse_results."""
    threshold = threshold or settings.FOORUMIX_MIN_GROUP_SIZE
    days, rows, still_open = _closed_meetings(forum_id, today)
    meetings, shown = [], []
    for day in days:
        row = rows.get(day)
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
    return ForumPulseSummary(threshold, meetings, overall, still_open)


def _closed_meetings(forum_id: int, today: date | None) -> tuple[list[date], dict, int]:
    """The days of held meetings whose pulse has closed (newest first), the answer rows
    per day, and how many held meetings are still collecting answers.

    A meeting appears only once its pulse has closed, so its figures never change
    afterwards (a later answer could otherwise be read off as a difference)."""
    today = today or timezone.localdate()
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
    closed = [day for day in days if day <= last_closed]
    return closed, by_day, len(days) - len(closed)


def _nobody(day: date) -> dict:
    return {"answered_on": day, "answers": 0, **dict.fromkeys(PULSE_QUESTION_NAMES, 0)}


def _noisy(forum_id: int, day: date, row: dict) -> tuple[float, dict[str, float]]:
    """The noisy count and noisy score sums around MIDDLE (see the module docstring)."""
    answers = row["answers"]
    truth = "|".join(str(row[q] or 0) for q in PULSE_QUESTION_NAMES)
    seed = f"{forum_id}|{day.isoformat()}|{answers}|{truth}"
    count = answers + laplace(seed, "count", COUNT_NOISE)
    sums = {
        q: (row[q] or 0) - MIDDLE * answers + laplace(seed, q, SUM_NOISE)
        for q in PULSE_QUESTION_NAMES
    }
    return count, sums


def laplace(seed: str, stream: str, scale: float) -> float:
    """Laplace(0, scale) noise, a deterministic function of SECRET_KEY, seed and stream."""
    message = f"foorumix.pulse.noise|{seed}|{stream}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    uniform = (int.from_bytes(digest[:8], "big") + 0.5) / 2**64  # strictly inside (0, 1)
    centred = uniform - 0.5
    return -scale * math.copysign(1.0, centred) * math.log(1 - 2 * abs(centred))


def _noisy_averages(sums: dict[str, float], count: float) -> dict[str, float]:
    return {q: round(min(5.0, max(1.0, MIDDLE + sums[q] / count)), 1) for q in sums}


def _averages(sums: dict, answers: int) -> dict[str, float]:
    return {q: round(sums[q] / answers, 1) for q in PULSE_QUESTION_NAMES}
