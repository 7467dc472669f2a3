"""seed_notes(): anonymised demo notes for the held meetings of both demo forums."""

import pytest

from forums.demo import seed_forums
from members.demo import seed_people
from sessions_app.demo.notes import seed_notes
from sessions_app.models import SessionNote
from sessions_app.notes import review as notes_review
from sessions_app.notes import services as notes
from sessions_app.notes.anonymiser import find_personal_data
from tests.factories import make_held_meeting, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_forums():
    return seed_forums(seed_people())


def test_seed_notes_does_nothing_without_held_meetings(demo_forums):
    make_meeting(demo_forums[0])  # upcoming, not held
    assert seed_notes() == 0
    assert SessionNote.objects.count() == 0


def test_seed_notes_writes_clean_notes_for_held_meetings_of_both_forums_once(demo_forums):
    held = [
        make_held_meeting(forum, attendees=[], days_ago=days)
        for forum in demo_forums
        for days in (20, 50)
    ]
    assert seed_notes() == 4
    assert seed_notes() == 0
    assert sorted(SessionNote.objects.values_list("meeting", flat=True)) == sorted(
        m.pk for m in held
    )
    for note in SessionNote.objects.select_related("meeting__forum"):
        body = notes.note_content(note).body
        assert body.startswith("Teema:")
        assert find_personal_data(body, notes_review.forum_names(note.meeting.forum)) == []
        assert note.author in note.meeting.forum.coordinators.all()
        assert note.reads.count() == 3
