"""What sessions_app holds about a person (foorumix/personal_data.py): RSVPs, absence
notes and attendance, preparations, the calendar feed, poll answers, theme proposals and
votes, the notes they wrote or read, the emails sent to them and their pulse receipts.

Pulse answers are not here: they are stored without any link to a person (see
sessions_app/pulse/services.py), so they can be neither exported nor deleted, and the
export says so. Only the receipts (that a pulse was sent, and whether it was answered)
are personal data."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foorumix.personal_data import Eraser, Rows, Section, register_eraser, register_section
from members.models import User
from sessions_app.models import (
    CalendarFeed,
    Commitment,
    LiveMeeting,
    LivePresence,
    MeetingChange,
    MeetingNotepad,
    NoteRead,
    OutboxMessage,
    Participation,
    PollAnswer,
    Preparation,
    PulseReceipt,
    SessionNote,
    Theme,
    ThemeVote,
)


def participations(user: User) -> Rows:
    rows = Participation.objects.filter(user=user).select_related("meeting__forum")
    return [
        {
            "forum": row.meeting.forum.name,
            "meeting_starts_at": row.meeting.starts_at,
            "rsvp": row.get_rsvp_display() if row.rsvp else "",
            "rsvp_at": row.rsvp_at,
            "note_to_coordinator": row.absence_note,
            "attended": row.attended,
        }
        for row in rows.order_by("meeting__starts_at")
    ]


def preparations(user: User) -> Rows:
    rows = Preparation.objects.filter(author=user).select_related("meeting__forum")
    return [
        {
            "forum": row.meeting.forum.name,
            "meeting_starts_at": row.meeting.starts_at,
            "current_situation": row.current_situation,
            "to_bring": row.to_bring,
            "shared_with_the_group": row.shared,
            "updated_at": row.updated_at,
        }
        for row in rows.order_by("meeting__starts_at")
    ]


def calendar_feeds(user: User) -> Rows:
    return list(CalendarFeed.objects.filter(user=user).values("created_at", "revoked_at"))


def poll_answers(user: User) -> Rows:
    rows = PollAnswer.objects.filter(user=user).select_related("slot__poll__forum")
    return [
        {
            "forum": row.slot.poll.forum.name,
            "poll": row.slot.poll.title,
            "slot_starts_at": row.slot.starts_at,
            "answer": row.get_answer_display(),
        }
        for row in rows.order_by("slot__starts_at")
    ]


def themes(user: User) -> Rows:
    proposed = Theme.objects.filter(proposed_by=user).select_related("forum")
    voted = set(ThemeVote.objects.filter(user=user).values_list("theme_id", flat=True))
    voted_themes = Theme.objects.filter(pk__in=voted).select_related("forum")
    return [
        {
            "forum": theme.forum.name if theme.forum else None,
            "title": theme.title_fi or theme.title_sv or theme.title_en,
            "proposed_by_me": theme.proposed_by_id == user.pk,
            "voted_by_me": theme.pk in voted,
            "created_at": theme.created_at,
        }
        for theme in (proposed | voted_themes).distinct().order_by("created_at")
    ]


def notes(user: User) -> Rows:
    """Which notes the person wrote (as note-taker) or opened; the notes themselves are
    the forum's anonymised record, not the person's data."""
    written = SessionNote.objects.filter(author=user).select_related("meeting__forum")
    reads = NoteRead.objects.filter(reader=user).select_related("note__meeting__forum")
    return [
        *(
            {
                "forum": note.meeting.forum.name,
                "meeting_starts_at": note.meeting.starts_at,
                "event": "wrote",
                "at": note.updated_at,
            }
            for note in written.order_by("created_at")
        ),
        *(
            {
                "forum": read.note.meeting.forum.name,
                "meeting_starts_at": read.note.meeting.starts_at,
                "event": "read",
                "at": read.read_at,
            }
            for read in reads.order_by("read_at")
        ),
    ]


def emails(user: User) -> Rows:
    return list(
        OutboxMessage.objects.filter(_emails_to(user))
        .order_by("created_at")
        .values("kind", "status", "recipient_email", "created_at", "sent_at")
    )


def pulse_receipts(user: User) -> Rows:
    return [
        {
            "meeting_starts_at": receipt.meeting.starts_at,
            "answered": receipt.answered_on is not None,
        }
        for receipt in PulseReceipt.objects.filter(user=user)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    ]


def live_meetings(user: User) -> Rows:
    """The live meetings the person was in, their private notepad and commitments."""
    presences = LivePresence.objects.filter(user=user).select_related("meeting__forum")
    notepads = MeetingNotepad.objects.filter(author=user).select_related("meeting__forum")
    commitments = Commitment.objects.filter(author=user).select_related("meeting__forum")
    return [
        *(
            {"forum": row.meeting.forum.name, "meeting_starts_at": row.meeting.starts_at,
             "event": "in_the_room", "at": row.arrived_at, "joined_on_own_device":
             row.joined_in_app, "present": row.present}
            for row in presences.order_by("meeting__starts_at")
        ),
        *(
            {"forum": row.meeting.forum.name, "meeting_starts_at": row.meeting.starts_at,
             "event": "notepad", "at": row.updated_at, "text": row.text}
            for row in notepads.order_by("meeting__starts_at")
        ),
        *(
            {"forum": row.meeting.forum.name, "meeting_starts_at": row.meeting.starts_at,
             "event": "commitment", "at": row.updated_at, "text": row.text,
             "how_it_went": row.outcome}
            for row in commitments.order_by("meeting__starts_at")
        ),
    ]  # fmt: skip


def _forget_live(user: User) -> None:
    """The person's private texts and presence go; so does their place in the speaking
    order of a meeting still running (an ended meeting keeps no order)."""
    for model, field in (
        (LivePresence, "user"),
        (MeetingNotepad, "author"),
        (Commitment, "author"),
    ):
        model.objects.filter(**{field: user}).delete()
    for live in LiveMeeting.objects.exclude(order=[]).select_for_update():
        if user.pk in live.order:
            position = live.order.index(user.pk)
            live.order = [uid for uid in live.order if uid != user.pk]
            if position < live.speaker_index:
                live.speaker_index -= 1
            live.speaker_index = min(live.speaker_index, max(len(live.order) - 1, 0))
            live.version += 1
            live.save(update_fields=["order", "speaker_index", "version"])


def _emails_to(user: User) -> Q:
    return Q(recipient=user) | Q(recipient_email__iexact=user.email)


def forget(user: User, pseudonym: User) -> int:
    """Attendance moves to the pseudonym without the RSVP and its note (HR counts it);
    meeting change records name the pseudonym; what the person wrote, chose or was sent
    is deleted. Notes they wrote stay, anonymised, without their name (SET_NULL)."""
    moved = Participation.objects.filter(user=user).update(
        user=pseudonym, rsvp="", rsvp_at=None, absence_note=""
    )
    moved += MeetingChange.objects.filter(actor=user).update(actor=pseudonym)
    for model, field in (
        (Preparation, "author"),
        (CalendarFeed, "user"),
        (PollAnswer, "user"),
        (ThemeVote, "user"),
        (NoteRead, "reader"),
        (PulseReceipt, "user"),
    ):
        model.objects.filter(**{field: user}).delete()
    _forget_live(user)
    OutboxMessage.objects.filter(_emails_to(user)).delete()
    Theme.objects.filter(proposed_by=user).update(proposed_by=None)
    SessionNote.objects.filter(author=user).update(author=None)
    return moved


def register() -> None:
    for order, key, title, export in (
        (
            30,
            "meetings",
            _("Meetings: answers, notes to the coordinator, attendance"),
            participations,
        ),
        (31, "preparations", _("Your preparation"), preparations),
        (40, "calendar_feeds", _("Calendar subscription"), calendar_feeds),
        (41, "poll_answers", _("Answers to time polls"), poll_answers),
        (42, "themes", _("Themes you proposed or voted for"), themes),
        (43, "session_notes", _("Session notes you wrote or read"), notes),
        (
            44,
            "live_meetings",
            _("Live meetings: presence, your notepad and commitments"),
            live_meetings,
        ),  # fmt: skip
        (70, "emails", _("Emails to you"), emails),
    ):
        register_section(Section(key, title, export, order=order))
    register_section(
        Section(
            "pulse",
            _("Feedback pulse"),
            pulse_receipts,
            order=50,
            note=_(
                "Which pulses were sent to you and whether you answered. Your answers "
                "themselves are stored without any link to you, so no one, including "
                "you, can find, export or delete them."
            ),
        )
    )
    register_eraser(Eraser("sessions_app", forget, order=30))
