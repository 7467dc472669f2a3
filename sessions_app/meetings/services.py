"""Meeting domain operations: scheduling, changing and cancelling meetings, RSVP,
preparation and attendance. Each is one transaction; views call these, nothing else
writes meetings. Polls are in sessions_app/polls/, themes in sessions_app/themes/.

The members' private texts (preparations, notes to the coordinator) exist only
encrypted in the database (EncryptedTextField, foorumix/crypto.py); functions holding
them in plain text are marked `sensitive_variables`, and logs carry ids only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from foorumix import crypto
from forums.models import Forum, Membership
from members.models import User
from sessions_app.meetings import notify, selectors
from sessions_app.meetings.scheduling import MAX_OCCURRENCES, Occurrence, overlaps
from sessions_app.models import (
    Meeting,
    MeetingChange,
    MeetingSeries,
    Participation,
    Preparation,
)


def validate_occurrences(
    forum: Forum, occurrences: Sequence[Occurrence], *, exclude: Meeting | None = None
) -> None:
    """Refuse times that end before they start, lie in the past, exceed the series limit
    or overlap another meeting of the same forum. Raises ValidationError."""
    if not occurrences:
        raise ValidationError(_("Give at least one meeting time."))
    if len(occurrences) > MAX_OCCURRENCES:
        raise ValidationError(
            _("A series can have at most %(max)s meetings.") % {"max": MAX_OCCURRENCES}
        )
    first = occurrences[0]
    if first.ends_at <= first.starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    if first.starts_at < timezone.now():
        raise ValidationError(_("The meeting cannot start in the past."))
    existing = Meeting.objects.filter(
        forum=forum,
        starts_at__lt=max(o.ends_at for o in occurrences),
        ends_at__gt=min(o.starts_at for o in occurrences),
    ).exclude(status=Meeting.Status.CANCELLED)
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    clash = overlaps(list(occurrences), list(existing.values_list("starts_at", "ends_at")))
    if clash is not None:
        raise ValidationError(
            _("The meeting on %(when)s overlaps another meeting of this forum.")
            % {"when": date_format(timezone.localtime(clash.starts_at), "DATETIME_FORMAT")}
        )


def _record_change(meeting: Meeting, kind: str, actor: User | None, fields: str = "") -> None:
    MeetingChange.objects.create(
        meeting=meeting, kind=kind, fields=fields, sequence=meeting.sequence, actor=actor
    )


@transaction.atomic
def meeting_schedule(
    *,
    forum: Forum,
    actor: User,
    occurrences: Sequence[Occurrence],
    place: str = "",
    online_url: str = "",
    theme: str = "",
    agenda: str = "",
    rule: str = "",
) -> list[Meeting]:
    """Schedule one meeting or a series (all or nothing) and tell the members."""
    Forum.objects.select_for_update().get(pk=forum.pk)  # serialise overlap checks
    validate_occurrences(forum, occurrences)
    series = (
        MeetingSeries.objects.create(forum=forum, rule=rule, created_by=actor)
        if len(occurrences) > 1
        else None
    )
    meetings = []
    for occurrence in occurrences:
        meeting = Meeting.objects.create(
            forum=forum,
            series=series,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            place=place,
            online_url=online_url,
            theme=theme,
            agenda=agenda,
            created_by=actor,
        )
        _record_change(meeting, MeetingChange.Kind.SCHEDULED, actor)
        notify.meeting_scheduled(meeting)
        meetings.append(meeting)
    return meetings


EDITABLE_FIELDS = ["starts_at", "ends_at", "place", "online_url", "theme", "agenda"]


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, actor: User, note_taker: User | None = None, **changes
) -> Meeting:
    """Change a scheduled meeting. A change members should hear of raises the calendar
    SEQUENCE and is recorded; a change of time re-plans its reminders."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be changed."))
    changed = [name for name in EDITABLE_FIELDS if getattr(meeting, name) != changes[name]]
    time_changed = "starts_at" in changed or "ends_at" in changed
    if time_changed:
        validate_occurrences(
            meeting.forum,
            [Occurrence(changes["starts_at"], changes["ends_at"])],
            exclude=meeting,
        )
    update_fields = list(changed)
    if note_taker != meeting.note_taker:
        meeting.note_taker = note_taker
        update_fields.append("note_taker")
    if not update_fields:
        return meeting
    for name in changed:
        setattr(meeting, name, changes[name])
    if changed:
        meeting.sequence += 1
        update_fields.append("sequence")
    meeting.save(update_fields=[*update_fields, "updated_at"])
    if changed:
        _record_change(meeting, MeetingChange.Kind.CHANGED, actor, ",".join(changed))
        notify.meeting_changed(meeting, time_changed=time_changed)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User) -> Meeting:
    """Cancel a scheduled meeting: members are told once, pending reminders dropped."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    _record_change(meeting, MeetingChange.Kind.CANCELLED, actor)
    notify.meeting_cancelled(meeting)
    return meeting


# --- Members before the meeting ---------------------------------------------------------


def _require_open(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.SCHEDULED or meeting.has_started:
        raise ValidationError(_("This meeting no longer takes answers."))


def _require_member(meeting: Meeting, user: User) -> None:
    if not Membership.objects.active().filter(forum=meeting.forum_id, user=user):
        raise PermissionDenied


@sensitive_variables("absence_note", "note")
@transaction.atomic
def rsvp_set(*, meeting: Meeting, user: User, rsvp: str, absence_note: str = "") -> Participation:
    """A member says whether they are coming. The absence note is for coordinators only
    and is stored encrypted.

    Saying the same again changes nothing (not even `rsvp_at`), so a double submit is
    one answer. Answering "not coming" with a note, or changing the note while not
    coming, tells the coordinators who asked for it that a note is waiting (never the
    note itself): once per such answer (notify.rsvp_declined)."""
    _require_member(meeting, user)
    _require_open(meeting)
    participation, _created = Participation.objects.select_for_update().get_or_create(
        meeting=meeting, user=user
    )
    note = absence_note.strip() if rsvp != Participation.Rsvp.YES else ""
    # The column is encrypted text of any length; the limit is the field's.
    if len(note) > Participation._meta.get_field("absence_note").max_length:
        raise ValidationError(_("The note to the coordinator is too long."))
    unreadable = getattr(participation.absence_note, "undecryptable", False)
    if participation.rsvp == rsvp and participation.absence_note == note and not unreadable:
        return participation
    participation.rsvp = rsvp
    participation.rsvp_at = timezone.now()
    participation.absence_note = note
    participation.save(update_fields=["rsvp", "rsvp_at", "absence_note"])
    if rsvp == Participation.Rsvp.NO and note:
        notify.rsvp_declined(meeting, participation)
    return participation


@transaction.atomic
def meeting_nudge(*, meeting: Meeting, actor: User) -> int:
    """A coordinator reminds the members who have not answered yet (active, with the
    current agreement accepted; those who turned reminder emails off are skipped by
    the outbox). Once per meeting, only before an upcoming scheduled meeting starts:
    a second call raises ValidationError and sends nothing. Returns the emails queued."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != Meeting.Status.SCHEDULED or locked.has_started:
        raise ValidationError(_("Reminders can be sent only before an upcoming meeting."))
    if locked.nudged_at is not None:
        raise ValidationError(_("The reminder for this meeting has already been sent."))
    recipients = selectors.unanswered_recipients(locked)
    if not recipients:
        raise ValidationError(_("Everyone has answered: there is nobody to remind."))
    queued = notify.members_nudged(locked, recipients)
    meeting.nudged_at = locked.nudged_at = timezone.now()
    locked.save(update_fields=["nudged_at"])
    return queued


@sensitive_variables("current_situation", "to_bring")
@transaction.atomic
def preparation_save(
    *, meeting: Meeting, user: User, current_situation: str, to_bring: str, shared: bool
) -> Preparation:
    """Save the author's own preparation, encrypted; visible to others only if `shared`."""
    _require_member(meeting, user)
    preparation, _created = Preparation.objects.select_for_update().get_or_create(
        meeting=meeting, author=user
    )
    preparation.current_situation = current_situation.strip()
    preparation.to_bring = to_bring.strip()
    preparation.shared = shared
    preparation.save(update_fields=["current_situation", "to_bring", "shared", "updated_at"])
    return preparation


def private_texts_rotate_keys() -> tuple[int, int]:
    """Re-encrypt every preparation and every RSVP row's note to the coordinator under
    the first key of FOORUMIX_NOTES_KEYS. One transaction: if any row fits no key,
    crypto.UndecryptableError names its id and nothing is rewritten.
    Returns (preparations, RSVP rows)."""
    with transaction.atomic():
        preparations = crypto.reencrypt_rows(
            Preparation.objects.all(), ["current_situation", "to_bring"]
        )
        participations = crypto.reencrypt_rows(Participation.objects.all(), ["absence_note"])
    return preparations, participations


# --- After the meeting --------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor: User, present_user_ids: Iterable[int]) -> Meeting:
    """Record who attended (one row per meeting and member) and mark the meeting held.

    Everyone who was an active member at the start of the meeting gets a row; the
    ones not in `present_user_ids` are recorded as absent. Idempotent: recording again
    corrects the rows."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no attendance."))
    if not meeting.has_started:
        raise ValidationError(_("Attendance can be recorded once the meeting has started."))
    present = set(present_user_ids)
    members = selectors.attendance_candidates(meeting)
    unknown = present - {user.pk for user in members}
    if unknown:
        raise ValidationError(_("Only members of the forum can be marked present."))
    existing = {p.user_id: p for p in meeting.participations.select_for_update()}
    for user in members:
        participation = existing.get(user.pk)
        attended = user.pk in present
        if participation is None:
            Participation.objects.create(meeting=meeting, user=user, attended=attended)
        elif participation.attended != attended:
            participation.attended = attended
            participation.save(update_fields=["attended"])
    was_held = meeting.status == Meeting.Status.HELD
    if not was_held:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        _record_change(meeting, MeetingChange.Kind.HELD, actor)
    notify.meeting_held(meeting)
    return meeting
