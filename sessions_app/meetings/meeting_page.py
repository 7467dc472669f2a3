"""The meeting page's reads: the viewer's own answer and preparation, who is coming,
the shared preparations and, for coordinators, every active member's answer.

All of it is one hand-written statement (meeting_page_data), whatever the viewer and
the size of the forum, and only what the viewer is shown is read and decrypted: the
preparations and the notes to the coordinator are encrypted at rest (foorumix/crypto.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy

from foorumix.rows import fetch
from members.models import User
from sessions_app.models import Meeting, Participation, Preparation

_RSVP_LABELS = dict(Participation.Rsvp.choices)
_ORDER = [*Participation.Rsvp.values, ""]  # coming, maybe, not coming, not answered
_NOTE = Participation._meta.get_field("absence_note")
_SITUATION = Preparation._meta.get_field("current_situation")
_TO_BRING = Preparation._meta.get_field("to_bring")


def _decrypt(token: str | None, field) -> str:
    """A text read by the statement below, decrypted as the ORM would (an unreadable one
    becomes an UndecryptableText, which reads as "" and lets the page say why)."""
    return "" if token is None else field.from_db_value(token, None, connection)


def _full_name(first_name: str, last_name: str, erased: bool) -> str:
    # User.get_full_name, for a row of the statement below.
    if erased:
        return gettext("Deleted user")
    return f"{first_name} {last_name}".strip()


@dataclass(frozen=True, slots=True)
class OwnAnswer:
    """The viewer's own answer to a meeting."""

    rsvp: str  # "yes", "maybe", "no", or "" for not answered
    note: str  # their note to the coordinator ("" unless read: see meeting_page_data)

    @property
    def rsvp_display(self) -> str:
        return str(_RSVP_LABELS[self.rsvp]) if self.rsvp else ""


@dataclass(frozen=True, slots=True)
class Answer:
    """One active member's answer as a coordinator sees it."""

    user_id: int
    name: str
    rsvp: str  # "yes", "maybe", "no", or "" for not answered
    note: str  # the note to the coordinator, decrypted ("" if none)
    note_unreadable: bool  # stored, but no configured key opens it
    emailable: bool  # would get the coordinator's reminder (agreement accepted)
    html: str  # the list item the page shows (made once here, every value escaped)


@dataclass(frozen=True, slots=True)
class AnswerGroup:
    rsvp: str  # "yes", "maybe", "no", or "" for not answered
    people: list[Answer]
    label: str  # "Coming", "Maybe", "Not coming", "Not answered"

    @property
    def anchor(self) -> str:
        return self.rsvp or "none"


@dataclass(frozen=True, slots=True)
class Answers:
    """Every active member of the meeting's forum, grouped by answer: for the forum's
    coordinators only (it holds the notes to the coordinator)."""

    groups: list[AnswerGroup]  # coming, maybe, not coming, not answered

    @property
    def not_answered(self) -> AnswerGroup:
        return self.groups[-1]

    @property
    def to_remind(self) -> int:
        """How many the reminder would go to (the outbox still skips those who turned
        reminder emails off)."""
        return sum(1 for answer in self.not_answered.people if answer.emailable)


@dataclass(frozen=True, slots=True)
class PreparationText:
    """A preparation as the meeting page shows it, with its author's name."""

    name: str
    current_situation: str
    to_bring: str
    shared: bool

    @property
    def undecryptable(self) -> bool:
        texts = (self.current_situation, self.to_bring)
        return any(getattr(text, "undecryptable", False) for text in texts)


@dataclass(frozen=True, slots=True)
class MeetingPageData:
    own: OwnAnswer | None  # the viewer's own answer, if a member
    coming: list[str]  # names of who is coming or, once the meeting is held, attended
    answers: Answers | None  # every active member's answer, for coordinators
    my_preparation: PreparationText | None  # the viewer's own, if a member
    shared_preparations: list[PreparationText]  # the others' shared ones


# Kind 0: the forum's active members and their answer to the meeting: for a coordinator
# everyone (%s = everyone), else the viewer and those coming (said yes, or once the
# meeting is held, attended). The note to the coordinator only where it is shown: every
# answered one for a coordinator, the viewer's own when the answer form shows it.
# Kind 1: the others' shared preparations and the viewer's own (its author = %s, NULL for
# a viewer who is not a member). Written out because the same reads as ORM querysets
# took ~2 ms, mostly Python building and compiling them, against ~0.5 ms for this
# statement (demo data; the page ~9 ms, the bare view ~2.5 ms). Plain SQL that SQLite
# and PostgreSQL both run.
_SQL = """
SELECT 0, u.id, u.last_name, u.first_name, u.email, u.erased_at IS NOT NULL,
       u.is_active, m.accepted_version, p.rsvp, p.attended,
       CASE WHEN (p.rsvp <> '' AND %s) OR (u.id = %s AND %s) THEN p.absence_note END,
       NULL, NULL, NULL
  FROM forums_membership m
  JOIN members_user u ON u.id = m.user_id
  LEFT JOIN sessions_app_participation p ON p.user_id = m.user_id AND p.meeting_id = %s
 WHERE m.forum_id = %s AND m.ended_at IS NULL
   AND (%s OR m.user_id = %s OR p.rsvp = %s OR p.attended = %s)
UNION ALL
SELECT 1, u.id, u.last_name, u.first_name, u.email, u.erased_at IS NOT NULL,
       u.is_active, 0, NULL, NULL, NULL, pr.current_situation, pr.to_bring, pr.shared
  FROM sessions_app_preparation pr
  JOIN members_user u ON u.id = pr.author_id
 WHERE pr.meeting_id = %s AND ((pr.shared = %s AND pr.author_id <> %s) OR pr.author_id = %s)
 ORDER BY 1, 3, 4, 2
"""


def meeting_page_data(
    meeting: Meeting, user: User, *, member: bool, coordinator: bool, own_note: bool
) -> MeetingPageData:
    """What the meeting page shows of its people, in one statement: for a `member` their
    own answer (with their note to the coordinator when `own_note`, i.e. the answer form
    shows it) and own preparation; for a `coordinator` every active member's answer with
    the notes; for everyone who is coming and the other members' shared preparations.
    Another member's private preparation, and a member's note for anyone but its author
    and the coordinators, are never read."""
    held = meeting.status == Meeting.Status.HELD
    own_id = user.pk if member else None
    rows = fetch(
        _SQL,
        [
            coordinator, user.pk, own_note, meeting.pk, meeting.forum_id,
            coordinator, own_id, None if held else "yes", True if held else None,
            meeting.pk, True, user.pk, own_id,
        ],
    )  # fmt: skip
    own, mine = OwnAnswer("", "") if member else None, None
    coming, shared, people = [], [], []
    for row in rows:
        kind, user_id, last_name, first_name, _email, erased = row[:6]
        name = _full_name(first_name, last_name, erased)
        if kind == 1:  # a preparation: the viewer's own, else a shared one
            text = PreparationText(
                name, _decrypt(row[11], _SITUATION), _decrypt(row[12], _TO_BRING), bool(row[13])
            )
            if user_id == user.pk:
                mine = text
            else:
                shared.append(text)
            continue
        rsvp, attended = row[8] or "", row[9]
        if user_id == own_id:
            own = OwnAnswer(rsvp, _decrypt(row[10], _NOTE))
        if bool(attended) if held else rsvp == Participation.Rsvp.YES:
            coming.append(name)
        people.append(row)
    answers = _answers(people, meeting.forum.agreement_version) if coordinator else None
    return MeetingPageData(own, coming, answers, mine, shared)


# The coordinator's list: one item per member, with their note to the coordinator.
_ITEM = "<li><span>{}</span>{}</li>"
_UNREADABLE = '<span class="muted undecryptable">{}</span>'
_NOTE_ITEM = (
    '<span class="answer-note note-body"><span class="visually-hidden">{}: </span>{}</span>'
)
_LABELS = {
    "yes": pgettext_lazy("answers", "Coming"),
    "maybe": pgettext_lazy("answers", "Maybe"),
    "no": pgettext_lazy("answers", "Not coming"),
    "": pgettext_lazy("answers", "Not answered"),
}


def _answers(people: list[tuple], agreement_version: int) -> Answers:
    unreadable = format_html(_UNREADABLE, gettext("(cannot be opened right now)"))
    note_label = gettext("Note to the coordinator")
    grouped: dict[str, list[Answer]] = {rsvp: [] for rsvp in _ORDER}
    for _, user_id, last, first, email, erased, is_active, accepted, rsvp, _, note, *_ in people:
        note = _decrypt(note, _NOTE)
        name = _full_name(first, last, erased) or email
        is_unreadable = getattr(note, "undecryptable", False)
        if is_unreadable:
            shown = unreadable
        elif note:
            shown = format_html(_NOTE_ITEM, note_label, note)
        else:
            shown = ""
        grouped[rsvp or ""].append(
            Answer(
                user_id=user_id,
                name=name,
                rsvp=rsvp or "",
                note=note,
                note_unreadable=is_unreadable,
                emailable=bool(is_active) and accepted >= agreement_version,
                html=format_html(_ITEM, name, shown),
            )
        )
    return Answers([AnswerGroup(rsvp, grouped[rsvp], str(_LABELS[rsvp])) for rsvp in _ORDER])
