"""Notes are kept for the forum's retention period from the meeting start; a daily task
deletes the expired ones and logs ids only."""

import logging

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from forums import services as forum_services
from sessions_app.models import NoteRead, SessionNote
from sessions_app.notes import retention as notes_retention
from sessions_app.notes import services as notes
from sessions_app.tasks import delete_expired_notes
from tests.factories import make_held_meeting

pytestmark = pytest.mark.django_db

CANARY = "kanarialintu7f3a9c"


def write(meeting, author, text=f"Sovimme kokeilevamme. {CANARY}"):
    return notes.note_save(meeting=meeting, author=author, text=text, dismissed=frozenset())


def test_expiry_is_the_meeting_start_plus_the_forums_retention_months(forum, member, coordinator):
    forum.note_retention_months = 6
    forum.save(update_fields=["note_retention_months"])
    meeting = make_held_meeting(forum, attendees=[member], days_ago=31)
    note = write(meeting, coordinator)
    assert note.expires_at == meeting.starts_at + relativedelta(months=6)


def test_default_retention_is_24_months(forum, member, coordinator):
    meeting = make_held_meeting(forum, attendees=[member])
    assert write(meeting, coordinator).expires_at == meeting.starts_at + relativedelta(months=24)


def test_task_deletes_expired_notes_keeps_the_rest_and_logs_no_content(
    forum, member, coordinator, caplog
):
    old = make_held_meeting(forum, attendees=[member], days_ago=150)
    recent = make_held_meeting(forum, attendees=[member], days_ago=10)
    expired, kept = write(old, coordinator), write(recent, coordinator)
    NoteRead.objects.create(note=expired, reader=member)
    # The coordinator shortens the retention to three months.
    forum.note_retention_months = 3
    forum.save(update_fields=["note_retention_months"])
    assert notes_retention.notes_expiry_update(forum=forum) == 2

    with caplog.at_level(logging.DEBUG):
        assert delete_expired_notes.delay().get() == 1

    assert list(SessionNote.objects.values_list("pk", flat=True)) == [kept.pk]
    assert NoteRead.objects.count() == 0
    assert f"Deleted 1 expired session notes: ids [{expired.pk}]" in caplog.text
    assert CANARY not in caplog.text


def test_task_is_idempotent(forum, member, coordinator):
    meeting = make_held_meeting(forum, attendees=[member], days_ago=10)
    note = write(meeting, coordinator)
    SessionNote.objects.filter(pk=note.pk).update(expires_at=timezone.now())
    assert delete_expired_notes() == 1
    assert delete_expired_notes() == 0
    assert SessionNote.objects.count() == 0


def test_task_runs_daily_from_beat_and_the_worker_knows_it():
    from foorumix.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-notes"]
    assert entry["task"] == "sessions_app.tasks.delete_expired_notes"
    assert entry["schedule"].hour == {3}
    assert entry["schedule"].minute == {15}
    app.loader.import_default_modules()
    assert "sessions_app.tasks.delete_expired_notes" in app.tasks


def test_shortening_the_retention_on_the_forum_form_redates_its_notes(
    forum, member, coordinator, other_forum
):
    """forums knows nothing of notes: forum_update sends retention_changed and
    sessions_app re-dates the notes (and only this forum's)."""
    meeting = make_held_meeting(forum, attendees=[member], days_ago=40)
    note = write(meeting, coordinator)
    other_meeting = make_held_meeting(other_forum, attendees=[], days_ago=40)
    other_note = write(other_meeting, other_forum.coordinators.first())
    forum_services.forum_update(
        forum=forum, actor=coordinator, name=forum.name, description=forum.description,
        organisations=forum.organisations.all(), capacity=forum.capacity,
        language=forum.language, status=forum.status, co_coordinators=[],
        reminder_days=forum.reminder_days, note_retention_months=1,
    )  # fmt: skip
    note.refresh_from_db()
    other_note.refresh_from_db()
    assert note.expires_at == meeting.starts_at + relativedelta(months=1)
    assert other_note.expires_at == other_meeting.starts_at + relativedelta(months=24)
