"""Meeting plans: the phases a forum meeting runs through and their times.

The default follows the SAMK model and the EO/YPO/Vistage forum protocols: an opening
with the confidentiality reminder, a check-in round where everyone speaks for the same
time, the theme or one member's case, and a closing round where each says what they
take with them and what they will try before next time. A forum may change its default;
a meeting may have its own plan. Texts left blank are the translated defaults, so each
viewer reads them in their own language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from forums.models import Forum
from sessions_app.models import Meeting, MeetingPlan

OPENING = "opening"
ROUND = "round"
DISCUSSION = "discussion"
CLOSING = "closing"

KINDS = {
    OPENING: _("Opening"),
    ROUND: _("Round"),
    DISCUSSION: _("Theme or case"),
    CLOSING: _("Closing round"),
}
# Rounds give each person present the same slot; `minutes` is that slot.
ROUNDS = frozenset({ROUND, CLOSING})

DEFAULT_TITLES = {
    OPENING: _("Opening"),
    ROUND: _("Check-in round"),
    DISCUSSION: _("Theme or case"),
    CLOSING: _("Closing round"),
}

GUIDANCE = {
    OPENING: _("Welcome. We go through the rhythm of the meeting and remind ourselves "
               "of confidentiality."),
    ROUND: _("Everyone speaks in turn for the same time. The others listen without "
             "interrupting."),
    DISCUSSION: _("The presenter states their question. The others first ask clarifying "
                  "questions, then share their own experience — not advice."),
    CLOSING: _("Each says what they take with them and what they will try before next "
               "time."),
}  # fmt: skip

DEFAULT_OPENING_TEXT = _(
    "What is said in the forum stays in the forum. We do not tell anyone outside the "
    "group who said what, or what was said. Everyone gets the same time, and everyone "
    "is important to the group."
)

DEFAULT_PHASES: list[dict] = [
    {"kind": OPENING, "minutes": 5, "title": ""},
    {"kind": ROUND, "minutes": 3, "title": ""},
    {"kind": DISCUSSION, "minutes": 60, "title": ""},
    {"kind": CLOSING, "minutes": 2, "title": ""},
]

MAX_PHASES = 12
MAX_MINUTES = 180


def is_round(phase: dict) -> bool:
    return phase.get("kind") in ROUNDS


def phase_title(phase: dict) -> str:
    return phase.get("title") or str(DEFAULT_TITLES.get(phase.get("kind"), ""))


def opening_text(plan: MeetingPlan | None) -> str:
    return (plan.opening_text if plan else "") or str(DEFAULT_OPENING_TEXT)


def forum_plan(forum: Forum) -> MeetingPlan | None:
    return MeetingPlan.objects.filter(forum=forum, meeting__isnull=True).first()


def plan_for(meeting: Meeting) -> MeetingPlan | None:
    """The meeting's own plan, else its forum's, else None (the default)."""
    plans = {
        plan.meeting_id: plan
        for plan in MeetingPlan.objects.filter(forum_id=meeting.forum_id).filter(
            meeting__isnull=True
        )
        | MeetingPlan.objects.filter(meeting=meeting)
    }
    return plans.get(meeting.pk) or plans.get(None)


def phases_of(plan: MeetingPlan | None) -> list[dict]:
    return [dict(phase) for phase in (plan.phases if plan and plan.phases else DEFAULT_PHASES)]


def planned_minutes(phases: list[dict], people: int) -> int:
    """How long the plan takes with `people` speaking in each round."""
    return sum(p["minutes"] * (people if is_round(p) else 1) for p in phases)
