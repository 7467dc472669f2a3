from sessions_app.models.live import (
    Commitment,
    LiveMeeting,
    LivePresence,
    MeetingNotepad,
    MeetingPlan,
)
from sessions_app.models.meetings import (
    CalendarFeed,
    Meeting,
    MeetingChange,
    MeetingSeries,
    Participation,
    Preparation,
)
from sessions_app.models.notes import NoteRead, SessionNote
from sessions_app.models.outbox import OutboxMessage
from sessions_app.models.polls import PollAnswer, PollSlot, SchedulingPoll
from sessions_app.models.pulse import (
    PULSE_QUESTION_NAMES,
    PULSE_QUESTIONS,
    ForumPulseAnswer,
    OrganisationPulseAnswer,
    PulseReceipt,
    StagedPulseAnswer,
)
from sessions_app.models.themes import Theme, ThemeVote

__all__ = [
    "Commitment",
    "LiveMeeting",
    "LivePresence",
    "MeetingNotepad",
    "MeetingPlan",
    "PULSE_QUESTIONS",
    "PULSE_QUESTION_NAMES",
    "ForumPulseAnswer",
    "NoteRead",
    "OrganisationPulseAnswer",
    "OutboxMessage",
    "PulseReceipt",
    "SessionNote",
    "StagedPulseAnswer",
    "CalendarFeed",
    "Meeting",
    "MeetingChange",
    "MeetingSeries",
    "Participation",
    "PollAnswer",
    "PollSlot",
    "Preparation",
    "SchedulingPoll",
    "Theme",
    "ThemeVote",
]
